// A member of organization A cannot list, read, update or delete anything of organization B through any
// endpoint, whatever ids they send.
import { deepEqual, equal, ok } from "node:assert/strict";
import { call, clientFor } from "../support/api.ts";
import { createOrganization } from "../support/clerk.ts";
import { withDb } from "../support/db.ts";

type Team = { id: string; organization_id: string; name: string };

Deno.test("tenancy: organization A's admin cannot reach organization B through any endpoint", async () => {
  const a = await createOrganization("paid");
  const b = await createOrganization("paid");
  const adminA = clientFor(a.admin.token);
  const adminB = clientFor(b.admin.token);
  const teamB = (await call<{ team: Team }>(adminB, "teams-create", {
    body: { name: "B's team", profile: { size: 4, work_mode: "remote" } },
  })).body.team;
  const orgB = teamB.organization_id;

  const attempts = {
    "teams-list B": await call(adminA, "teams-list", { method: "GET", query: { organization_id: orgB } }),
    "quota-status B": await call(adminA, "quota-status", { method: "GET", query: { organization_id: orgB } }),
    "teams-create in B": await call(adminA, "teams-create", {
      body: { name: "Intruder", profile: { size: 2, work_mode: "remote" }, organization_id: orgB },
    }),
    "teams-update B's team": await call(adminA, "teams-update", {
      method: "PATCH",
      body: { team_id: teamB.id, name: "Taken over", profile: { size: 99 } },
    }),
    "teams-delete B's team": await call(adminA, "teams-delete", { method: "DELETE", body: { team_id: teamB.id } }),
  };
  for (const [label, result] of Object.entries(attempts)) {
    equal(result.status, 404, `${label}: ${JSON.stringify(result.body)}`);
    equal((result.body.error as { code: string }).code, "not_found", label);
  }

  // An id that does not exist at all answers exactly like B's real one.
  const missing = await call(adminA, "teams-update", {
    method: "PATCH",
    body: { team_id: crypto.randomUUID(), name: "Ghost" },
  });
  deepEqual(missing.body, attempts["teams-update B's team"].body);

  // A's own lists never contain B's rows.
  const listA = await call<{ teams: Team[] }>(adminA, "teams-list", { method: "GET" });
  ok(listA.body.teams.every((t) => t.organization_id !== orgB));

  // B's team is untouched, and nothing was created in B.
  await withDb(async (sql) => {
    const rows = await sql`select name, size from public.teams where organization_id = ${orgB}`;
    deepEqual(rows.map((r) => [r.name, r.size]), [["B's team", 4]]);
  });
  const listB = await call<{ teams: Team[] }>(adminB, "teams-list", { method: "GET" });
  equal(listB.body.teams.length, 1);
});

Deno.test("tenancy: quota-status shows only the caller's organization, with limits by plan", async () => {
  const free = await createOrganization("free");
  const result = await call<
    { organization: { clerk_org_id: string; plan: string }; quotas: Record<string, unknown>[] }
  >(
    clientFor(free.member.token),
    "quota-status",
    { method: "GET" },
  );
  equal(result.status, 200);
  equal(result.body.organization.clerk_org_id, free.clerkOrgId);
  equal(result.body.organization.plan, "free");
  const byFeature = Object.fromEntries(result.body.quotas.map((q) => [q.feature, q]));
  deepEqual(
    { ...byFeature.customization, resets_at: undefined },
    { feature: "customization", limit: 5, used: 0, reserved: 0, remaining: 5, resets_at: undefined },
  );
  equal(byFeature.custom_generation.limit, 0);
  const now = new Date();
  equal(
    byFeature.customization.resets_at,
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
  );
});
