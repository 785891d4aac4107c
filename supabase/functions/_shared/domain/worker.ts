/**
 * The jobs worker: woken by the database (pg_net) with a shared secret, it answers at once and drains due
 * jobs in the background (EdgeRuntime.waitUntil) within a wall-clock budget. Every job runs under a lease
 * it keeps alive with heartbeats; every write names the attempt it was given, so a worker that lost its
 * lease changes nothing. Handlers are looked up by the job's kind.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { defineSettings, positiveInteger } from "../core/config.ts";
import { asService, db } from "../db/connection.ts";
import { ApiError, ErrorCode } from "../core/errors.ts";
import { log } from "../core/log.ts";

/** Worker settings. */
export const workerSettings = defineSettings({
  WORKER_SECRET: z.string().min(16),
  WORKER_CONCURRENCY: positiveInteger(8),
  WORKER_BUDGET_SECONDS: positiveInteger(120),
  WORKER_IDLE_WAIT_SECONDS: positiveInteger(20),
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

/** A worker for a set of job kinds. One per isolate. */
export function createJobWorker(handlers: Record<string, JobHandler>) {
  const workerId = `jobs-worker:${crypto.randomUUID().slice(0, 8)}`;
  const running = new Map<string, Running>();
  let draining = false;
  let wakeRequested = false;

  async function heartbeat(job: ClaimedJob, progress: Record<string, unknown> | null): Promise<boolean> {
    const [row] = await db()`
      select public.heartbeat_job(${job.id}, ${job.attempts}, null, ${
      progress ? db().json(progress as never) : null
    }) as ok`;
    return row.ok as boolean;
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
    try {
      const handler = handlers[job.kind];
      if (!handler) throw new PermanentJobError(`No handler for jobs of kind ${job.kind}`);
      await handler({
        job,
        signal: controller.signal,
        progress: async (stage, percent) => {
          if (!(await heartbeat(job, { stage, percent }))) controller.abort(new Error("lease lost"));
        },
      });
      log("info", "job done", {
        job_id: job.id,
        kind: job.kind,
        attempt: job.attempts,
        ms: Math.round(performance.now() - started),
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
      const retryable = !(error instanceof PermanentJobError) &&
        !(error instanceof Error && "retryable" in error && (error as { retryable: boolean }).retryable === false);
      const message = error instanceof Error ? error.message : String(error);
      const [row] = await db()`
        select public.fail_job(${job.id}, ${job.attempts}, ${message}, ${retryable}) as status`;
      log("warn", "job failed", { job_id: job.id, attempt: job.attempts, retryable, now: row.status, error: message });
    } finally {
      clearInterval(beat);
      running.delete(job.id);
    }
  }

  async function nextDueInMs(): Promise<number | null> {
    const [row] = await db()`
      select extract(epoch from (min(run_after) - now())) * 1000 as ms from public.jobs where status = 'queued'`;
    return row.ms === null ? null : Math.max(0, Number(row.ms));
  }

  /**
   * Keeps up to WORKER_CONCURRENCY jobs running, claiming one as soon as a slot frees, until none are due
   * (waiting briefly for a retry that is due soon) or the budget is spent. One drain per isolate.
   */
  async function drain(): Promise<void> {
    const settings = workerSettings();
    const deadline = Date.now() + settings.WORKER_BUDGET_SECONDS * 1000;
    const slots = new Set<Promise<void>>();
    draining = true;
    try {
      while (true) {
        wakeRequested = false;
        const free = settings.WORKER_CONCURRENCY - slots.size;
        const jobs = free > 0 && Date.now() < deadline
          ? await asService((tx) =>
            tx<ClaimedJob[]>`
              select id, kind, organization_id, team_id, payload, attempts, max_attempts, locked_at, lease_expires_at,
                     created_by
              from public.claim_jobs(${workerId}, ${free}, null, ${Object.keys(handlers)})`
          )
          : [];
        for (const job of jobs) {
          const slot: Promise<void> = runJob(job).finally(() => slots.delete(slot));
          slots.add(slot);
        }
        if (slots.size > 0) {
          // Wait for a slot to free (or more work to be announced) before claiming again.
          await Promise.race([...slots, new Promise((resolve) => setTimeout(resolve, jobs.length > 0 ? 0 : 250))]);
          continue;
        }
        if (wakeRequested) continue;
        if (Date.now() >= deadline) break;
        const wait = await nextDueInMs();
        const idle = Math.min(settings.WORKER_IDLE_WAIT_SECONDS * 1000, deadline - Date.now());
        if (wait === null || wait > idle) break;
        await new Promise((resolve) => setTimeout(resolve, wait + 50));
      }
    } catch (error) {
      log("error", "worker drain failed", { worker: workerId, error: String(error) });
      await Promise.allSettled([...slots]);
    } finally {
      draining = false;
    }
  }

  /** Hands unfinished jobs back (due at once; the attempt counts) when the runtime is about to stop. */
  async function release(): Promise<void> {
    const unfinished = [...running.values()];
    for (const { controller } of unfinished) controller.abort(new Error("runtime shutting down"));
    await Promise.allSettled(
      unfinished.map(({ job }) =>
        db()`select public.fail_job(${job.id}, ${job.attempts}, 'The worker stopped before finishing (runtime shutdown)',
              true, 0)`
      ),
    );
    if (unfinished.length) log("warn", "released unfinished jobs on shutdown", { count: unfinished.length });
  }

  globalThis.addEventListener("beforeunload", () => runInBackground(release()));

  return {
    workerId,
    /** Starts a background drain unless one is running (then it picks the new work up). */
    wake(): { started: boolean } {
      if (draining) {
        wakeRequested = true;
        return { started: false };
      }
      runInBackground(drain());
      return { started: true };
    },
    /** Drains in the foreground (tests and benchmarks). */
    drain,
  };
}
