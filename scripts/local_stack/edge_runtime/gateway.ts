/**
 * The local stack's HTTP front door on one port, with Supabase's URL layout:
 * `/functions/v1/<name>` (edge functions), `/storage/v1/*` (Storage API), `/clerk/*` (the local
 * Clerk issuer's JWKS) and, without a real OpenAI key, `/openai/*` (the fake OpenAI-compatible server).
 */
import type { EdgeRuntime } from "./isolates.ts";

/** What the gateway routes to. */
export interface GatewayRoutes {
  /** The edge runtime (each function in isolates of its own, see isolates.ts). */
  functions: Pick<EdgeRuntime, "has" | "invoke">;
  storage: (request: Request, path: string) => Promise<Response>;
  jwks: () => Promise<unknown>;
  /** The fake OpenAI-compatible server, mounted when no real OPENAI_API_KEY is configured. */
  openai?: (request: Request, path: string) => Promise<Response>;
}

const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers":
    "authorization, x-client-info, apikey, content-type, x-upsert, cache-control, x-metadata",
  "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
};

function withCors(response: Response): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(CORS_HEADERS)) if (!headers.has(name)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

function notFound(message: string): Response {
  return Response.json({ error: { code: "not_found", message } }, { status: 404 });
}

/** Builds the gateway's request handler. */
export function createGateway(routes: GatewayRoutes): (request: Request) => Promise<Response> {
  return async function routeRequest(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);

    const fn = /^\/functions\/v1\/([^/]+)(\/.*)?$/.exec(pathname);
    if (fn) {
      const [, name, rest = ""] = fn;
      if (!routes.functions.has(name)) {
        return withCors(Response.json({ code: "NOT_FOUND", message: "Requested function was not found" }, {
          status: 404,
        }));
      }
      try {
        // The function sees the path from its own name on (`/functions/v1/health/x` arrives as `/health/x`).
        return await routes.functions.invoke(name, request, `/${name}${rest}`);
      } catch (error) {
        console.error(JSON.stringify({ level: "error", fn: name, msg: "function threw", error: String(error) }));
        return withCors(Response.json({ error: { code: "internal_error", message: "The function failed" } }, {
          status: 500,
        }));
      }
    }

    if (pathname.startsWith("/storage/v1/")) {
      if (request.method === "OPTIONS") return withCors(new Response(null, { status: 204 }));
      return withCors(await routes.storage(request, pathname.slice("/storage/v1".length)));
    }

    if (routes.openai && pathname.startsWith("/openai/")) {
      return await routes.openai(request, pathname.slice("/openai".length));
    }

    if (pathname === "/clerk/.well-known/jwks.json") {
      return withCors(Response.json(await routes.jwks(), { headers: { "cache-control": "public, max-age=60" } }));
    }

    return withCors(notFound(`No route for ${pathname}`));
  };
}
