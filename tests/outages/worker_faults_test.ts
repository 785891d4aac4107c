// Real faults against the jobs worker: a second worker process stopped with SIGTERM (beforeunload) or
// crashed with SIGKILL, and a Postgres restart in the middle of a drain and of a customization.
import { deepEqual, equal, ok } from "node:assert/strict";
import { call, clientFor } from "../support/api.ts";
import { createOrganization } from "../support/clerk.ts";
import { withDb } from "../support/db.ts";
import { fakeRule, marker, resetAiCircuit } from "../support/fake_ai.ts";
import {
  pauseAiProvider,
  restartPostgres,
  stackAiProvider,
  startHungProvider,
  startWorkerProcess,
  wakeStackWorker,
  wakeWorkerAt,
} from "../support/faults.ts";
import { catalogActivityId, createTeam, quotaOf } from "../support/teams.ts";
import { waitFor } from "../support/wait.ts";

async function paidTeam() {
  const org = await createOrganization("paid");
  const client = clientFor(org.admin.token);
  return { org, client, teamId: await createTeam(client) };
}

async function enqueue(count: number, requirements: string): Promise<{ ids: string[] }> {
  const ids: string[] = [];
  for (let made = 0; made < count; made += 10) {
    const { client, teamId } = await paidTeam();
    for (let i = made; i < Math.min(count, made + 10); i++) {
      const accepted = await call<{ job_id: string }>(client, "activities-generate-custom", {
        body: { team_id: teamId, requirements: `${requirements} #${i}` },
      });
      equal(accepted.status, 202, JSON.stringify(accepted.body));
      ids.push(accepted.body.job_id);
    }
  }
  return { ids };
}

async function jobRows(ids: string[]) {
  return await withDb((sql) =>
    sql<{ id: string; status: string; attempts: number; locked_by: string | null; locked_at: Date | null }[]>`
      select id, status, attempts, locked_by, locked_at, last_error from public.jobs where id = any(${ids}::uuid[])`
  );
}

/** Every job succeeded exactly once: one set of three activities each, quota used = jobs, nothing reserved. */
async function assertAllSucceededOnce(ids: string[]) {
  const rows = await waitFor("every job to succeed", async () => {
    const rows = await jobRows(ids);
    return rows.every((row) => row.status === "succeeded") ? rows : undefined;
  }, { timeoutMs: 60_000, intervalMs: 500 });
  equal(rows.length, ids.length, "no job lost");
  await withDb(async (sql) => {
    const sets = await sql`
      select job_id, count(*)::int as n from public.team_activities where job_id = any(${ids}::uuid[]) group by job_id`;
    equal(sets.length, ids.length, "one set per job");
    ok(sets.every((set) => set.n === 3), "no job done twice");
    const orgs = [
      ...new Set((await sql`select organization_id from public.jobs where id = any(${ids}::uuid[])`)
        .map((row) => row.organization_id as string)),
    ];
    const [quota] = await sql`
      select coalesce(sum(used), 0)::int as used, coalesce(sum(reserved), 0)::int as reserved from public.usage_quotas
      where feature = 'custom_generation' and organization_id = any(${orgs}::uuid[])`;
    deepEqual({ used: quota.used, reserved: quota.reserved }, { used: ids.length, reserved: 0 }, "charged once each");
  });
}

Deno.test("worker: after beforeunload (SIGTERM) it claims nothing more, hands its jobs back and exits cleanly", async () => {
  const run = marker("sigterm");
  // The stack's own worker leaves the queue alone meanwhile: its provider is paused (the second worker
  // reaches the same fake AI as another host, so it is not).
  await pauseAiProvider(stackAiProvider(), 60);
  const removeSlow = await fakeRule({ behaviour: "ok", match: run, latency_ms: 2000 });
  const worker = await startWorkerProcess({ aiHost: "localhost", env: { WORKER_CONCURRENCY: "4" } });
  try {
    const { ids } = await enqueue(12, `Shutdown ${run}`);
    await worker.wake();
    await waitFor("the second worker to run four jobs", async () => {
      const rows = await jobRows(ids);
      return rows.filter((row) => row.status === "running").length === 4 ? true : undefined;
    });
    const [{ now: stoppedAt }] = await withDb((sql) => sql`select now()`);
    worker.kill("SIGTERM");
    const exit = await worker.exited;
    equal(exit.code, 0, exit.stderr);
    ok(exit.stdout.includes("STOPPED"), "the process stopped through its shutdown path");
    ok(!/uncaught|TypeError/i.test(exit.stderr + exit.stdout), `no uncaught error during shutdown:\n${exit.stderr}`);
    const rows = await jobRows(ids);
    equal(
      rows.filter((row) => row.locked_at && new Date(row.locked_at) > new Date(stoppedAt)).length,
      0,
      "nothing was claimed after beforeunload",
    );
    equal(rows.filter((row) => row.status === "running").length, 0, "no job is left holding a lease");
    const handedBack = rows.filter((row) => row.attempts === 1);
    equal(handedBack.length, 4, "the four started jobs were handed back (their started attempt counts)");
    ok(handedBack.every((row) => row.status === "queued"), "and are due again");
    await removeSlow();
    await resetAiCircuit();
    await wakeStackWorker(); // as the minute sweep, or the next job, would
    await assertAllSucceededOnce(ids);
  } finally {
    worker.kill("SIGKILL");
    await removeSlow();
    await resetAiCircuit();
  }
});

