/**
 * Customization and job queue benchmark, against a running local stack (`npm start`, or the stack named by
 * LOCAL_STACK_DIR), in one run:
 *
 * 1. `activities-customize` (fake AI at 0 ms) under N concurrent clients, p50/p95 latency and requests/s, as
 *    a ratio to a bare Deno handler doing one database round trip (`Deno.serve` + postgres.js `select 1`, pool
 *    of 5 like the functions' DB_POOL_SIZE default). The bare handler runs in this process, on a Worker thread
 *    so that it does not share the client loop's event loop (the stack's functions do not either). The
 *    stack's `health` function (the shared pipeline and one `select 1`) and the customization's AI call alone
 *    (the functions' `generateStructured` from this process against the stack's fake server) are measured too,
 *    in the same rounds, to split the customization's cost. Every HTTP request goes through supabase-js
 *    `functions.invoke` (tests/support/api.ts `call`), the way the frontend calls: the same client loop for
 *    every target. Rounds alternate their order; CPU time per request is read from /proc for this process, the
 *    stack's process and the Postgres cluster (Linux).
 * 2. Queue wake-up latency: generation jobs enqueued one at a time through `activities-generate-custom`, each
 *    awaited to its end; `jobs.started_at - jobs.created_at` from the database (insert trigger → pg_net
 *    request → local dispatcher → jobs-worker → claim_jobs).
 * 3. Drain throughput: jobs enqueued through the API, jobs/s from the first job's `created_at` to the last
 *    job's `finished_at`, with the fake AI at 0 ms and at 2 s.
 *
 * Quotas: requests are spread over enough new paid organizations (made through signed Clerk webhooks) that
 * none goes over its monthly limit; `public.app_settings` is read, never changed. The organizations and
 * users it made are deleted at the end unless `--keep` is given.
 *
 * Run: `deno run -A bench/api_bench.ts [--requests 2000] [--fast-requests 10000] [--rounds 5] [--concurrency 32]
 *   [--warmup 200] [--wakeups 100] [--drain-jobs 300] [--slow-jobs 40] [--slow-latency-ms 2000] [--enqueue-concurrency 8]
 *   [--parts customize,wakeup,drain] [--keep]`
 */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { join } from "node:path";
import postgres from "postgres";
import { ROOT } from "../scripts/lib/paths.ts";
import { readDotenv } from "../scripts/lib/dotenv.ts";
import { call, clientFor } from "../tests/support/api.ts";
import { createOrganization, sessionToken, type TestOrganization, uniqueId } from "../tests/support/clerk.ts";
import { fakeRule, marker } from "../tests/support/fake_ai.ts";
import { stackStatus } from "../tests/support/stack.ts";
import { catalogActivityId, createTeam } from "../tests/support/teams.ts";
import { ActivityContent } from "../supabase/functions/_shared/contract/activity.ts";
import { generateStructured } from "../supabase/functions/_shared/ai/openai.ts";
import {
  customizationPrompt,
  type SourceActivity,
  type TeamForPrompt,
} from "../supabase/functions/_shared/ai/prompts.ts";

type Sql = ReturnType<typeof postgres>;

/** The functions' DB_POOL_SIZE default (supabase/functions/.env.example). */
const FUNCTIONS_POOL_SIZE = 5;

// ---------------------------------------------------------------------------------------------------------
// The bare handler, on a Worker thread of this process
// ---------------------------------------------------------------------------------------------------------

interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
}

function runBareServerInWorker(): void {
  const scope = globalThis as unknown as WorkerScope;
  let sql: Sql | undefined;
  let server: Deno.HttpServer | undefined;
  scope.onmessage = async (event: MessageEvent) => {
    const message = event.data as { start?: { dbUrl: string; poolSize: number }; stop?: true };
    if (message.start) {
      const db = postgres(message.start.dbUrl, {
        prepare: false,
        max: message.start.poolSize,
        onnotice: () => {},
        connection: { application_name: "api-bench-bare" },
      });
      sql = db;
      server = Deno.serve({
        hostname: "127.0.0.1",
        port: 0,
        onListen: ({ port }) => scope.postMessage({ port }),
      }, async (request) => {
        await request.text();
        const [row] = await db`select 1 as ok`;
        return Response.json({ ok: row.ok });
      });
    }
    if (message.stop) {
      await server?.shutdown();
      await sql?.end({ timeout: 5 });
      scope.postMessage({ stopped: true });
    }
  };
}

