/**
 * Outage soak: 300 generation jobs while 30% of AI calls fail with HTTP 500, a worker is SIGKILLed three
 * times and Postgres is restarted twice. Checks 0 lost, 0 done twice, 0 charged twice, every job succeeded,
 * and measures the time from each fault to full recovery.
 *
 * Run: `npm run bench:outage` against the running local stack (`npm start`; it restarts that stack's
 * Postgres). Workers: the stack's own jobs-worker, plus a second worker process (tests/support/worker_process.ts)
 * that is the one crashed, and started again after each crash as a new isolate would be.
 *
 * Recovery, per fault:
 * - SIGKILL: until every job the crashed worker held is back in the queue (its lease lapsed and a live
 *   worker requeued it), and until each of them succeeded.
 * - Postgres restart: until the database answers again, and until the next job completes after it.
 */
import { call, clientFor } from "../tests/support/api.ts";
import { createOrganization } from "../tests/support/clerk.ts";
import { withDb } from "../tests/support/db.ts";
import { fakeRule, marker, resetAiCircuit } from "../tests/support/fake_ai.ts";
import {
  pauseAiProvider,
  restartPostgres,
  stackAiProvider,
  startWorkerProcess,
  wakeStackWorker,
  type WorkerProcess,
} from "../tests/support/faults.ts";
import { createTeam } from "../tests/support/teams.ts";

const ORGANIZATIONS = 30;
const JOBS_PER_ORGANIZATION = 10;
const AI_LATENCY_MS = 2500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const run = marker("outage-soak");
const removers: (() => Promise<void>)[] = [];
const began = performance.now();
const at = () => performance.now() - began;

removers.push(await fakeRule({ behaviour: "ok", match: run, latency_ms: AI_LATENCY_MS }));
// 30% of the jobs meet failing calls (1, 2 or 3 in a row): 140 of the 440 AI calls fail.
const failuresFor = (index: number) => (index % 30 === 0 ? 3 : index % 10 === 1 ? 2 : index % 10 < 3 ? 1 : 0);

let worker: WorkerProcess = await startWorkerProcess();
// Queueing 300 jobs takes longer than running them: the AI is held off until all are queued (a pause every
// worker sees), so that the faults below meet a full queue.
await pauseAiProvider(stackAiProvider(), 600);
const ids: string[] = [];
const organizations = await Promise.all(Array.from({ length: ORGANIZATIONS }, async () => {
  const org = await createOrganization("paid");
  const client = clientFor(org.admin.token);
  return { client, teamId: await createTeam(client) };
}));
for (let index = 0; index < ORGANIZATIONS * JOBS_PER_ORGANIZATION; index++) {
  const requirements = `Soak job ${index} of ${run}.`;
  const failures = failuresFor(index);
  if (failures > 0) {
    removers.push(await fakeRule({ behaviour: "http_error", status: 500, match: requirements, times: failures }));
  }
  const { client, teamId } = organizations[index % ORGANIZATIONS];
  const accepted = await call<{ job_id: string }>(client, "activities-generate-custom", {
    body: { team_id: teamId, requirements },
  });
  if (accepted.status !== 202) throw new Error(`enqueue answered ${accepted.status}: ${JSON.stringify(accepted.body)}`);
  ids.push(accepted.body.job_id);
}
console.log(`300 jobs queued in ${seconds(at())}`);
await resetAiCircuit();
await wakeStackWorker();
let workerId = await worker.wake();
const released = at();