Deno.test("worker: it claims only what its CPU budget from boot can finish, then stops and wakes a successor", async () => {
  const run = marker("cpubudget");
  // The stack's own worker leaves the queue to the second worker meanwhile (its provider is paused).
  await pauseAiProvider(stackAiProvider(), 60);
  // A small platform limit, so that a few jobs spend it: 400 ms of CPU, claiming stops at 150 ms.
  const worker = await startWorkerProcess({
    aiHost: "localhost",
    env: { WORKER_CPU_LIMIT_MS: "400", WORKER_CPU_STOP_MS: "150", WORKER_JOB_CPU_MS: "60", WORKER_CONCURRENCY: "4" },
  });
  try {
    const { ids } = await enqueue(60, `CPU budget ${run}`);
    await worker.wake();
    const drainEnded = (stdout: string) =>
      stdout.split("\n").filter((line) => line.includes('"worker drain ended"')).map((line) => JSON.parse(line));
    // Woken again until it answers that its budget is spent (a wake-up while it drains only asks it to look again).
    await waitFor("the second worker to spend its CPU budget", async () => {
      return (await wakeWorkerAt(worker.url)).reason === "cpu_budget_spent" ? true : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    await waitFor("its running jobs to end", async () => {
      const rows = await jobRows(ids);
      return rows.every((row) => row.status !== "running") ? true : undefined;
    });
    worker.kill("SIGTERM");
    const exit = await worker.exited;
    const [summary] = drainEnded(exit.stdout).filter((entry) => entry.cpu_spent);
    ok(summary, `a drain ended with its CPU budget spent:\n${exit.stdout.slice(-2000)}`);
    ok(summary.cpu_measured, "the worker read its own CPU time");
    ok(summary.cpu_ms >= 150 && summary.cpu_ms < 400, `stopped inside the limit: ${summary.cpu_ms} ms`);
    ok(summary.jobs_since_boot > 0 && summary.jobs_since_boot < ids.length, `started ${summary.jobs_since_boot}`);
    ok(exit.stdout.includes("waking a successor"), "it woke a successor for the jobs left");
    const rows = await jobRows(ids);
    equal(rows.filter((row) => row.status === "running").length, 0, "nothing left holding a lease");
    ok(rows.some((row) => row.status === "queued"), "jobs are left for a successor");
    ok(rows.every((row) => row.status === "succeeded" || row.attempts === 0), "unstarted jobs spent no attempt");
    await resetAiCircuit();
    await wakeStackWorker();
    await assertAllSucceededOnce(ids);
  } finally {
    worker.kill("SIGKILL");
    await resetAiCircuit();
  }
});

Deno.test("worker: a crashed worker's jobs are back in the queue within about 15 s and then done once", async () => {
  const run = marker("sigkill");
  // The stack's own worker leaves the jobs to the second worker until the crash; the second worker's AI
  // provider hangs, so its jobs are in flight when it dies.
  await pauseAiProvider(stackAiProvider(), 120);
  const hung = startHungProvider();
  const worker = await startWorkerProcess({ aiBaseUrl: hung.url });
  try {
    const { ids } = await enqueue(4, `Crash ${run}`);
    const held = await worker.wake();
    await waitFor("the second worker to hold the four jobs", async () => {
      const rows = await jobRows(ids);
      return rows.every((row) => row.status === "running" && row.locked_by === held) ? true : undefined;
    }).catch(async (error) => {
      const queue = await withDb((sql) =>
        sql`select status, locked_by, count(*)::int as n, min(run_after) as first_due from public.jobs
            where status in ('queued', 'running') group by 1, 2`
      );
      throw new Error(`${error.message}: ours ${JSON.stringify(await jobRows(ids))}; queue ${JSON.stringify(queue)}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 6000)); // a heartbeat or so: leases renewed, then the crash
    const before = await jobRows(ids);
    const killedAt = performance.now();
    worker.kill("SIGKILL");
    const crashed = await worker.exited;
    await resetAiCircuit();
    const diagnostics = () =>
      `\nat the crash: ${JSON.stringify(before)}\nsecond worker's log: ${
        (crashed.stdout + crashed.stderr).split("\n").filter((line) => !line.includes('"request"')).slice(-20)
          .join("\n")
      }`;
    ok(
      before.every((row) => row.status === "running" && row.locked_by === held),
      `the crash interrupts work${diagnostics()}`,
    );
    // Work arriving meanwhile wakes the stack's worker (here: one wake-up, as the next job would send).
    await wakeStackWorker();
    await waitFor("the crashed worker's jobs to be back in the queue or running elsewhere", async () => {
      const rows = await jobRows(ids);
      return rows.every((row) => !(row.status === "running" && row.locked_by === held)) ? true : undefined;
    }, { timeoutMs: 40_000, intervalMs: 200 }).catch(async (error) => {
      throw new Error(`${error.message}: ${JSON.stringify(await jobRows(ids))}`);
    });
    const seconds = (performance.now() - killedAt) / 1000;
    ok(seconds <= 17, `back ${seconds.toFixed(1)} s after the crash (lease 15 s)`);
    const rows = await waitFor("another worker to take them", async () => {
      const rows = await jobRows(ids);
      return rows.every((row) => row.status === "succeeded") ? rows : undefined;
    }, { timeoutMs: 30_000 });
    ok(
      rows.every((row) => row.attempts >= 2),
      `the crashed attempt counts: ${JSON.stringify(rows.map((row) => row.attempts))}${diagnostics()}`,
    );
    await assertAllSucceededOnce(ids);
  } finally {
    worker.kill("SIGKILL");
    hung.close();
    await resetAiCircuit();
  }
});

Deno.test("recovery: a Postgres restart mid-drain and mid-customize loses nothing and charges once", async () => {
  const run = marker("pgrestart");
  const removeSlow = await fakeRule({ behaviour: "ok", match: run, latency_ms: 3000 });
  try {
    const { ids } = await enqueue(10, `Restart ${run}`);
    const org = await createOrganization("free");
    const client = clientFor(org.admin.token);
    const teamId = await createTeam(client);
    const body = { team_id: teamId, public_activity_id: await catalogActivityId(client), notes: `Restart ${run}` };
    const key = crypto.randomUUID();
    await waitFor("jobs to be running", async () => {
      const rows = await jobRows(ids);
      return rows.some((row) => row.status === "running") ? true : undefined;
    });
    // A customization whose AI call spans the restart: its save after the restart must go through.
    const customizing = call<{ activity: { id: string } }>(client, "activities-customize", {
      body,
      headers: { "Idempotency-Key": key },
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const downMs = await restartPostgres();
    ok(downMs < 30_000, `Postgres was down ${downMs.toFixed(0)} ms`);
    const first = await customizing;
    ok(first.status === 201 || first.status === 503, `${first.status} ${JSON.stringify(first.body)}`);
    const again = await call<{ activity: { id: string } }>(client, "activities-customize", {
      body,
      headers: { "Idempotency-Key": key },
    });
    equal(again.status, 201, JSON.stringify(again.body));
    if (first.status === 201) equal(again.body.activity.id, first.body.activity.id, "the stored result is replayed");
    const quota = await quotaOf(client, "customization");
    deepEqual({ used: quota.used, reserved: quota.reserved }, { used: 1, reserved: 0 }, "charged exactly once");
    await assertAllSucceededOnce(ids);
    // The wake-up path works again after the restart: a new job is picked up at once.
    const after = await enqueue(1, `After the restart ${run}`);
    await waitFor("a job queued after the restart to succeed", async () => {
      const [row] = await jobRows(after.ids);
      return row.status === "succeeded" ? true : undefined;
    }, { timeoutMs: 15_000 });
  } finally {
    await removeSlow();
  }
});
