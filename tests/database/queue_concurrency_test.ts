/**
 * The job queue under real concurrency: workers on separate connections claiming, completing, failing and
 * cancelling at the same time. Jobs run in the year 2100 (the queue's clock is a parameter) and claims are
 * limited to the test's organization, so a live worker on a shared database and these tests never meet.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { connectDb, insertOrganization } from "../support/db.ts";

type Sql = ReturnType<typeof postgres>;

const T0 = Date.parse("2100-01-01T00:00:00Z");

/** The queue clock: seconds after T0, as an ISO string. */
function at(seconds: number): string {
  return new Date(T0 + seconds * 1000).toISOString();
}

function createOrganization(sql: Sql): Promise<{ organizationId: string; teamId: string }> {
  return insertOrganization(sql, { plan: "paid", label: "Queue test" });
}

async function insertJobs(sql: Sql, organizationId: string, teamId: string, count: number): Promise<void> {
  await sql`
    insert into public.jobs (kind, organization_id, team_id, payload, run_after)
    select 'generate_activities', ${organizationId}, ${teamId}, jsonb_build_object('n', g), ${at(0)}
    from generate_series(1, ${count}) as g`;
}

interface Claimed {
  id: string;
  attempts: number;
}

/** A worker on its own connection: claims batches until none are left, completing each job it gets. */
async function drain(
  sql: Sql,
  options: { worker: string; organizationId: string; batch: number },
): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const jobs = await sql<Claimed[]>`
      select id, attempts from public.claim_jobs(${options.worker}, ${options.batch}, 60, null, ${at(1)},
        ${options.organizationId})`;
    if (jobs.length === 0) return seen;
    for (const job of jobs) {
      seen.push(job.id);
      const [done] = await sql`select public.complete_job(${job.id}, ${job.attempts}, null, ${at(2)}) as ok`;
      assert.equal(done.ok, true, "the owner of a claimed job can complete it");
    }
  }
}

async function claimDisjointly(workers: number, jobs: number): Promise<void> {
  const admin = connectDb(1, "queue-admin");
  const clients = Array.from({ length: workers }, (_, i) => connectDb(1, `queue-worker-${i}`));
  const { organizationId, teamId } = await createOrganization(admin);
  try {
    await insertJobs(admin, organizationId, teamId, jobs);
    const claimed = await Promise.all(
      clients.map((sql, i) => drain(sql, { worker: `worker-${i}`, organizationId, batch: 5 })),
    );
    const all = claimed.flat();
    assert.equal(all.length, jobs, "every job was claimed");
    assert.equal(new Set(all).size, jobs, "no job was claimed twice");
    for (const [i, ids] of claimed.entries()) {
      assert.ok(ids.length > 0, `worker ${i} took part`);
    }
    const rows = await admin`
      select status, attempts, count(*)::int as n from public.jobs
      where organization_id = ${organizationId} group by status, attempts`;
    assert.deepEqual(rows.map((r) => ({ status: r.status, attempts: r.attempts, n: r.n })), [
      { status: "succeeded", attempts: 1, n: jobs },
    ]);
  } finally {
    await admin`delete from public.organizations where id = ${organizationId}`;
    await Promise.all([admin.end(), ...clients.map((sql) => sql.end())]);
  }
}

Deno.test("queue: two workers claiming concurrently never get the same job", async () => {
  await claimDisjointly(2, 300);
});

Deno.test("queue: ten workers on ten connections never get the same job", async () => {
  await claimDisjointly(10, 500);
});