async function rows() {
  return await withDb((sql) =>
    sql<{ id: string; status: string; attempts: number; locked_by: string | null; finished_at: Date | null }[]>`
      select id, status, attempts, locked_by, finished_at from public.jobs where id = any(${ids}::uuid[])`
  );
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 120_000): Promise<number> {
  const start = performance.now();
  while (!(await probe().catch(() => false))) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out: ${what}`);
    await sleep(100);
  }
  return performance.now() - start;
}

const figures: string[] = [];
const crashes: { n: number; ids: string[]; killedAt: number; backAfter: number }[] = [];

async function crashWorker(n: number) {
  // Wait until the worker holds jobs, so that the crash interrupts work in flight.
  let held: string[] = [];
  await until("the second worker to hold jobs", async () => {
    held = (await rows()).filter((row) => row.status === "running" && row.locked_by === workerId)
      .map((row) => `${row.id}:${row.attempts}`);
    return held.length > 0;
  });
  const killedAt = performance.now();
  worker.kill("SIGKILL");
  await worker.exited;
  const deadId = workerId;
  worker = await startWorkerProcess();
  workerId = await worker.wake();
  await until("the crashed worker's jobs to be back in the queue", async () => {
    const byId = new Map((await rows()).map((row) => [row.id, row]));
    return held.every((entry) => {
      const row = byId.get(entry.split(":")[0])!;
      return !(row.status === "running" && row.locked_by === deadId);
    });
  });
  const backAfter = performance.now() - killedAt;
  crashes.push({ n, ids: held.map((entry) => entry.split(":")[0]), killedAt: Date.now() - backAfter, backAfter });
  console.log(`crash ${n}: ${held.length} in flight, back in the queue ${seconds(backAfter)} later`);
}

async function restartDatabase(n: number) {
  const before = new Set((await rows()).filter((row) => row.status === "succeeded").map((row) => row.id));
  const startedAt = performance.now();
  const downMs = await restartPostgres();
  await until(
    "a job to complete after the restart",
    async () => (await rows()).some((row) => row.status === "succeeded" && !before.has(row.id)),
  );
  figures.push(
    `| Postgres restart #${n} | database back after ${seconds(downMs)}; next job completed ${
      seconds(performance.now() - startedAt)
    } after the restart began |`,
  );
  console.log(
    `restart ${n}: down ${seconds(downMs)}, first completion ${seconds(performance.now() - startedAt)} after`,
  );
}

try {
  await crashWorker(1);
  await sleep(1000);
  await restartDatabase(1);
  await sleep(1000);
  await crashWorker(2);
  await sleep(1000);
  await restartDatabase(2);
  await sleep(1000);
  await crashWorker(3);
  await until(
    "every job to end",
    async () => (await rows()).every((row) => ["succeeded", "failed", "dead", "cancelled"].includes(row.status)),
    600_000,
  );
  const final = await rows();
  const finishedAt = new Map(final.map((row) => [row.id, row.finished_at ? new Date(row.finished_at).getTime() : 0]));
  for (const crash of crashes) {
    const done = Math.max(...crash.ids.map((id) => finishedAt.get(id)!)) - crash.killedAt;
    figures.push(
      `| SIGKILL of a worker #${crash.n} (${crash.ids.length} jobs in flight) | back in the queue after ${
        seconds(crash.backAfter)
      }; all of them succeeded ${seconds(done)} after the crash |`,
    );
  }
  const check = await withDb(async (sql) => {
    const [sets] = await sql`
      select count(*)::int as jobs, coalesce(max(n), 0)::int as most, coalesce(min(n), 0)::int as least
      from (select count(*) as n from public.team_activities where job_id = any(${ids}::uuid[]) group by job_id) s`;
    const orgs = [
      ...new Set((await sql`select organization_id from public.jobs where id = any(${ids}::uuid[])`)
        .map((row) => row.organization_id as string)),
    ];
    const [quota] = await sql`
      select sum(used)::int as used, sum(reserved)::int as reserved from public.usage_quotas
      where feature = 'custom_generation' and organization_id = any(${orgs}::uuid[])`;
    return { sets, quota };
  });
  const summary = {
    jobs: final.length,
    succeeded: final.filter((row) => row.status === "succeeded").length,
    dead_or_failed: final.filter((row) => row.status !== "succeeded").length,
    jobs_with_activities: check.sets.jobs,
    activities_per_job: `${check.sets.least}..${check.sets.most}`,
    quota_used: check.quota.used,
    quota_reserved: check.quota.reserved,
    total_seconds: Number((at() / 1000).toFixed(1)),
    seconds_from_release: Number(((at() - released) / 1000).toFixed(1)),
  };
  console.log(JSON.stringify(summary));
  console.log(["| fault | time to full recovery |", "|---|---|", ...figures].join("\n"));
  const ok = summary.jobs === 300 && summary.succeeded === 300 && check.sets.jobs === 300 &&
    check.sets.most === 3 && check.sets.least === 3 && check.quota.used === 300 && check.quota.reserved === 0;
  if (!ok) {
    console.error("FAILED: something was lost, done twice or charged twice");
    Deno.exitCode = 1;
  }
} finally {
  worker.kill("SIGKILL");
  await Promise.all(removers.map((remove) => remove()));
  await resetAiCircuit();
}
