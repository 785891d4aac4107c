/**
 * Queue and quota benchmark, on one database in one run:
 * - claim→complete throughput of our queue functions (claim_jobs + complete_job) with no-op work;
 * - the same for graphile-worker (pinned below) with a no-op task, at the same concurrency: the ratio;
 * - reserve_quota latency with 50 connections contending for one organization's usage row.
 *
 * Run: `npm run bench:queue -- [--jobs 5000] [--rounds 3] [--concurrency 4]` against DATABASE_URL, else the
 * running local stack's database (`npm start`).
 * It creates its own organization (deleted at the end) and, when absent, the graphile_worker schema (dropped
 * at the end). Our jobs run on the queue's injected clock in 2100, so a live worker never sees them.
 */
import postgres from "postgres";
import { insertOrganization } from "../tests/support/db.ts";
import { stackStatus } from "../tests/support/stack.ts";

/** The graphile-worker release this benchmark measures. */
const GRAPHILE_WORKER = "npm:graphile-worker@0.16.6";

type Sql = ReturnType<typeof postgres>;

/** The part of graphile-worker's API used here (loaded at run time, only when the benchmark runs). */
interface GraphileWorker {
  Logger: new (factory: () => () => void) => unknown;
  runMigrations(options: { connectionString: string; logger: unknown }): Promise<void>;
  run(options: {
    connectionString: string;
    concurrency: number;
    noHandleSignals: boolean;
    pollInterval: number;
    logger: unknown;
    taskList: Record<string, () => Promise<void>>;
  }): Promise<{ stop(): Promise<void>; events: { on(event: string, listener: () => void): void } }>;
}

interface Options {
  jobs: number;
  rounds: number;
  concurrency: number;
  contenders: number;
  reservationsPerContender: number;
}

function parseOptions(args: string[]): Options {
  const options: Options = { jobs: 5000, rounds: 3, concurrency: 4, contenders: 50, reservationsPerContender: 40 };
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i].replace(/^--/, "");
    const value = Number(args[i + 1]);
    if (!(name in options) || !Number.isInteger(value) || value <= 0) {
      throw new Error(`Unknown option or bad value: ${args[i]} ${args[i + 1] ?? ""}`);
    }
    (options as unknown as Record<string, number>)[name] = value;
  }
  return options;
}

function databaseUrl(): string {
  return Deno.env.get("DATABASE_URL") ?? stackStatus().db_url;
}

function connect(url: string, max = 1): Sql {
  return postgres(url, { max, onnotice: () => {} });
}

const CLOCK = "2100-01-01T00:00:00Z";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function createOrganization(sql: Sql, plan: "free" | "paid"): Promise<{ organizationId: string; teamId: string }> {
  return insertOrganization(sql, { plan, label: "Queue benchmark" });
}