/** Starts the bare handler; answers its URL and a stop function. */
async function startBareServer(dbUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const worker = new Worker(import.meta.url, { type: "module", name: "api-bench-bare" });
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(`bare handler worker failed: ${event.message}`));
    });
  const listening = next();
  worker.postMessage({ start: { dbUrl, poolSize: FUNCTIONS_POOL_SIZE } });
  const { port } = await listening;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      const stopped = next();
      worker.postMessage({ stop: true });
      await stopped;
      worker.terminate();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------------
// Statistics, machine load and CPU accounting
// ---------------------------------------------------------------------------------------------------------

function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Array.from(values).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

/** Spread between rounds: (max - min) / median, in percent. */
function spread(values: number[]): string {
  if (values.length < 2) return "n/a";
  return `${fixed(((Math.max(...values) - Math.min(...values)) / median(values)) * 100, 0)}%`;
}

function loadAverage(): number | null {
  try {
    return Number(Deno.readTextFileSync("/proc/loadavg").split(" ")[0]);
  } catch {
    return null;
  }
}

/** Samples the 1-minute load average every 2 s while the benchmark runs. */
function startLoadSampler(): { samples: number[]; stop(): void } {
  const samples: number[] = [];
  const take = () => {
    const value = loadAverage();
    if (value !== null) samples.push(value);
  };
  take();
  const timer = setInterval(take, 2000);
  return { samples, stop: () => clearInterval(timer) };
}

const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime (clock ticks) and parent pid of a process, from /proc (Linux only). */
function procStat(pid: number): { ticks: number; ppid: number } | null {
  try {
    const text = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ticks: Number(fields[11]) + Number(fields[12]), ppid: Number(fields[1]) };
  } catch {
    return null;
  }
}

/** The processes whose CPU time is accounted: this process, the stack's process and the Postgres cluster. */
interface Processes {
  bench: number;
  stack: number | null;
  postmaster: number | null;
}

interface CpuSnapshot {
  bench: number;
  stack: number;
  postgres: number;
}

function cpuSnapshot(processes: Processes): CpuSnapshot {
  const seconds = (pid: number | null) => pid === null ? 0 : (procStat(pid)?.ticks ?? 0) / CLOCK_TICKS_PER_SECOND;
  let postgresSeconds = 0;
  if (processes.postmaster !== null) {
    postgresSeconds = seconds(processes.postmaster);
    try {
      for (const entry of Deno.readDirSync("/proc")) {
        if (!/^\d+$/.test(entry.name)) continue;
        const stat = procStat(Number(entry.name));
        if (stat && stat.ppid === processes.postmaster) postgresSeconds += stat.ticks / CLOCK_TICKS_PER_SECOND;
      }
    } catch {
      // not Linux: no accounting
    }
  }
  return { bench: seconds(processes.bench), stack: seconds(processes.stack), postgres: postgresSeconds };
}

