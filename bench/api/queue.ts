/**
 * The job queue through the API: wake-up latency (insert → claimed, one job at a time) and drain throughput
 * (jobs enqueued through `activities-generate-custom`, timed from the database's own timestamps).
 */
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/paths.ts";
import { readDotenv } from "../../scripts/lib/dotenv.ts";
import { call } from "../../tests/support/api.ts";
import { fakeRule, marker } from "../../tests/support/fake_ai.ts";
import { FUNCTIONS_POOL_SIZE } from "./bare_server.ts";
import type { BenchTeam, Sql } from "../support/organizations.ts";
import { fixed, percentile } from "../support/stats.ts";

const TERMINAL = ["succeeded", "failed", "dead", "cancelled"];

async function enqueue(team: BenchTeam, requirements: string): Promise<string> {
  const result = await call<{ job_id: string }>(team.client, "activities-generate-custom", {
    body: { team_id: team.teamId, requirements },
  });
  if (result.status !== 202) {
    throw new Error(`activities-generate-custom answered ${result.status}: ${JSON.stringify(result.body)}`);
  }
  return result.body.job_id;
}

export interface WakeupReport {
  jobs: number;
  wakeMs: number[];
  enqueueMs: number[];
  runMs: number[];
  failed: number;
}

/** One job at a time, each awaited to its end, so every insert finds the worker idle. */
export async function benchWakeup(count: number, sql: Sql, teams: BenchTeam[]): Promise<WakeupReport> {
  const run = marker("api-bench-wakeup");
  const removeRule = await fakeRule({ behaviour: "ok", latency_ms: 0, match: run });
  const report: WakeupReport = { jobs: count, wakeMs: [], enqueueMs: [], runMs: [], failed: 0 };
  try {
    for (let i = 0; i < count; i++) {
      const sent = performance.now();
      const jobId = await enqueue(teams[i % teams.length], `Wake-up probe ${i} of ${run}: a short game.`);
      report.enqueueMs.push(performance.now() - sent);
      const deadline = Date.now() + 60_000;
      for (;;) {
        const [job] = await sql`
          select status,
                 extract(epoch from started_at - created_at) * 1000 as wake_ms,
                 extract(epoch from finished_at - started_at) * 1000 as run_ms
          from public.jobs where id = ${jobId}`;
        if (TERMINAL.includes(job.status)) {
          report.wakeMs.push(Number(job.wake_ms));
          report.runMs.push(Number(job.run_ms));
          if (job.status !== "succeeded") report.failed++;
          break;
        }
        if (Date.now() > deadline) throw new Error(`job ${jobId} did not end within 60 s (status ${job.status})`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  } finally {
    await removeRule();
  }
  return report;
}

export interface DrainReport {
  label: string;
  latencyMs: number;
  jobs: number;
  succeeded: number;
  enqueueSeconds: number;
  drainSeconds: number;
  jobsPerSecond: number;
  maxRunning: number;
  waitP50: number;
  waitP95: number;
  runP50: number;
}

/** Enqueues `count` jobs through the API (`parallel` callers) and waits for all; DB timestamps give the rate. */
export async function benchDrain(
  label: string,
  count: number,
  latencyMs: number,
  parallel: number,
  sql: Sql,
  teams: BenchTeam[],
): Promise<DrainReport> {
  const run = marker("api-bench-drain");
  const removeRule = await fakeRule({ behaviour: "ok", latency_ms: latencyMs, match: run });
  try {
    const ids: string[] = [];
    let next = 0;
    let maxRunning = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        if (ids.length > 0) {
          const [row] = await sql`
            select count(*) filter (where status = 'running')::int as running from public.jobs
            where id = any(${ids}::uuid[])`;
          maxRunning = Math.max(maxRunning, row.running);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const started = performance.now();
    await Promise.all(Array.from({ length: Math.min(parallel, count) }, async () => {
      for (;;) {
        const index = next++;
        if (index >= count) return;
        ids.push(await enqueue(teams[index % teams.length], `Drain job ${index} of ${run}: a short game.`));
      }
    }));
    const enqueueSeconds = (performance.now() - started) / 1000;
    const deadline = Date.now() + 60_000 + count * latencyMs * 2;
    for (;;) {
      const [row] = await sql`
        select count(*) filter (where status = any(${TERMINAL}))::int as ended from public.jobs
        where id = any(${ids}::uuid[])`;
      if (row.ended === count) break;
      if (Date.now() > deadline) throw new Error(`${label}: only ${row.ended} of ${count} jobs ended in time`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    polling = false;
    await poller;
    const [summary] = await sql`
      select count(*) filter (where status = 'succeeded')::int as succeeded,
             extract(epoch from max(finished_at) - min(created_at)) as seconds
      from public.jobs where id = any(${ids}::uuid[])`;
    const timings = await sql`
      select extract(epoch from started_at - created_at) * 1000 as wait_ms,
             extract(epoch from finished_at - started_at) * 1000 as run_ms
      from public.jobs where id = any(${ids}::uuid[])`;
    const drainSeconds = Number(summary.seconds);
    return {
      label,
      latencyMs,
      jobs: count,
      succeeded: summary.succeeded,
      enqueueSeconds,
      drainSeconds,
      jobsPerSecond: summary.succeeded / drainSeconds,
      maxRunning,
      waitP50: percentile(timings.map((t) => Number(t.wait_ms)), 50),
      waitP95: percentile(timings.map((t) => Number(t.wait_ms)), 95),
      runP50: percentile(timings.map((t) => Number(t.run_ms)), 50),
    };
  } finally {
    await removeRule();
  }
}

/** The worker settings the stack's functions run with: supabase/functions/.env, else the defaults. */
export function workerSettingsInEffect(): { concurrency: number; pool: number } {
  const env = readDotenv(join(ROOT, "supabase", "functions", ".env"));
  return {
    concurrency: Number(env.WORKER_CONCURRENCY ?? 8),
    pool: Number(env.DB_POOL_SIZE ?? FUNCTIONS_POOL_SIZE),
  };
}

export function queueTable(wakeup: WakeupReport | null, drains: DrainReport[], settings: { concurrency: number }) {
  const lines: string[] = [];
  if (wakeup) {
    lines.push(
      "| queue wake-up, insert → claimed (`started_at - created_at`), one job at a time | jobs | p50 ms | p95 ms | max ms | " +
        "enqueue call p50 ms | job run p50 ms (0 ms AI) | not succeeded |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
      `| pg_net trigger → local dispatcher → jobs-worker → claim_jobs | ${wakeup.jobs} | ${
        fixed(percentile(wakeup.wakeMs, 50))
      } | ${fixed(percentile(wakeup.wakeMs, 95))} | ${fixed(Math.max(...wakeup.wakeMs))} | ${
        fixed(percentile(wakeup.enqueueMs, 50))
      } | ${fixed(percentile(wakeup.runMs, 50))} | ${wakeup.failed} |`,
    );
  }
  if (drains.length > 0) {
    const concurrency = settings.concurrency;
    if (lines.length) lines.push("");
    lines.push(
      `| drain (WORKER_CONCURRENCY=${settings.concurrency}, one isolate) | jobs | ` +
        "enqueue s | first insert → last success s | jobs/s | bound: concurrency / AI latency | most running at once | " +
        "insert → claimed p50 / p95 ms | job run p50 ms | succeeded |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const d of drains) {
      const bound = d.latencyMs > 0 ? `${fixed(concurrency / (d.latencyMs / 1000), 2)} jobs/s` : "n/a";
      lines.push(
        `| ${d.label} | ${d.jobs} | ${fixed(d.enqueueSeconds)} | ${fixed(d.drainSeconds)} | ${
          fixed(d.jobsPerSecond, 2)
        } | ${bound} | ${d.maxRunning} | ${fixed(d.waitP50, 0)} / ${fixed(d.waitP95, 0)} | ${
          fixed(d.runP50, 0)
        } | ${d.succeeded} |`,
      );
    }
  }
  return lines.join("\n");
}
