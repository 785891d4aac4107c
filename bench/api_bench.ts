/**
 * Customization and job queue benchmark, against a running local stack (`npm start`, or the stack named by
 * LOCAL_STACK_DIR), in one run. The parts, each in its own module:
 *
 * 1. customize (bench/api/customize.ts): `activities-customize` (fake AI at 0 ms) under N concurrent clients,
 *    p50/p95 latency and requests/s, as a ratio to a bare Deno handler doing one database round trip
 *    (bench/api/bare_server.ts), with the stack's `health` function and the customization's AI call alone
 *    measured in the same rounds to split the customization's cost. Every HTTP request goes through supabase-js
 *    `functions.invoke`, the way the frontend calls. Rounds alternate their order; CPU time per request is read
 *    from /proc for this process, the stack's process and the Postgres cluster (Linux).
 * 2. wakeup (bench/api/queue.ts): generation jobs enqueued one at a time through `activities-generate-custom`,
 *    each awaited to its end; `jobs.started_at - jobs.created_at` from the database (insert trigger → pg_net
 *    request → local dispatcher → jobs-worker → claim_jobs).
 * 3. drain (bench/api/queue.ts): jobs enqueued through the API, jobs/s from the first job's `created_at` to the
 *    last job's `finished_at`, with the fake AI at 0 ms and at 2 s.
 *
 * Quotas: requests are spread over enough new paid organizations (made through signed Clerk webhooks) that
 * none goes over its monthly limit; `public.app_settings` is read, never changed. The organizations and
 * users it made are deleted at the end unless `--keep` is given.
 *
 * Run: `deno run -A bench/api_bench.ts [--requests 2000] [--fast-requests 10000] [--rounds 5] [--concurrency 32]
 *   [--warmup 200] [--wakeups 100] [--drain-jobs 300] [--slow-jobs 40] [--slow-latency-ms 2000] [--enqueue-concurrency 8]
 *   [--parts customize,wakeup,drain] [--keep]`
 */
import postgres from "postgres";
import { stackStatus } from "../tests/support/stack.ts";
import { benchCustomize, type CustomizeReport, customizeTable } from "./api/customize.ts";
import {
  benchDrain,
  benchWakeup,
  type DrainReport,
  queueTable,
  type WakeupReport,
  workerSettingsInEffect,
} from "./api/queue.ts";
import { type Processes, procStat } from "./support/cpu.ts";
import { deleteCreated, makeTeams, setting } from "./support/organizations.ts";
import { fixed, median, percentile, spread, startLoadSampler } from "./support/stats.ts";

interface Options {
  requests: number;
  fastRequests: number;
  rounds: number;
  concurrency: number;
  warmup: number;
  wakeups: number;
  drainJobs: number;
  slowJobs: number;
  slowLatencyMs: number;
  enqueueConcurrency: number;
  parts: Set<string>;
  keep: boolean;
}

const PARTS = ["customize", "wakeup", "drain"];

function parseOptions(args: string[]): Options {
  const numbers: Record<string, number> = {
    requests: 2000,
    "fast-requests": 10000,
    rounds: 5,
    concurrency: 32,
    warmup: 200,
    wakeups: 100,
    "drain-jobs": 300,
    "slow-jobs": 40,
    "slow-latency-ms": 2000,
    "enqueue-concurrency": 8,
  };
  let parts = new Set(PARTS);
  let keep = false;
  for (let i = 0; i < args.length; i++) {
    const name = args[i].replace(/^--/, "");
    if (name === "keep") {
      keep = true;
      continue;
    }
    if (name === "parts") {
      parts = new Set((args[++i] ?? "").split(",").filter(Boolean));
      if (parts.size === 0 || [...parts].some((part) => !PARTS.includes(part))) {
        throw new Error(`--parts takes a comma-separated subset of ${PARTS.join(",")}`);
      }
      continue;
    }
    const value = Number(args[i + 1]);
    if (!(name in numbers) || !Number.isInteger(value) || value < 0) {
      throw new Error(`Unknown option or bad value: ${args[i]} ${args[i + 1] ?? ""}`);
    }
    numbers[name] = value;
    i++;
  }
  return {
    requests: numbers.requests,
    fastRequests: numbers["fast-requests"],
    rounds: Math.max(1, numbers.rounds),
    concurrency: Math.max(1, numbers.concurrency),
    warmup: numbers.warmup,
    wakeups: numbers.wakeups,
    drainJobs: numbers["drain-jobs"],
    slowJobs: numbers["slow-jobs"],
    slowLatencyMs: numbers["slow-latency-ms"],
    enqueueConcurrency: Math.max(1, numbers["enqueue-concurrency"]),
    parts,
    keep,
  };
}

