/**
 * The request pipeline every function shares: CORS (preflight and headers on every response, errors
 * included), a request id, the method check, one JSON error shape, and a JSON log line per request.
 */
import { ConfigError } from "../core/config.ts";
import { ApiError, ErrorCode } from "../core/errors.ts";
import { type RequestLogger, requestLogger } from "../core/log.ts";

/** CORS headers for browsers calling through `supabase.functions.invoke`. */
export const corsHeaders: Record<string, string> = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "authorization, x-client-info, apikey, content-type, idempotency-key, x-request-id",
  "access-control-allow-methods": "GET, POST, PATCH, DELETE, OPTIONS",
  "access-control-expose-headers": "x-request-id, retry-after",
  "access-control-max-age": "86400",
};

/** What a handler gets besides the request. */
export interface RequestContext {
  request: Request;
  url: URL;
  requestId: string;
  log: RequestLogger;
}

/** A function's domain step: turns a request into a response or throws an ApiError. */
export type Handler = (context: RequestContext) => Promise<Response>;

/** A JSON response. */
export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return Response.json(body, { status, headers });
}

function requestIdOf(request: Request): string {
  const given = request.headers.get("x-request-id");
  return given && /^[A-Za-z0-9._-]{8,100}$/.test(given) ? given : crypto.randomUUID();
}

/** Turns any thrown value into the shared error shape; unexpected errors never show their message. */
export function errorResponse(error: unknown, requestId: string, log?: RequestLogger): Response {
  if (error instanceof ApiError) {
    const headers: Record<string, string> = error.retryAfterSeconds
      ? { "retry-after": String(error.retryAfterSeconds) }
      : {};
    return json(error.toJSON(), error.status, headers);
  }
  const message = error instanceof ConfigError
    ? "The service is misconfigured; the operator has been told"
    : "Something went wrong on our side; try again later";
  log?.error(error instanceof ConfigError ? "configuration error" : "unexpected error", {
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    stack: error instanceof Error ? error.stack?.split("\n").slice(1, 6).join(" | ") : undefined,
  });
  return json({ error: { code: ErrorCode.internal, message, details: { request_id: requestId } } }, 500);
}

function withHeaders(response: Response, requestId: string): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(corsHeaders)) headers.set(name, value);
  headers.set("x-request-id", requestId);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Builds a function's fetch handler: CORS, request id, method check, errors and logging around `handler`. */
export function createHandler(
  options: { name: string; methods: string[] },
  handler: Handler,
): (request: Request) => Promise<Response> {
  return async function handleRequest(request: Request): Promise<Response> {
    const started = performance.now();
    const requestId = requestIdOf(request);
    const log = requestLogger({ request_id: requestId, function: options.name });
    let response: Response;
    if (request.method === "OPTIONS") {
      response = new Response(null, { status: 204 });
    } else if (!options.methods.includes(request.method)) {
      response = json(
        new ApiError(
          ErrorCode.methodNotAllowed,
          `Method ${request.method} is not allowed: use ${options.methods.join(", ")}`,
        )
          .toJSON(),
        405,
        { allow: options.methods.join(", ") },
      );
    } else {
      try {
        response = await handler({ request, url: new URL(request.url), requestId, log });
      } catch (error) {
        response = errorResponse(error, requestId, log);
      }
    }
    log.info("request", {
      method: request.method,
      status: response.status,
      duration_ms: Math.round(performance.now() - started),
    });
    return withHeaders(response, requestId);
  };
}
