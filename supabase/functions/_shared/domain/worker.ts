/**
 * The jobs worker: woken by the database (pg_net) with a shared secret, it answers at once and drains due
 * jobs in the background (EdgeRuntime.waitUntil) within a wall-clock budget. Every job runs under a lease
 * it keeps alive with heartbeats; every write names the attempt it was given, so a worker that lost its
 * lease changes nothing. Handlers are looked up by the job's kind.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { defineSettings, positiveInteger } from "../core/config.ts";
import { asService, db, isConnectionError, withDbRetry } from "../db/connection.ts";
import { ApiError, ErrorCode } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { AiError } from "../ai/openai.ts";
import { providerState, recordAiOutcome } from "./ai_circuit.ts";

/**
 * When this isolate booted. Hosted limits (wall clock 150 s free / 400 s paid, and a hard kill that skips
 * `beforeunload`) count from the isolate's boot, not from the request that woke the worker, so the worker
 * budgets its claims from here.
 */
const bootedAt = Date.now();

/**
 * This isolate's CPU time in ms: its main thread's (where JS runs), read from /proc where the runtime lets a
 * function read it (the local stack, a self-hosted Linux runtime); undefined elsewhere, where the worker
 * counts what it started instead. Not `process.cpuUsage()`: a hosted runtime runs many isolates in one
 * process, so the process's CPU says nothing about this isolate's budget.
 */