Deno.test("queue: a late completion racing a re-claim after the lease expired: exactly one wins per job", async () => {
  const admin = connectDb(1, "fence-admin");
  const late = connectDb(5, "fence-late-worker");
  const fresh = connectDb(5, "fence-new-worker");
  const { organizationId, teamId } = await createOrganization(admin);
  try {
    await insertJobs(admin, organizationId, teamId, 40);
    const first = await admin<Claimed[]>`
      select id, attempts from public.claim_jobs('late-worker', 40, 30, null, ${at(1)}, ${organizationId})`;
    assert.equal(first.length, 40);
    // 60 s later the leases have expired: the first worker completes while a second worker claims.
    const [completions, claims] = await Promise.all([
      Promise.all(first.map(async (job) => {
        const [row] = await late`select public.complete_job(${job.id}, 1, '{"by": "late"}', ${at(61)}) as ok`;
        return row.ok as boolean;
      })),
      Promise.all(first.map(async () => {
        return await fresh<Claimed[]>`
          select id, attempts from public.claim_jobs('new-worker', 1, 30, null, ${at(61)}, ${organizationId})`;
      })),
    ]);
    const reclaimed = new Set(claims.flat().map((job) => job.id));
    for (const [i, job] of first.entries()) {
      assert.ok(!(completions[i] && reclaimed.has(job.id)), `job ${job.id}: completed late and claimed again`);
    }
    // A claim that requeues several expired leases takes one of them; the others wait, queued, for the
    // next claim (a late completion of those must fail too). None is lost: a final claim takes them all.
    const rows = await admin`
      select id, status, attempts, result from public.jobs where organization_id = ${organizationId}`;
    assert.equal(rows.length, 40);
    const waiting: string[] = [];
    for (const [i, job] of first.entries()) {
      const row = rows.find((r) => r.id === job.id)!;
      if (completions[i]) {
        assert.deepEqual([row.status, row.attempts, row.result], ["succeeded", 1, { by: "late" }]);
      } else if (reclaimed.has(row.id)) {
        assert.deepEqual([row.status, row.attempts, row.result], ["running", 2, null]);
      } else {
        assert.deepEqual([row.status, row.attempts, row.result], ["queued", 1, null], `job ${row.id} was lost`);
        waiting.push(row.id);
      }
    }
    const rest = await fresh<Claimed[]>`
      select id, attempts from public.claim_jobs('sweeper', 40, 30, null, ${at(62)}, ${organizationId})`;
    assert.deepEqual(rest.map((job) => job.id).sort(), waiting.sort());
    assert.ok(rest.every((job) => job.attempts === 2));
  } finally {
    await admin`delete from public.organizations where id = ${organizationId}`;
    await Promise.all([admin.end(), late.end(), fresh.end()]);
  }
});

Deno.test("queue: a failure and a cancel racing on one job end it once and release its quota once", async () => {
  const admin = connectDb(1, "settle-admin");
  const failing = connectDb(5, "settle-fail");
  const cancelling = connectDb(5, "settle-cancel");
  const { organizationId, teamId } = await createOrganization(admin);
  try {
    // Ten jobs, each holding one of the paid plan's ten custom generations for the month.
    for (let i = 0; i < 10; i++) {
      await admin`
        select public.enqueue_job(p_kind => 'generate_activities', p_organization_id => ${organizationId},
          p_team_id => ${teamId}, p_payload => ${admin.json({ n: i })}, p_quota_feature => 'custom_generation',
          p_now => ${at(0)})`;
    }
    const claimed = await admin<Claimed[]>`
      select id, attempts from public.claim_jobs('w', 10, 30, null, ${at(1)}, ${organizationId})`;
    assert.equal(claimed.length, 10);
    const outcomes = await Promise.all(claimed.map(async (job) => {
      const [[failed], [cancelled]] = await Promise.all([
        failing`select public.fail_job(${job.id}, 1, 'AI refused', false, null, ${at(2)}) as status`,
        cancelling`select public.cancel_job(${job.id}, 'User cancelled', ${at(2)}) as ok`,
      ]);
      return { failed: failed.status as string | null, cancelled: cancelled.ok as boolean };
    }));
    for (const outcome of outcomes) {
      assert.ok((outcome.failed === "failed") !== outcome.cancelled, "exactly one of fail and cancel ended the job");
    }
    const [usage] = await admin`
      select q.used, q.reserved,
        (select count(*)::int from public.quota_reservations r
         where r.organization_id = q.organization_id and r.status = 'released') as released
      from public.usage_quotas q
      where q.organization_id = ${organizationId} and q.feature = 'custom_generation'`;
    assert.deepEqual({ used: usage.used, reserved: usage.reserved, released: usage.released }, {
      used: 0,
      reserved: 0,
      released: 10,
    });
  } finally {
    await admin`delete from public.organizations where id = ${organizationId}`;
    await Promise.all([admin.end(), failing.end(), cancelling.end()]);
  }
});