function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  return {
    bench: after.bench - before.bench,
    stack: after.stack - before.stack,
    postgres: after.postgres - before.postgres,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The client loop
// ---------------------------------------------------------------------------------------------------------

interface LoopResult {
  count: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  firstError?: string;
  cpu: CpuSnapshot;
}

/** `concurrency` clients send `count` requests in all, each as soon as its previous one answered. */
async function clientLoop(
  count: number,
  concurrency: number,
  processes: Processes,
  send: (index: number) => Promise<{ status: number; body: unknown }>,
  expectedStatus: number,
): Promise<LoopResult> {
  const latencies = new Float64Array(count);
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const cpuBefore = cpuSnapshot(processes);
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    for (;;) {
      const index = next++;
      if (index >= count) return;
      const sent = performance.now();
      try {
        const result = await send(index);
        if (result.status !== expectedStatus) {
          errors++;
          firstError ??= `${result.status} ${JSON.stringify(result.body).slice(0, 300)}`;
        }
      } catch (error) {
        errors++;
        firstError ??= String(error);
      }
      latencies[index] = performance.now() - sent;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuDelta(cpuBefore, cpuSnapshot(processes));
  return {
    count,
    seconds,
    rps: count / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors,
    firstError,
    cpu,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Organizations, teams and cleanup
// ---------------------------------------------------------------------------------------------------------

interface BenchTeam {
  org: TestOrganization;
  client: SupabaseClient;
  teamId: string;
}

const created: TestOrganization[] = [];

/** Paid organizations, each with an admin client and a team; made `parallel` at a time. */
async function makeTeams(count: number, parallel = 8): Promise<BenchTeam[]> {
  const teams: BenchTeam[] = new Array(count);
  // The local issuer creates its key pair on the first mint; concurrent first mints would race to write it.
  await sessionToken(uniqueId("user"));
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, async () => {
    for (;;) {
      const index = next++;
      if (index >= count) return;
      const org = await createOrganization("paid");
      created.push(org);
      const client = clientFor(org.admin.token);
      teams[index] = { org, client, teamId: await createTeam(client, `Bench team ${index}`) };
    }
  }));
  return teams;
}

async function deleteCreated(sql: Sql): Promise<void> {
  if (created.length === 0) return;
  const orgIds = created.map((org) => org.clerkOrgId);
  const userIds = created.flatMap((org) => [org.admin.userId, org.member.userId]);
  await sql`delete from public.organizations where clerk_org_id = any(${orgIds})`;
  await sql`delete from public.users where clerk_user_id = any(${userIds})`;
}

async function setting(sql: Sql, name: string): Promise<number> {
  const [row] = await sql`select value from public.app_settings where name = ${name}`;
  if (!row) throw new Error(`app_settings has no ${name}`);
  return Number(row.value);
}

// ---------------------------------------------------------------------------------------------------------
// 1. Customization against the bare handler
// ---------------------------------------------------------------------------------------------------------

interface CustomizeReport {
  rows: { target: string; rounds: LoopResult[] }[];
  organizations: number;
  limit: number;
  setupSeconds: number;
}

const BARE = "bare Deno handler (postgres.js select 1, pool 5)";
const CUSTOMIZE = "`activities-customize` (fake AI 0 ms)";

/**
 * The AI call a customization makes, made from this process with the functions' own module (`generateStructured`:
 * the openai SDK, the JSON schema, zod validation) against the stack's fake server: what the fake server costs
 * the stack's process, and what the SDK and zod cost, apart from the function.
 */
async function customizationAiCall(
  sql: Sql,
  teamId: string,
  activityId: string,
  notes: string,
): Promise<() => Promise<{ status: number; body: unknown }>> {
  const status = stackStatus();
  Deno.env.set("OPENAI_API_KEY", "local-fake-openai-key");
  Deno.env.set("OPENAI_BASE_URL", status.openai_base_url);
  const [team] = await sql<TeamForPrompt[]>`
    select name, size, work_mode, industry, goals, interests, notes from public.teams where id = ${teamId}`;
  const [activity] = await sql<SourceActivity[]>`
    select title, summary, category, duration_minutes, min_group_size, max_group_size, work_modes, objectives,
           materials, preparation, steps, facilitation_tips, debrief_questions
    from public.public_activities where id = ${activityId}`;
  const messages = customizationPrompt({ team, activity, notes });
  return async () => {
    const answer = await generateStructured({
      schema: ActivityContent,
      schemaName: "team_activity",
      messages,
      model: "gpt-4o",
      maxTokens: 2000,
    });
    return { status: 200, body: answer.model };
  };
}

async function benchCustomize(options: Options, sql: Sql, processes: Processes): Promise<CustomizeReport> {
  const status = stackStatus();
  const limit = await setting(sql, "PAID_TIER_MONTHLY_LIMIT");
  const total = options.warmup + options.rounds * options.requests;
  // Round-robin over the organizations: each gets at most ceil(total / n) <= limit requests.
  const organizations = Math.max(Math.ceil(total / limit), Math.min(options.concurrency, total));
  const setupStarted = performance.now();
  const teams = await makeTeams(organizations);
  const activityId = await catalogActivityId(teams[0].client);
  const run = marker("api-bench-customize");
  const removeRule = await fakeRule({ behaviour: "ok", latency_ms: 0, match: run });
  const bare = await startBareServer(status.db_url);
  const setupSeconds = (performance.now() - setupStarted) / 1000;
  console.error(
    `customize: ${organizations} paid organizations (limit ${limit} each) ready in ${fixed(setupSeconds)} s`,
  );

  const token = teams[0].org.admin.token;
  const bareClient = createClient(bare.url, status.anon_key, {
    auth: { persistSession: false, autoRefreshToken: false },
    accessToken: async () => await Promise.resolve(token),
  });
  const healthClient = teams[0].client;
  let sequence = 0;
  const notes = `Benchmark run ${run}: keep it short.`;
  const bodyFor = (team: BenchTeam) => ({ team_id: team.teamId, public_activity_id: activityId, notes });
  const aiCall = await customizationAiCall(sql, teams[0].teamId, activityId, notes);
  const targets: Record<
    string,
    { status: number; count: number; send: (index: number) => Promise<{ status: number; body: unknown }> }
  > = {
    [BARE]: {
      status: 200,
      count: options.fastRequests,
      send: (index) => call(bareClient, "bare", { body: bodyFor(teams[index % teams.length]) }),
    },
    "`health` (stack: shared pipeline + select 1)": {
      status: 200,
      count: options.fastRequests,
      send: () => call(healthClient, "health", { method: "GET" }),
    },
    "the customization's AI call alone (openai SDK + zod in the bench → stack's fake server, 0 ms)": {
      status: 200,
      count: options.requests,
      send: aiCall,
    },
    [CUSTOMIZE]: {
      status: 201,
      count: options.requests,
      send: () => {
        const team = teams[sequence++ % teams.length];
        return call(team.client, "activities-customize", { body: bodyFor(team) });
      },
    },
  };
  const names = Object.keys(targets);
  const rows = names.map((target) => ({ target, rounds: [] as LoopResult[] }));
  try {
    for (const name of names) {
      const warm = await clientLoop(
        options.warmup,
        options.concurrency,
        processes,
        targets[name].send,
        targets[name].status,
      );
      console.error(`warm-up ${name}: ${options.warmup} requests, ${fixed(warm.rps, 0)} req/s, ${warm.errors} errors`);
      if (warm.errors > 0) throw new Error(`warm-up of ${name} failed: ${warm.firstError}`);
    }
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        const result = await clientLoop(
          targets[name].count,
          options.concurrency,
          processes,
          targets[name].send,
          targets[name].status,
        );
        rows[names.indexOf(name)].rounds[round] = result;
        console.error(
          `round ${round + 1} ${name}: ${fixed(result.rps, 0)} req/s, p50 ${fixed(result.p50)} ms, p95 ${
            fixed(result.p95)
          } ms, ${result.errors} errors${result.firstError ? ` (first: ${result.firstError})` : ""}; load ${
            loadAverage() ?? "n/a"
          }`,
        );
      }
    }
  } finally {
    await bare.stop();
    await removeRule();
  }
  return { rows, organizations, limit, setupSeconds };
}