/** Our queue: `workers` connections each claim `batch` jobs, then complete each one; jobs per second. */
async function benchOurQueue(url: string, options: { jobs: number; workers: number; batch: number }): Promise<number> {
  const admin = connect(url);
  const workers = Array.from({ length: options.workers }, () => connect(url));
  const { organizationId, teamId } = await createOrganization(admin, "paid");
  try {
    await admin`
      insert into public.jobs (kind, organization_id, team_id, payload, run_after)
      select 'generate_activities', ${organizationId}, ${teamId}, '{}', ${CLOCK}
      from generate_series(1, ${options.jobs})`;
    await Promise.all(workers.map((sql) => sql`select 1`));
    const started = performance.now();
    await Promise.all(workers.map(async (sql, i) => {
      for (;;) {
        const claimed = await sql<{ id: string; attempts: number }[]>`
          select id, attempts from public.claim_jobs(${`bench-${i}`}, ${options.batch}, 60, null, ${CLOCK},
            ${organizationId})`;
        if (claimed.length === 0) return;
        for (const job of claimed) {
          await sql`select public.complete_job(${job.id}, ${job.attempts}, null, ${CLOCK})`;
        }
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    const [done] = await admin`
      select count(*)::int as n from public.jobs where organization_id = ${organizationId} and status = 'succeeded'`;
    if (done.n !== options.jobs) throw new Error(`Only ${done.n} of ${options.jobs} jobs succeeded`);
    return options.jobs / seconds;
  } finally {
    await admin`delete from public.organizations where id = ${organizationId}`;
    await Promise.all([admin.end(), ...workers.map((sql) => sql.end())]);
  }
}

/** graphile-worker with a no-op task at the given concurrency; jobs per second from first start to last success. */
async function benchGraphileWorker(
  url: string,
  gw: GraphileWorker,
  options: { jobs: number; concurrency: number },
): Promise<number> {
  const admin = connect(url);
  const logger = new gw.Logger(() => () => {});
  const task = `bench_noop_${crypto.randomUUID().slice(0, 8)}`;
  try {
    await admin`select graphile_worker.add_job(${task}, '{}'::json) from generate_series(1, ${options.jobs})`;
    let first = 0;
    let done = 0;
    let finished: () => void = () => {};
    const allDone = new Promise<void>((resolve) => (finished = resolve));
    const runner = await gw.run({
      connectionString: url,
      concurrency: options.concurrency,
      noHandleSignals: true,
      pollInterval: 1000,
      logger,
      taskList: { [task]: async () => {} },
    });
    runner.events.on("job:start", () => {
      if (first === 0) first = performance.now();
    });
    runner.events.on("job:success", () => {
      done += 1;
      if (done === options.jobs) finished();
    });
    await allDone;
    const seconds = (performance.now() - first) / 1000;
    await runner.stop();
    return options.jobs / seconds;
  } finally {
    await admin.end();
  }
}

/** reserve_quota latency (ms) with `contenders` connections reserving and releasing on one usage row. */
async function benchReservations(
  url: string,
  options: { contenders: number; perContender: number },
): Promise<{ latencies: number[]; perSecond: number }> {
  const admin = connect(url);
  const clients = Array.from({ length: options.contenders }, () => connect(url));
  const { organizationId } = await createOrganization(admin, "paid");
  try {
    await Promise.all(clients.map((sql) => sql`select 1`));
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(clients.map(async (sql) => {
      for (let i = 0; i < options.perContender; i++) {
        const t0 = performance.now();
        const [reservation] = await sql`select id from public.reserve_quota(${organizationId}, 'customization')`;
        latencies.push(performance.now() - t0);
        await sql`select public.release_quota(${reservation.id})`;
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    return { latencies: latencies.sort((a, b) => a - b), perSecond: latencies.length / seconds };
  } finally {
    await admin`delete from public.organizations where id = ${organizationId}`;
    await Promise.all([admin.end(), ...clients.map((sql) => sql.end())]);
  }
}

async function main(): Promise<void> {
  const options = parseOptions(Deno.args);
  const url = databaseUrl();
  const gw = (await import(GRAPHILE_WORKER)) as GraphileWorker;
  const admin = connect(url);
  const [{ existed }] = await admin`
    select exists (select 1 from pg_namespace where nspname = 'graphile_worker') as existed`;
  const [{ version }] = await admin`select current_setting('server_version') as version`;
  const logger = new gw.Logger(() => () => {});
  await gw.runMigrations({ connectionString: url, logger });

  const ours1: number[] = [];
  const ours10: number[] = [];
  const graphile: number[] = [];
  try {
    // Interleaved rounds, so drift on this shared machine affects both sides alike.
    for (let round = 0; round < options.rounds; round++) {
      ours1.push(await benchOurQueue(url, { jobs: options.jobs, workers: options.concurrency, batch: 1 }));
      graphile.push(await benchGraphileWorker(url, gw, { jobs: options.jobs, concurrency: options.concurrency }));
      ours10.push(await benchOurQueue(url, { jobs: options.jobs, workers: options.concurrency, batch: 10 }));
    }
    const single = await benchReservations(url, { contenders: 1, perContender: 500 });
    const contended = await benchReservations(url, {
      contenders: options.contenders,
      perContender: options.reservationsPerContender,
    });

    const fmt = (n: number) => n.toFixed(0);
    const ms = (n: number) => n.toFixed(2);
    const lines = [
      `Postgres ${version}, ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}, graphile-worker ` +
      `${GRAPHILE_WORKER.split("@").pop()}; ${options.jobs} no-op jobs per run, concurrency ${options.concurrency} ` +
      `(${options.concurrency} connections for ours, graphile-worker's pool at the same concurrency), ` +
      `${options.rounds} interleaved rounds.`,
      "",
      "| queue | jobs/s per round | median jobs/s | ratio to graphile-worker |",
      "|---|---|---|---|",
      `| ours, claim 1 → complete | ${ours1.map(fmt).join(", ")} | ${fmt(median(ours1))} | ` +
      `${(median(ours1) / median(graphile)).toFixed(2)} |`,
      `| ours, claim 10 → complete each | ${ours10.map(fmt).join(", ")} | ${fmt(median(ours10))} | ` +
      `${(median(ours10) / median(graphile)).toFixed(2)} |`,
      `| graphile-worker | ${graphile.map(fmt).join(", ")} | ${fmt(median(graphile))} | 1.00 |`,
      "",
      "| reserve_quota | p50 ms | p95 ms | p99 ms | max ms | reservations/s |",
      "|---|---|---|---|---|---|",
      `| 1 connection, no contention (500 calls) | ${ms(percentile(single.latencies, 50))} | ` +
      `${ms(percentile(single.latencies, 95))} | ${ms(percentile(single.latencies, 99))} | ` +
      `${ms(single.latencies.at(-1)!)} | ${fmt(single.perSecond)} |`,
      `| ${options.contenders} connections on one usage row ` +
      `(${options.contenders * options.reservationsPerContender} calls) | ${
        ms(percentile(contended.latencies, 50))
      } | ` +
      `${ms(percentile(contended.latencies, 95))} | ${ms(percentile(contended.latencies, 99))} | ` +
      `${ms(contended.latencies.at(-1)!)} | ${fmt(contended.perSecond)} |`,
    ];
    console.log(lines.join("\n"));
  } finally {
    if (!existed) await admin`drop schema if exists graphile_worker cascade`;
    await admin.end();
  }
}

if (import.meta.main) await main();