export function threadCpuMs(): number | undefined {
  try {
    const stat = Deno.readTextFileSync("/proc/thread-self/stat");
    // Fields after the command name (which may hold spaces), 1-based: 14 utime, 15 stime, in 1/100 s.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU already spent when this module was evaluated (booting is not the budget's). */
const bootCpuMs = threadCpuMs();

/**
 * The clock a job's CPU budget is read on (JobContext.cpuClock): this thread's CPU time where /proc could be
 * read at boot, else the wall clock; one or the other for the isolate's life, never a mix of the two.
 */
const cpuClock: () => number = bootCpuMs !== undefined ? () => threadCpuMs() ?? Infinity : () => performance.now();

/** Worker settings. */
export const workerSettings = defineSettings({
  WORKER_SECRET: z.string().min(16),
  WORKER_CONCURRENCY: positiveInteger(8),
  /** process_material jobs (download, extraction: the CPU-heavy kind) running at once per isolate. */
  WORKER_FILE_CONCURRENCY: positiveInteger(2),
  /** No job is claimed later than this after the isolate booted, so running ones end inside the wall clock. */
  WORKER_BUDGET_SECONDS: positiveInteger(100),
  /**
   * The platform's wall-clock limit per isolate (150 free, 400 paid); 0 for a runtime that keeps one
   * isolate alive indefinitely (the local stack's single process), where the budget window starts afresh
   * as soon as it is spent.
   */
  WORKER_WALL_CLOCK_SECONDS: z.coerce.number().int().min(0).default(150),
  WORKER_IDLE_WAIT_SECONDS: positiveInteger(25),
  /**
   * The platform's CPU limit per isolate (hosted: 2 s; a kill there skips `beforeunload`); 0 for a process
   * with none (a worker run as a plain long-lived process), where the CPU budget is off.
   */
  WORKER_CPU_LIMIT_MS: z.coerce.number().int().min(0).default(2000),
  /**
   * No job is claimed once the isolate has used this much CPU. It sits just past the runtime's soft limit
   * (where it retires an isolate and sends new requests to a fresh one: half the limit here), so a wake-up
   * meanwhile has already gone to a successor; what is running then still has the rest of the limit.
   */
  WORKER_CPU_STOP_MS: positiveInteger(1100),
  /** CPU held back for each running job that is not a file (AI answer parsing, validation, SQL). */
  WORKER_JOB_CPU_MS: positiveInteger(60),
  /** CPU a material job may spend extracting text: its extraction deadline, held back while it runs. */
  WORKER_FILE_CPU_MS: positiveInteger(600),
});

/** A claimed job, as claim_jobs returns it. */
export interface ClaimedJob {
  id: string;
  kind: string;
  organization_id: string;
  team_id: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  locked_at: Date;
  lease_expires_at: Date;
  created_by: string | null;
}

/** A failure that trying again cannot fix (bad payload, missing team, ...): the job ends `failed`. */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

/** What a handler gets. */
export interface JobContext {
  job: ClaimedJob;
  /** Aborted when the lease is lost or the runtime shuts down: stop and write nothing. */
  signal: AbortSignal;
  /** Records the job's stage (for the frontend) and extends the lease. */
  progress(stage: string, percent: number): Promise<void>;
  /** The CPU (ms) this job may spend on its heaviest step (text extraction): held back for it at claim. */
  cpuBudgetMs: number;
  /**
   * The clock `cpuBudgetMs` is measured on: the isolate's CPU time where the runtime lets it be read (other
   * jobs' share included, so it errs on the safe side), else the wall clock.
   */
  cpuClock: () => number;
}

/** Does one job's work; completes the job itself through a fenced SQL function. */
export type JobHandler = (context: JobContext) => Promise<void>;

/** Compares the worker secret in constant time; 401 when missing or wrong. */
export function verifyWorkerSecret(request: Request): void {
  const given = request.headers.get("x-worker-secret") ?? "";
  // Digests have equal lengths, so neither the secret's length nor its content leaks through timing.
  const digest = (value: string) => createHash("sha256").update(value).digest();
  if (given === "" || !timingSafeEqual(digest(given), digest(workerSettings().WORKER_SECRET))) {
    throw new ApiError(ErrorCode.unauthorized, "Missing or wrong worker secret");
  }
}

/** Keeps the isolate alive for `work` after the response (EdgeRuntime.waitUntil, where there is one). */
function runInBackground(work: Promise<unknown>): void {
  (globalThis as { EdgeRuntime?: { waitUntil(p: Promise<unknown>): void } }).EdgeRuntime?.waitUntil(work);
}

interface Running {
  job: ClaimedJob;
  controller: AbortController;
}

/** How often a draining worker puts jobs whose lease lapsed (their worker died) back in the queue. */
const REQUEUE_EVERY_MS = 2000;

/** A worker for a set of job kinds. One per isolate. */
export function createJobWorker(handlers: Record<string, JobHandler>) {
  const workerId = `jobs-worker:${crypto.randomUUID().slice(0, 8)}`;
  const running = new Map<string, Running>();
  const FILE_KINDS = ["process_material"];
  let draining = false;
  let wakeRequested = false;
  /** Set once `beforeunload` fired: nothing is claimed any more. */
  let stopping = false;
  /** The start of this isolate's wall-clock window (its boot; see renewWindow). */
  let windowStart = bootedAt;
  let windowTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set once this isolate's CPU budget is spent: it claims nothing more (a successor does). */
  let cpuSpent = false;
  /** CPU charged for the jobs started, where the runtime does not let the worker read its own. */
  let chargedCpuMs = 0;
  let jobsStarted = 0;
  /** When this isolate last passed a wake-up on to a successor (see wake). */
  let successorWokenAt = 0;

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /**
   * A runtime that keeps an isolate past its wall-clock limit (the local stack's single process does) did not
   * enforce it: the worker then starts a new window instead of staying spent for ever. Hosted, an isolate is
   * gone by then, so this never happens there.
   */
  function renewWindow(now: number): void {
    if (now >= windowStart + workerSettings().WORKER_WALL_CLOCK_SECONDS * 1000) windowStart = now;
  }

  /** The CPU a job of this kind is allowed and held back for while it runs. */
  function cpuReserve(kind: string): number {
    const settings = workerSettings();
    return settings.WORKER_JOB_CPU_MS + (FILE_KINDS.includes(kind) ? settings.WORKER_FILE_CPU_MS : 0);
  }

  /** CPU used since boot: measured where possible, else what the jobs started were charged. */
  function cpuUsedMs(): number {
    const now = threadCpuMs();
    return now !== undefined && bootCpuMs !== undefined ? now - bootCpuMs : chargedCpuMs;
  }

  /**
   * CPU that new jobs may still be given: 90 % of the limit (a margin for heartbeats and shutdown), less what
   * is used and what the running jobs hold.
   */
  function cpuRoomMs(): number {
    if (workerSettings().WORKER_CPU_LIMIT_MS === 0) return Infinity;
    const held = [...running.values()].reduce((sum, { job }) => sum + cpuReserve(job.kind), 0);
    return workerSettings().WORKER_CPU_LIMIT_MS * 0.9 - cpuUsedMs() - held;
  }

  function claimDeadline(): number {
    return windowStart + workerSettings().WORKER_BUDGET_SECONDS * 1000;
  }

  async function heartbeat(job: ClaimedJob, progress: Record<string, unknown> | null): Promise<boolean> {
    const [row] = await db()`
      select public.heartbeat_job(${job.id}, ${job.attempts}, null, ${
      progress ? db().json(progress as never) : null
    }) as ok`;
    return row.ok as boolean;
  }

  /** Settles a failed attempt: deferred (provider outage), retried later, or ended. Never throws. */
  async function settleFailure(job: ClaimedJob, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    try {
      if (error instanceof AiError && error.providerSide) {
        // Not this job's fault: every worker pauses the provider, and the job keeps its attempt.
        const pausedUntil = await recordAiOutcome(error);
        const [row] = await withDbRetry(() =>
          db()`select public.defer_job(${job.id}, ${job.attempts}, ${message}, ${pausedUntil}, true) as status`
        );
        log("warn", "job deferred: AI provider unavailable", {
          job_id: job.id,
          attempt: job.attempts,
          now: row.status,
          paused_until: pausedUntil?.toISOString() ?? null,
          error: message,
        });
        return;
      }
      const retryable = !(error instanceof PermanentJobError) &&
        !(error instanceof Error && "retryable" in error && (error as { retryable: boolean }).retryable === false);
      const [row] = await withDbRetry(() =>
        db()`select public.fail_job(${job.id}, ${job.attempts}, ${message}, ${retryable}) as status`
      );
      log("warn", "job failed", { job_id: job.id, attempt: job.attempts, retryable, now: row.status, error: message });
    } catch (failure) {
      // The lease lapses and the job is requeued: nothing is lost.
      log("error", "could not record a job's failure", { job_id: job.id, error: String(failure) });
    }
  }

  async function runJob(job: ClaimedJob): Promise<void> {
    const controller = new AbortController();
    running.set(job.id, { job, controller });
    const leaseMs = new Date(job.lease_expires_at).getTime() - new Date(job.locked_at).getTime();
    const beat = setInterval(async () => {
      try {
        if (!(await heartbeat(job, null))) controller.abort(new Error("lease lost"));
      } catch (error) {
        log("warn", "heartbeat failed", { job_id: job.id, error: String(error) });
      }
    }, Math.max(1000, Math.floor(leaseMs / 3)));
    const started = performance.now();
    const cpuAtStart = cpuUsedMs();
    chargedCpuMs += cpuReserve(job.kind);
    jobsStarted++;
    try {
      const handler = handlers[job.kind];
      if (!handler) throw new PermanentJobError(`No handler for jobs of kind ${job.kind}`);
      await handler({
        job,
        signal: controller.signal,
        cpuBudgetMs: FILE_KINDS.includes(job.kind)
          ? workerSettings().WORKER_FILE_CPU_MS
          : workerSettings().WORKER_JOB_CPU_MS,
        cpuClock,
        progress: async (stage, percent) => {
          if (!(await withDbRetry(() => heartbeat(job, { stage, percent })))) controller.abort(new Error("lease lost"));
        },
      });
      await recordAiOutcome();
      log("info", "job done", {
        job_id: job.id,
        kind: job.kind,
        attempt: job.attempts,
        ms: Math.round(performance.now() - started),
        // The isolate's CPU while the job ran (other jobs' share included).
        isolate_cpu_ms: Math.round(cpuUsedMs() - cpuAtStart),
      });
    } catch (error) {
      if (controller.signal.aborted) {
        // Lost lease or shutdown: the job belongs to someone else (or to the shutdown path) now.
        log("warn", "job abandoned", {
          job_id: job.id,
          attempt: job.attempts,
          reason: String(controller.signal.reason),
        });
        return;
      }
      await settleFailure(job, error);
    } finally {
      clearInterval(beat);
      running.delete(job.id);
    }
  }

  /** Gives claimed jobs that never started back at once, without spending their attempt. */
  async function handBack(jobs: ClaimedJob[], reason: string): Promise<void> {
    await Promise.allSettled(
      jobs.map((job) =>
        withDbRetry(() => db()`select public.defer_job(${job.id}, ${job.attempts}, ${reason}, null, false)`, {
          maxMs: 3000,
        })
      ),
    );
    if (jobs.length) log("info", "handed back unstarted jobs", { count: jobs.length, reason });
    if (jobs.length && stopping) await wakeSuccessor(jobs);
  }

  /**
   * Asks the database to wake a worker for jobs this one gave back while stopping: the runtime sends no new
   * request to an isolate it is retiring, so the wake-up boots a successor instead of leaving the jobs to
   * the minute sweep. Best effort: the sweep still finds them.
   */
  async function wakeSuccessor(jobs: ClaimedJob[]): Promise<void> {
    const ids = jobs.map((job) => job.id);
    await db()`select public.wake_jobs_worker('worker_stopping', ${ids}::uuid[])`.catch((error) =>
      log("warn", "could not wake a successor worker", { worker: workerId, error: String(error) })
    );
  }

  async function claim(limit: number, kinds: string[]): Promise<ClaimedJob[]> {
    if (limit <= 0 || kinds.length === 0) return [];
    return await asService((tx) =>
      tx<ClaimedJob[]>`
        select id, kind, organization_id, team_id, payload, attempts, max_attempts, locked_at, lease_expires_at,
               created_by
        from public.claim_jobs(${workerId}, ${limit}, null, ${kinds})`
    );
  }

  /** Milliseconds until something may be claimable: a queued job due, or another worker's lease lapsing. */
  async function nextDueInMs(): Promise<number | null> {
    const [row] = await db()`
      select extract(epoch from (least(
               min(run_after) filter (where status = 'queued'),
               min(lease_expires_at) filter (where status = 'running' and locked_by <> ${workerId})
             ) - now())) * 1000 as ms
      from public.jobs where status in ('queued', 'running')`;
    return row.ms === null ? null : Math.max(0, Number(row.ms));
  }

  /**
   * Keeps up to WORKER_CONCURRENCY jobs running (at most WORKER_FILE_CONCURRENCY of them files), claiming as
   * slots free, until nothing is due soon, the budget from the isolate's boot is spent, or `beforeunload`
   * fires. While the AI provider is paused nothing is claimed. Database errors are waited out with backoff.
   */
  async function drain(): Promise<void> {
    const settings = workerSettings();
    const slots = new Set<Promise<void>>();
    const kinds = Object.keys(handlers);
    let files = 0;
    let dbFailures = 0;
    let requeuedAt = 0;
    const startedBefore = jobsStarted;
    draining = true;
    try {
      while (!stopping) {
        wakeRequested = false;
        let claimed: ClaimedJob[] = [];
        let pausedUntil: Date | null = null;
        try {
          const free = settings.WORKER_CONCURRENCY - slots.size;
          if (Date.now() - requeuedAt > REQUEUE_EVERY_MS) {
            // Jobs of a worker that died (its lease lapsed) go back to the queue, even while it is busy.
            await db()`select public.requeue_expired_jobs()`;
            requeuedAt = Date.now();
          }
          if (!cpuSpent && settings.WORKER_CPU_LIMIT_MS > 0 && cpuUsedMs() >= settings.WORKER_CPU_STOP_MS) {
            cpuSpent = true;
          }
          if (free > 0 && Date.now() < claimDeadline() && !cpuSpent) {
            const provider = await providerState();
            pausedUntil = provider.pausedUntil;
            // Half-open after a failure: one job probes the provider, the rest wait for its answer.
            const want = provider.failing ? (slots.size === 0 ? 1 : 0) : free;
            if (!pausedUntil && want > 0) {
              // Only what the CPU left can finish: each job is claimed with its reserve held back.
              let room = cpuRoomMs();
              const fileCost = cpuReserve(FILE_KINDS[0]);
              const fileKinds = kinds.filter((kind) => FILE_KINDS.includes(kind));
              claimed = await claim(
                Math.min(want, settings.WORKER_FILE_CONCURRENCY - files, Math.floor(room / fileCost)),
                fileKinds,
              );
              room -= claimed.length * fileCost;
              claimed.push(
                ...await claim(
                  Math.min(want - claimed.length, Math.floor(room / settings.WORKER_JOB_CPU_MS)),
                  kinds.filter((kind) => !FILE_KINDS.includes(kind)),
                ),
              );
            }
          }
          dbFailures = 0;
        } catch (error) {
          dbFailures++;
          log(isConnectionError(error) ? "warn" : "error", "worker could not claim; backing off", {
            worker: workerId,
            error: String(error),
          });
          if (Date.now() >= claimDeadline() && slots.size === 0) break;
          await Promise.race([...slots, sleep(Math.min(5000, 250 * 2 ** Math.min(dbFailures, 5)))]);
          continue;
        }
        if (stopping) {
          await handBack(claimed, "Handed back unstarted: the worker was stopping");
          break;
        }
        for (const job of claimed) {
          const isFile = FILE_KINDS.includes(job.kind);
          if (isFile) files++;
          const slot: Promise<void> = runJob(job).finally(() => {
            slots.delete(slot);
            if (isFile) files--;
          });
          slots.add(slot);
        }
        if (slots.size > 0) {
          // Wait for a slot to free (or more work to be announced) before claiming again.
          await Promise.race([...slots, sleep(claimed.length > 0 ? 0 : 250)]);
          continue;
        }
        if (wakeRequested && !cpuSpent) continue;
        const now = Date.now();
        // Nothing runs and nothing more fits: a job as heavy as a file could not finish in what is left.
        if (!cpuSpent && cpuRoomMs() < cpuReserve(FILE_KINDS[0])) cpuSpent = true;
        if (now >= claimDeadline() || cpuSpent) {
          await wakeSuccessorIfDue(cpuSpent ? "cpu" : "wall_clock");
          break;
        }
        let wait: number | null;
        try {
          wait = await nextDueInMs();
        } catch (error) {
          dbFailures++;
          log("warn", "worker could not read the queue; backing off", { worker: workerId, error: String(error) });
          await sleep(Math.min(5000, 250 * 2 ** Math.min(dbFailures, 5)));
          continue;
        }
        if (pausedUntil) wait = Math.max(wait ?? 0, pausedUntil.getTime() - now);
        const idle = Math.min(settings.WORKER_IDLE_WAIT_SECONDS * 1000, claimDeadline() - now);
        if (wait === null || wait > idle) break;
        await sleep(wait + 50);
      }
    } catch (error) {
      log("error", "worker drain failed", { worker: workerId, error: String(error) });
    } finally {
      await Promise.allSettled([...slots]);
      draining = false;
    }
    // A wake-up that found nothing to do is not worth a line (pg_net sends one per insert).
    log(jobsStarted > startedBefore || cpuSpent ? "info" : "debug", "worker drain ended", {
      worker: workerId,
      jobs: jobsStarted - startedBefore,
      jobs_since_boot: jobsStarted,
      cpu_ms: Math.round(cpuUsedMs()),
      cpu_measured: bootCpuMs !== undefined,
      cpu_spent: cpuSpent,
      since_boot_s: Math.round((Date.now() - bootedAt) / 1000),
    });
    scheduleNextWindow();
  }

  /**
   * This isolate claims nothing more (its CPU or wall-clock budget is spent) and the runtime has retired it:
   * if jobs are due, a wake-up boots a successor now rather than leaving them to the minute sweep.
   */
  async function wakeSuccessorIfDue(budget: "cpu" | "wall_clock"): Promise<void> {
    successorWokenAt = Date.now();
    try {
      const wait = await nextDueInMs();
      if (wait === null || wait > 1000) return;
      log("info", "worker budget spent with jobs due: waking a successor", {
        worker: workerId,
        budget,
        cpu_ms: Math.round(cpuUsedMs()),
      });
      await db()`select public.wake_jobs_worker(${`worker_${budget}_spent`})`;
    } catch (error) {
      log("warn", "could not wake a successor worker", { worker: workerId, error: String(error) });
    }
  }

  /** Where the runtime keeps a spent isolate alive (see renewWindow), drain again when its next window opens. */
  function scheduleNextWindow(): void {
    if (stopping || windowTimer || Date.now() < claimDeadline()) return;
    const at = windowStart + workerSettings().WORKER_WALL_CLOCK_SECONDS * 1000;
    windowTimer = setTimeout(() => {
      windowTimer = undefined;
      wake();
    }, Math.max(0, at - Date.now()));
    // Never keeps a process alive on its own (tests, benchmarks).
    (Deno as { unrefTimer?: (id: number) => void }).unrefTimer?.(windowTimer as unknown as number);
  }

  /**
   * On `beforeunload`: claim nothing more, hand running jobs back (due at once; a started attempt counts) and
   * wake a successor for them.
   */
  async function release(): Promise<void> {
    stopping = true;
    clearTimeout(windowTimer);
    const unfinished = [...running.values()];
    for (const { controller } of unfinished) controller.abort(new Error("runtime shutting down"));
    await Promise.allSettled(
      unfinished.map(({ job }) =>
        db()`select public.fail_job(${job.id}, ${job.attempts}, 'The worker stopped before finishing (runtime shutdown)',
              true, 0)`
      ),
    );
    if (unfinished.length) {
      log("warn", "released unfinished jobs on shutdown", { count: unfinished.length });
      await wakeSuccessor(unfinished.map(({ job }) => job));
    }
  }

  globalThis.addEventListener("beforeunload", () => runInBackground(release().catch(() => {})));

  /** Starts a background drain unless one is running (then it picks the new work up). */
  function wake(): { started: boolean; reason?: string } {
    if (stopping) return { started: false, reason: "shutting_down" };
    if (cpuSpent) {
      // The runtime retires an isolate at its soft CPU limit, before this: a wake-up reaching it raced the
      // retirement, or the runtime retires later than WORKER_CPU_STOP_MS assumes. The wake-up is passed on (at
      // most once a second): if it comes back here, each round costs CPU, which brings the runtime's soft
      // limit, and so a fresh isolate, nearer.
      log("warn", "worker woken with its CPU budget spent", { worker: workerId, cpu_ms: Math.round(cpuUsedMs()) });
      if (Date.now() - successorWokenAt >= 1000) runInBackground(wakeSuccessorIfDue("cpu"));
      return { started: false, reason: "cpu_budget_spent" };
    }
    renewWindow(Date.now());
    if (draining) {
      wakeRequested = true;
      return { started: false, reason: "draining" };
    }
    if (Date.now() >= claimDeadline()) {
      scheduleNextWindow();
      return { started: false, reason: "budget_spent" };
    }
    runInBackground(drain());
    return { started: true };
  }

  return {
    workerId,
    wake,
    /** Drains in the foreground (tests and benchmarks). */
    drain,
  };
}