// ---------------------------------------------------------------------------------------------------------
// 2. and 3. The job queue
// ---------------------------------------------------------------------------------------------------------

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

interface WakeupReport {
  jobs: number;
  wakeMs: number[];
  enqueueMs: number[];
  runMs: number[];
  failed: number;
}

/** One job at a time, each awaited to its end, so every insert finds the worker idle. */
async function benchWakeup(count: number, sql: Sql, teams: BenchTeam[]): Promise<WakeupReport> {
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

interface DrainReport {
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
async function benchDrain(
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
function workerSettingsInEffect(): { concurrency: number; pool: number } {
  const env = readDotenv(join(ROOT, "supabase", "functions", ".env"));
  return {
    concurrency: Number(env.WORKER_CONCURRENCY ?? 8),
    pool: Number(env.DB_POOL_SIZE ?? FUNCTIONS_POOL_SIZE),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------------------

function customizeTable(report: CustomizeReport, options: Options): string {
  const bare = report.rows[0].rounds;
  const lines = [
    `| target (${options.concurrency} clients, supabase-js \`functions.invoke\`) | req/s per round | median req/s | ` +
    `median p50 ms | median p95 ms | req/s ratio to bare (per round) | median p50 ratio | median p95 ratio | ` +
    `CPU ms per request: bench / stack / postgres | errors |`,
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const row of report.rows) {
    const rps = row.rounds.map((r) => r.rps);
    const ratios = row.rounds.map((r, i) => r.rps / bare[i].rps);
    const p50Ratios = row.rounds.map((r, i) => r.p50 / bare[i].p50);
    const p95Ratios = row.rounds.map((r, i) => r.p95 / bare[i].p95);
    const cpu = (key: keyof CpuSnapshot) => fixed(median(row.rounds.map((r) => (r.cpu[key] * 1000) / r.count)), 2);
    lines.push(
      `| ${row.target} | ${rps.map((v) => fixed(v, 0)).join(", ")} | ${fixed(median(rps), 0)} | ${
        fixed(median(row.rounds.map((r) => r.p50)))
      } | ${fixed(median(row.rounds.map((r) => r.p95)))} | ${ratios.map((v) => fixed(v, 3)).join(", ")} (median ${
        fixed(median(ratios), 3)
      }) | ${fixed(median(p50Ratios), 1)} | ${fixed(median(p95Ratios), 1)} | ${cpu("bench")} / ${cpu("stack")} / ${
        cpu("postgres")
      } | ${row.rounds.reduce((sum, r) => sum + r.errors, 0)} |`,
    );
  }
  return lines.join("\n");
}

function queueTable(wakeup: WakeupReport | null, drains: DrainReport[], settings: { concurrency: number }) {
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

// ---------------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------------

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

if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== "undefined") {
  runBareServerInWorker();
} else if (import.meta.main) {
  await main();
}
