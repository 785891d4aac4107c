// Teams per organization are capped by the plan's setting, also when the creations race.
import { equal } from "node:assert/strict";
import { call, clientFor } from "../support/api.ts";
import { createOrganization } from "../support/clerk.ts";
import { withDb } from "../support/db.ts";

Deno.test("caps: racing team creations stop at FREE_TIER_MAX_TEAMS; the rest answer 409 with the limit", async () => {
  const limit = await withDb(async (sql) => {
    const [row] = await sql`select (value #>> '{}')::int as value from public.app_settings
      where name = 'FREE_TIER_MAX_TEAMS'`;
    return row.value as number;
  });
  const org = await createOrganization("free");
  const client = clientFor(org.admin.token);
  const results = await Promise.all(
    Array.from(
      { length: limit + 4 },
      (_, i) =>
        call(client, "teams-create", { body: { name: `Team ${i}`, profile: { size: 4, work_mode: "remote" } } }),
    ),
  );
  equal(results.filter((r) => r.status === 201).length, limit);
  const refused = results.filter((r) => r.status !== 201);
  equal(refused.length, 4);
  for (const result of refused) {
    equal(result.status, 409, JSON.stringify(result.body));
    equal(result.body.error?.code, "conflict");
    equal(result.body.error?.details.limit, limit);
    equal(result.body.error?.details.resource, "team");
  }
  const listed = await call<{ teams: unknown[] }>(client, "teams-list", { method: "GET" });
  equal(listed.body.teams.length, limit);
});
