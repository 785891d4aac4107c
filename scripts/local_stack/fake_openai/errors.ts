/**
 * OpenAI's error bodies (`{"error": {"message", "type", "param", "code"}}`) and response headers, with the
 * wording the real API uses, so the `openai` SDK maps them to the same error classes it would in production
 * (400 `BadRequestError`, 401 `AuthenticationError`, 429 `RateLimitError`, 5xx `InternalServerError`, ...).
 */

/** The `error` object of an OpenAI error response. */
export interface OpenAIErrorBody {
  message: string;
  type: string;
  param: string | null;
  code: string | number | null;
}

/** An OpenAI error with the status it is answered with and any extra headers. */
export interface OpenAIFailure {
  status: number;
  error: OpenAIErrorBody;
  headers?: Record<string, string>;
}

const INJECTED = " (injected by the local fake OpenAI server)";

/** A request id in OpenAI's format (`req_` and 32 hex digits). */
export function newRequestId(): string {
  return `req_${crypto.randomUUID().replaceAll("-", "")}`;
}

/** The headers every answer carries; `x-request-id` is what the SDK exposes as `requestID`/`_request_id`. */
export function baseHeaders(requestId: string, startedAt: number): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-request-id": requestId,
    "openai-version": "2020-10-01",
    "openai-organization": "local-fake-openai",
    "openai-processing-ms": String(Math.max(0, Math.round(performance.now() - startedAt))),
  };
}

/** A 400 `invalid_request_error`, as OpenAI answers a request it cannot accept. */
export function invalidRequest(
  message: string,
  param: string | null = null,
  code: string | null = null,
): OpenAIFailure {
  return { status: 400, error: { message, type: "invalid_request_error", param, code } };
}

/** The 401 OpenAI answers when no `Authorization: Bearer` header is sent. */
export function missingApiKey(): OpenAIFailure {
  return {
    status: 401,
    error: {
      message: "You didn't provide an API key. You need to provide your API key in an Authorization header using " +
        "Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if " +
        "you're accessing the API from your browser and are prompted for a username and password. You can obtain " +
        "an API key from https://platform.openai.com/account/api-keys.",
      type: "invalid_request_error",
      param: null,
      code: null,
    },
  };
}

/** The 404 OpenAI answers for a path or method it does not serve. */
export function invalidUrl(method: string, path: string): OpenAIFailure {
  return {
    status: 404,
    error: { message: `Invalid URL (${method} ${path})`, type: "invalid_request_error", param: null, code: null },
  };
}

function maskKey(key: string): string {
  return key.length > 8 ? `${key.slice(0, 3)}${"*".repeat(key.length - 7)}${key.slice(-4)}` : "*".repeat(key.length);
}

/** The error OpenAI answers with `status`, for a control rule's `http_error`; 429 says when to retry. */
export function injectedFailure(
  status: number,
  context: { model: string; apiKey: string; requestId: string; retryAfterSeconds: number },
): OpenAIFailure {
  const { model, apiKey, requestId, retryAfterSeconds } = context;
  const server = (message: string, type = "server_error", code: string | number | null = null) => ({
    status,
    error: { message: message + INJECTED, type, param: null, code },
  });
  switch (status) {
    case 400:
      return invalidRequest(`The request could not be processed.${INJECTED}`);
    case 401:
      return {
        status,
        error: {
          message: `Incorrect API key provided: ${maskKey(apiKey)}. You can find your API key at ` +
            `https://platform.openai.com/account/api-keys.${INJECTED}`,
          type: "invalid_request_error",
          param: null,
          code: "invalid_api_key",
        },
      };
    case 403:
      return server(
        "Country, region, or territory not supported.",
        "request_forbidden",
        "unsupported_country_region_territory",
      );
    case 404:
      return server(
        `The model \`${model}\` does not exist or you do not have access to it.`,
        "invalid_request_error",
        "model_not_found",
      );
    case 429:
      return {
        status,
        error: {
          message: `Rate limit reached for ${model} in organization org-local-fake on requests per min (RPM): ` +
            `Limit 500, Used 500, Requested 1. Please try again in ${retryAfterSeconds}s. Visit ` +
            `https://platform.openai.com/account/rate-limits to learn more.${INJECTED}`,
          type: "requests",
          param: null,
          code: "rate_limit_exceeded",
        },
        headers: {
          "retry-after": String(retryAfterSeconds),
          "x-ratelimit-limit-requests": "500",
          "x-ratelimit-remaining-requests": "0",
          "x-ratelimit-reset-requests": `${retryAfterSeconds}s`,
        },
      };
    case 500:
      return server(
        "The server had an error while processing your request. Sorry about that! You can retry your request, or " +
          "contact us through our help center at help.openai.com if the error persists. (Please include the " +
          `request ID ${requestId} in your message.)`,
      );
    case 502:
      return server("Bad gateway.", "cf_bad_gateway", 502);
    case 503:
      return server(
        "That model is currently overloaded with other requests. You can retry your request, or contact us " +
          `through our help center at help.openai.com if the error persists. (Please include the request ID ` +
          `${requestId} in your message.)`,
      );
    case 504:
      return server("Gateway timeout.", "cf_gateway_timeout", 504);
    default:
      return status >= 500
        ? server(`The server had an error while processing your request (HTTP ${status}).`)
        : server(`The request could not be processed (HTTP ${status}).`, "invalid_request_error");
  }
}

/** The JSON response for `failure`. */
export function failureResponse(failure: OpenAIFailure, headers: Record<string, string>): Response {
  return new Response(JSON.stringify({ error: failure.error }), {
    status: failure.status,
    headers: { ...headers, ...failure.headers },
  });
}