async function main(): Promise<void> {
  const options = parseOptions(Deno.args);
  const status = stackStatus();
  if (!status.fake_openai) {
    throw new Error(
      "The stack talks to a real OpenAI server (OPENAI_API_KEY is set): this benchmark needs the fake one",
    );
  }
  const sql = postgres(status.db_url, { max: 2, onnotice: () => {}, connection: { application_name: "api-bench" } });
  const load = startLoadSampler();
  const started = performance.now();
  try {
    const [backend] = await sql`select pg_backend_pid() as pid, version() as version`;
    const stackPid = (status as unknown as { pid?: number }).pid ?? null;
    const processes: Processes = {
      bench: Deno.pid,
      stack: stackPid,
      postmaster: procStat(Number(backend.pid))?.ppid ?? null,
    };
    const settings = workerSettingsInEffect();

    let customize: CustomizeReport | null = null;
    if (options.parts.has("customize") && options.requests > 0) {
      customize = await benchCustomize(options, sql, processes);
    }

    let wakeup: WakeupReport | null = null;
    const drains: DrainReport[] = [];
    const wantWakeup = options.parts.has("wakeup") && options.wakeups > 0;
    const wantDrain = options.parts.has("drain");
    if (wantWakeup || wantDrain) {
      const limit = await setting(sql, "PAID_TIER_CUSTOM_LIMIT");
      const orgsFor = (jobs: number) => jobs > 0 ? Math.ceil(jobs / limit) : 0;
      const needed = {
        wakeup: wantWakeup ? orgsFor(options.wakeups) : 0,
        fast: wantDrain ? orgsFor(options.drainJobs) : 0,
        slow: wantDrain ? orgsFor(options.slowJobs) : 0,
      };
      const setupStarted = performance.now();
      const teams = await makeTeams(needed.wakeup + needed.fast + needed.slow);
      console.error(
        `queue: ${teams.length} paid organizations (limit ${limit} generations each) ready in ${
          fixed((performance.now() - setupStarted) / 1000)
        } s`,
      );
      const wakeTeams = teams.slice(0, needed.wakeup);
      const fastTeams = teams.slice(needed.wakeup, needed.wakeup + needed.fast);
      const slowTeams = teams.slice(needed.wakeup + needed.fast);
      if (wantWakeup) {
        wakeup = await benchWakeup(options.wakeups, sql, wakeTeams);
        console.error(
          `wake-up: p50 ${fixed(percentile(wakeup.wakeMs, 50))} ms, p95 ${fixed(percentile(wakeup.wakeMs, 95))} ms`,
        );
      }
      if (wantDrain && options.drainJobs > 0) {
        drains.push(
          await benchDrain("fake AI 0 ms", options.drainJobs, 0, options.enqueueConcurrency, sql, fastTeams),
        );
        console.error(`drain 0 ms: ${fixed(drains.at(-1)!.jobsPerSecond, 2)} jobs/s`);
      }
      if (wantDrain && options.slowJobs > 0) {
        drains.push(
          await benchDrain(
            `fake AI ${options.slowLatencyMs} ms`,
            options.slowJobs,
            options.slowLatencyMs,
            options.enqueueConcurrency,
            sql,
            slowTeams,
          ),
        );
        console.error(`drain ${options.slowLatencyMs} ms: ${fixed(drains.at(-1)!.jobsPerSecond, 2)} jobs/s`);
      }
    }

    load.stop();
    const loads = load.samples;
    const out: string[] = [
      "",
      `Machine: ${navigator.hardwareConcurrency} cores, ${Deno.build.os}/${Deno.build.arch}, Deno ${Deno.version.deno}, ${
        String(backend.version).split(" on ")[0]
      }. Run took ${fixed((performance.now() - started) / 1000)} s. 1-minute load average during the run: min ${
        fixed(Math.min(...loads), 2)
      }, median ${fixed(median(loads), 2)}, max ${fixed(Math.max(...loads), 2)} (${loads.length} samples).`,
      `Functions' settings: DB_POOL_SIZE=${settings.pool} (one pool shared by every function in the local stack's ` +
      `process), WORKER_CONCURRENCY=${settings.concurrency}.`,
    ];
    if (customize) {
      const rps = (i: number) => customize!.rows[i].rounds.map((r) => r.rps);
      out.push(
        `Customization: ${options.rounds} rounds × ${options.requests} requests per target after ${options.warmup} ` +
          `warm-up requests each; quota spread over ${customize.organizations} new paid organizations ` +
          `(PAID_TIER_MONTHLY_LIMIT=${customize.limit}, unchanged). Spread of req/s between rounds: ` +
          customize.rows.map((row, i) => `${row.target} ${spread(rps(i))}`).join(", ") + ".",
        "",
        customizeTable(customize, options),
      );
    }
    if (wakeup || drains.length > 0) out.push("", queueTable(wakeup, drains, settings));
    console.log(out.join("\n"));
  } finally {
    load.stop();
    if (!options.keep) {
      await deleteCreated(sql).catch((error) => console.error(`cleanup failed: ${error}`));
    }
    await sql.end({ timeout: 5 });
  }
}

if (import.meta.main) await main();
