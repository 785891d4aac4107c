import { deepEqual, equal } from "node:assert/strict";
import { apiErrorFromDatabase } from "./sql_errors.ts";

Deno.test("quota_exceeded becomes 429 with limit, used and resets_at, and no internals", () => {
  const error = apiErrorFromDatabase({
    code: "P0001",
    message: "quota_exceeded",
    detail: JSON.stringify({
      feature: "customization",
      plan: "free",
      limit: 5,
      used: 5,
      reserved: 0,
      resets_at: "2026-12-01T00:00:00+00:00",
      organization_id: "internal",
    }),
    hint: "The monthly limit of 5 customization is reached; it resets at 2026-12-01",
  });
  equal(error?.status, 429);
  equal(error?.code, "quota_exceeded");
  deepEqual(error?.details, {
    feature: "customization",
    plan: "free",
    limit: 5,
    used: 5,
    reserved: 0,
    resets_at: "2026-12-01T00:00:00+00:00",
  });
});

Deno.test("domain codes map to their statuses", () => {
  const cases: [string, number][] = [
    ["not_found", 404],
    ["forbidden", 403],
    ["invalid_input", 400],
    ["plan_required", 403],
    ["storage_limit_exceeded", 413],
    ["idempotency_key_reused", 422],
    ["invalid_transition", 409],
  ];
  for (const [message, status] of cases) {
    equal(apiErrorFromDatabase({ code: "P0001", message, detail: "{}" })?.status, status, message);
  }
});

Deno.test("invalid_input keeps only the field; check violations are 400s", () => {
  const error = apiErrorFromDatabase({ code: "P0001", message: "invalid_input", detail: '{"field":"profile.size"}' });
  deepEqual(error?.details, { field: "profile.size" });
  equal(
    apiErrorFromDatabase({ code: "23514", message: "violates check", constraint_name: "teams_size_check" })?.status,
    400,
  );
});

Deno.test("unexpected database errors are not mapped (they stay 500s)", () => {
  equal(apiErrorFromDatabase({ code: "P0001", message: "setting_missing", detail: "{}" }), null);
  equal(apiErrorFromDatabase({ code: "42P01", message: "relation does not exist" }), null);
  equal(apiErrorFromDatabase(new Error("boom")), null);
});

Deno.test("a NUL character the database refuses is a 400, a vanished parent row a 404, the team cap a 409", () => {
  const nul = apiErrorFromDatabase({ code: "22021", message: 'invalid byte sequence for encoding "UTF8": 0x00' });
  equal(nul?.status, 400);
  const gone = apiErrorFromDatabase({
    code: "23503",
    message: "insert or update on table violates foreign key constraint",
    constraint_name: "team_materials_organization_id_team_id_fkey",
  });
  equal(gone?.status, 404);
  deepEqual(gone?.details, { resource: "team" });
  const cap = apiErrorFromDatabase({
    code: "P0001",
    message: "team_limit_exceeded",
    detail: JSON.stringify({ resource: "team", limit: 10, used: 10 }),
    hint: "The organization has 10 teams, the most its plan allows; delete one first",
  });
  equal(cap?.status, 409);
  deepEqual(cap?.details, { resource: "team", limit: 10, used: 10 });
});

Deno.test("a database that is restarting or unreachable is a 503 with Retry-After, not a 500", () => {
  for (const error of [{ code: "08006" }, { code: "57P01" }, { code: "CONNECTION_CLOSED" }]) {
    const mapped = apiErrorFromDatabase(error);
    equal(mapped?.status, 503, JSON.stringify(error));
    equal(mapped?.code, "service_unavailable");
    equal(mapped?.retryAfterSeconds, 2);
  }
});
