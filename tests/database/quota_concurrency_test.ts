/**
 * Quotas, storage caps and idempotency under real concurrency: many connections race through a gate (an
 * advisory lock held by another connection) so their calls reach Postgres together.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { connectDb, insertOrganization } from "../support/db.ts";

type Sql = ReturnType<typeof postgres>;

const MIB = 1048576;

/** Opens all `count` connections of a client, so racers do not wait for connection setup. */
async function openConnections(sql: Sql, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, () => sql`select pg_sleep(0.05)`));
}

/** A free or paid organization with one team, with ids of its own so tests can share a database. */
function createOrganization(sql: Sql, plan: "free" | "paid"): Promise<{ organizationId: string; teamId: string }> {
  return insertOrganization(sql, { plan, label: "Concurrency test" });
}

/**
 * Runs `count` calls of `call` over `racers`, each inside a transaction that first waits on a shared advisory
 * lock that `gate` holds; the gate opens once every racer connection is waiting, so they start together.
 */
async function race<T>(
  gate: Sql,
  racers: Sql,
  options: { count: number; connections: number },
  call: (tx: postgres.TransactionSql) => Promise<T>,
): Promise<PromiseSettledResult<T>[]> {
  const key = Math.floor(Math.random() * 2 ** 31);
  const [held] = await gate`select pg_try_advisory_lock(7301, ${key}::int) as ok`;
  assert.ok(held.ok, "the race gate is free");
  const calls = Array.from({ length: options.count }, async (): Promise<T> => {
    let value: T | undefined;
    await racers.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock_shared(7301, ${key}::int)`;
      value = await call(tx);
    });
    return value as T;
  });
  const settled = Promise.allSettled(calls);
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [waiting] = await gate`
        select count(*)::int as n from pg_locks
        where locktype = 'advisory' and classid = 7301 and objid = ${key} and not granted`;
      if (waiting.n >= options.connections) break;
      if (Date.now() > deadline) throw new Error(`Only ${waiting.n} racers reached the gate`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    await gate`select pg_advisory_unlock(7301, ${key}::int)`;
  }
  return await settled;
}

function rejectionsOf<T>(results: PromiseSettledResult<T>[]): postgres.PostgresError[] {
  return results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason);
}

Deno.test("quota: 50 reservations racing over 10 connections admit exactly 5, in each of 20 trials", async () => {
  const admin = connectDb(1, "quota-race-admin");
  const gate = connectDb(1, "quota-race-gate");
  const racers = connectDb(10, "quota-race");
  const organizations: string[] = [];
  try {
    await openConnections(racers, 10);
    const admittedPerTrial: number[] = [];
    for (let trial = 0; trial < 20; trial++) {
      const { organizationId } = await createOrganization(admin, "free");
      organizations.push(organizationId);
      const results = await race(gate, racers, { count: 50, connections: 10 }, async (tx) => {
        const [reservation] = await tx`select id from public.reserve_quota(${organizationId}, 'customization')`;
        return reservation.id as string;
      });
      const admitted = results.filter((r) => r.status === "fulfilled").length;
      admittedPerTrial.push(admitted);
      for (const error of rejectionsOf(results)) {
        assert.equal(error.code, "P0001");
        assert.equal(error.message, "quota_exceeded");
        const detail = JSON.parse(error.detail ?? "null");
        assert.equal(detail.limit, 5);
        assert.equal(detail.used + detail.reserved, 5);
        assert.match(detail.resets_at, /^\d{4}-\d{2}-01T00:00:00\+00:00$/);
      }
      const [usage] = await admin`
        select used, reserved, (select count(*)::int from public.quota_reservations r
                                where r.organization_id = q.organization_id and r.status = 'reserved') as ledger
        from public.usage_quotas q
        where q.organization_id = ${organizationId} and q.feature = 'customization'`;
      assert.deepEqual({ used: usage.used, reserved: usage.reserved, ledger: usage.ledger }, {
        used: 0,
        reserved: 5,
        ledger: 5,
      });
    }
    assert.deepEqual(admittedPerTrial, Array(20).fill(5));
  } finally {
    if (organizations.length) await admin`delete from public.organizations where id = any(${organizations}::uuid[])`;
    await Promise.all([admin.end(), gate.end(), racers.end()]);
  }
});

Deno.test("quota: commits and releases racing with reservations keep the counters equal to the ledger", async () => {
  const admin = connectDb(1, "quota-mix-admin");
  const gate = connectDb(1, "quota-mix-gate");
  const racers = connectDb(10, "quota-mix");
  const { organizationId } = await createOrganization(admin, "paid");
  try {
    await openConnections(racers, 10);
    // 60 callers each reserve, then half commit and half release; the paid limit is 100 customizations.
    const results = await race(gate, racers, { count: 60, connections: 10 }, async (tx) => {
      const [reservation] = await tx`select id from public.reserve_quota(${organizationId}, 'customization')`;
      return reservation.id as string;
    });
    const ids = results.map((r) => (r as PromiseFulfilledResult<string>).value);
    assert.equal(ids.length, 60);
    const outcomes = await race(
      gate,
      racers,
      { count: 120, connections: 10 },
      (() => {
        let n = 0;
        return async (tx: postgres.TransactionSql) => {
          const i = n++;
          const id = ids[Math.floor(i / 2)];
          // Every reservation gets both a commit and a release attempt; only the first one to lock it counts.
          const [row] = i % 2 === 0
            ? await tx`select public.commit_quota(${id}) as changed`
            : await tx`select public.release_quota(${id}) as changed`;
          return row.changed as boolean;
        };
      })(),
    );
    const changed = outcomes.filter((r) => r.status === "fulfilled" && r.value).length;
    assert.equal(rejectionsOf(outcomes).length, 0);
    assert.equal(changed, 60, "each reservation is resolved exactly once");
    const [usage] = await admin`
      select q.used, q.reserved,
        (select count(*)::int from public.quota_reservations r
         where r.organization_id = q.organization_id and r.status = 'committed') as committed
      from public.usage_quotas q
      where q.organization_id = ${organizationId} and q.feature = 'customization'`;
    assert.equal(usage.reserved, 0);
    assert.equal(usage.used, usage.committed);
  } finally {
    await admin`delete from public.organizations where id = ${organizationId}`;
    await Promise.all([admin.end(), gate.end(), racers.end()]);
  }
});

Deno.test("storage: 10 uploads of 8 MiB racing for a 50 MiB team cap admit exactly 6", async () => {
  const admin = connectDb(1, "storage-race-admin");
  const gate = connectDb(1, "storage-race-gate");
  const racers = connectDb(10, "storage-race");
  const { organizationId, teamId } = await createOrganization(admin, "free");
  try {
    await openConnections(racers, 10);
    const results = await race(gate, racers, { count: 10, connections: 10 }, async (tx) => {
      const [material] = await tx`
        select id from public.reserve_material_upload(${organizationId}, ${teamId}, 'deck.pptx',
          'application/vnd.openxmlformats-officedocument.presentationml.presentation', ${8 * MIB})`;
      return material.id as string;
    });
    const refused = rejectionsOf(results);
    assert.equal(results.length - refused.length, 6);
    for (const error of refused) {
      assert.equal(error.message, "storage_limit_exceeded");
      assert.equal(JSON.parse(error.detail ?? "null").limit_bytes, 50 * MIB);
    }
    const [usage] = await admin`select reserved_bytes from public.team_storage_usage where team_id = ${teamId}`;
    assert.equal(Number(usage.reserved_bytes), 48 * MIB);
  } finally {
    await admin`delete from public.organizations where id = ${organizationId}`;
    await Promise.all([admin.end(), gate.end(), racers.end()]);
  }
});

Deno.test("idempotency: 20 concurrent requests with one key start the work once", async () => {
  const admin = connectDb(1, "idem-race-admin");
  const gate = connectDb(1, "idem-race-gate");
  const racers = connectDb(10, "idem-race");
  const { organizationId, teamId } = await createOrganization(admin, "paid");
  try {
    await openConnections(racers, 10);
    const states = await race(gate, racers, { count: 20, connections: 10 }, async (tx) => {
      const [row] = await tx`
        select state from public.begin_idempotent_request(${organizationId}, null, 'activities-customize',
          'same-key', 'same-hash')`;
      return row.state as string;
    });
    const counts: Record<string, number> = {};
    for (const s of states) {
      assert.equal(s.status, "fulfilled");
      const state = (s as PromiseFulfilledResult<string>).value;
      counts[state] = (counts[state] ?? 0) + 1;
    }
    assert.deepEqual(counts, { started: 1, in_progress: 19 });

    // The same key on enqueue_job: one job and one reserved unit, whoever wins.
    const jobs = await race(gate, racers, { count: 20, connections: 10 }, async (tx) => {
      const [job] = await tx`
        select id from public.enqueue_job(
          p_kind => 'generate_activities', p_organization_id => ${organizationId}, p_team_id => ${teamId},
          p_payload => '{"requirements": "offsite"}', p_idempotency_key => 'generate-once',
          p_quota_feature => 'custom_generation', p_run_after => '2100-01-01T00:00:00Z')`;
      return job.id as string;
    });
    assert.equal(rejectionsOf(jobs).length, 0);
    assert.equal(new Set(jobs.map((j) => (j as PromiseFulfilledResult<string>).value)).size, 1);
    const [usage] = await admin`
      select reserved, (select count(*)::int from public.jobs where organization_id = ${organizationId}) as jobs
      from public.usage_quotas where organization_id = ${organizationId} and feature = 'custom_generation'`;
    assert.deepEqual({ reserved: usage.reserved, jobs: usage.jobs }, { reserved: 1, jobs: 1 });
  } finally {
    await admin`delete from public.organizations where id = ${organizationId}`;
    await Promise.all([admin.end(), gate.end(), racers.end()]);
  }
});
