/** The one error type every function answers with: `{"error": {"code", "message", "details"}}`. */

/** Error codes, with the HTTP status each one answers with. */
export const ErrorCode = {
  invalidInput: "invalid_input",
  unauthorized: "unauthorized",
  forbidden: "forbidden",
  planRequired: "plan_required",
  notFound: "not_found",
  methodNotAllowed: "method_not_allowed",
  conflict: "conflict",
  payloadTooLarge: "payload_too_large",
  unsupportedMediaType: "unsupported_media_type",
  unprocessable: "unprocessable",
  quotaExceeded: "quota_exceeded",
  internal: "internal_error",
  aiFailed: "ai_failed",
  unavailable: "service_unavailable",
} as const;

/** One of the exported error codes. */
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

const STATUS: Record<ErrorCodeValue, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  plan_required: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  quota_exceeded: 429,
  internal_error: 500,
  ai_failed: 502,
  service_unavailable: 503,
};

/** An error whose message is safe to show the caller. */
export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  /** Sent as the Retry-After header: when trying again may work (outages, the AI's "slow down"). */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCodeValue,
    message: string,
    readonly details?: Record<string, unknown>,
    options: { retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.status = STATUS[code];
    if (options.retryAfterSeconds !== undefined) {
      this.retryAfterSeconds = Math.max(1, Math.ceil(options.retryAfterSeconds));
    }
  }

  /** The JSON body every error response carries. */
  toJSON(): { error: { code: string; message: string; details?: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}
