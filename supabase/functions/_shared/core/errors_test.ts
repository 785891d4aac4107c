import { deepEqual, equal } from "node:assert/strict";
import { ApiError, ErrorCode } from "./errors.ts";

Deno.test("every error code has its status, and the JSON shape carries details only when given", () => {
  const statuses = Object.values(ErrorCode).map((code) => [code, new ApiError(code, "m").status]);
  deepEqual(Object.fromEntries(statuses), {
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
  });
  deepEqual(new ApiError(ErrorCode.notFound, "No such team").toJSON(), {
    error: { code: "not_found", message: "No such team" },
  });
  equal(
    JSON.stringify(new ApiError(ErrorCode.conflict, "x", { id: 1 })),
    '{"error":{"code":"conflict","message":"x","details":{"id":1}}}',
  );
});
