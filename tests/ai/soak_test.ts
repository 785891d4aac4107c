// Soak: 300 generation jobs, 30% of AI calls failing with HTTP 500: every job ends succeeded (a provider
// failure defers a job without spending its attempts), nothing duplicated, quota used = 300. The version
// with crashes and Postgres restarts on top is bench/outage_soak.ts.
import { equal, ok } from "node:assert/strict";
import { call, clientFor } from "../support/api.ts";
import { createOrganization } from "../support/clerk.ts";
import { withDb } from "../support/db.ts";
import { fakeRule, marker, resetAiCircuit } from "../support/fake_ai.ts";
import { createTeam } from "../support/teams.ts";
import { waitFor } from "../support/wait.ts";

const ORGANIZATIONS = 30; // the paid plan allows 10 generations a month each
const JOBS_PER_ORGANIZATION = 10;

Deno.test("soak: 300 jobs with 30% of AI calls failing: 0 lost, 0 dead, 0 duplicated, quota = 300", async () => {
  const run = marker("soak");
  const removers: (() => Promise<void>)[] = [];
  try {
    // Deterministic injected failures: 90 of the 300 jobs meet failing AI calls: 50 fail once, 30 twice and
    // 10 three times: 140 of the 440 AI calls (32%) fail.
    const failuresFor = (index: number) => (index % 30 === 0 ? 3 : index % 10 === 1 ? 2 : index % 10 < 3 ? 1 : 0);
    const teams = await Promise.all(Array.from({ length: ORGANIZATIONS }, async () => {
      const org = await createOrganization("paid");
      const client = clientFor(org.admin.token);
      return { client, teamId: await createTeam(client) };
    }));
    const jobs: { id: string; failures: number; organization: number }[] = [];
    for (let index = 0; index < ORGANIZATIONS * JOBS_PER_ORGANIZATION; index++) {
      const organization = index % ORGANIZATIONS;
      const failures = failuresFor(index);
      const requirements = `Soak job ${index} of ${run}`;
      if (failures > 0) {
        removers.push(
          await fakeRule({ behaviour: "http_error", status: 500, match: `${requirements}.`, times: failures }),
        );
      }
      const { client, teamId } = teams[organization];
      const accepted = await call<{ job_id: string }>(client, "activities-generate-custom", {
        body: { team_id: teamId, requirements: `${requirements}.` },
      });
      equal(accepted.status, 202, JSON.stringify(accepted.body));
      jobs.push({ id: accepted.body.job_id, failures, organization });
    }
    const ids = jobs.map((job) => job.id);
    const rows = await waitFor("every soak job to end", async () => {
      const rows = await withDb((sql) =>
        sql`select id, status, attempts, deferrals, organization_id from public.jobs where id = any(${ids}::uuid[])`
      );
      return rows.every((row) => ["succeeded", "dead", "failed"].includes(row.status)) ? rows : undefined;
    }, { timeoutMs: 240_000, intervalMs: 1000 });

    equal(rows.length, 300, "no job lost");
    const byId = new Map(rows.map((row) => [row.id, row]));
    let succeeded = 0;
    for (const job of jobs) {
      const row = byId.get(job.id)!;
      equal(row.status, "succeeded", `job with ${job.failures} injected failures`);
      equal(row.attempts, 1, "provider failures spend no attempt");
      equal(row.deferrals, job.failures, "each failure deferred the job once");
      succeeded++;
    }
    equal(succeeded, 300);
    await withDb(async (sql) => {
      const sets = await sql`
        select job_id, count(*)::int as n from public.team_activities
        where job_id = any(${ids}::uuid[]) group by job_id`;
      equal(sets.length, succeeded, "one set per succeeded job, none for dead ones");
      ok(sets.every((set) => set.n === 3), "no duplicated or partial sets");
      const organizations = [...new Set(rows.map((row) => row.organization_id))];
      const [quota] = await sql`
        select coalesce(sum(used), 0)::int as used, coalesce(sum(reserved), 0)::int as reserved
        from public.usage_quotas where feature = 'custom_generation' and organization_id = any(${organizations}::uuid[])`;
      equal(quota.used, succeeded, "quota used equals the jobs that succeeded");
      equal(quota.reserved, 0, "nothing left reserved");
    });
  } finally {
    await Promise.all(removers.map((remove) => remove()));
    await resetAiCircuit();
  }
});
