/**
 * The shared pause of an AI provider: every worker and request records the provider's transient failures
 * and answers in Postgres (public.ai_provider_circuits), so all of them stop calling while the provider
 * says "slow down" (Retry-After) or fails again and again (an open circuit), and start again together.
 */
import { AiError, aiProvider } from "../ai/openai.ts";
import { ApiError, ErrorCode } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { db, withDbRetry } from "../db/connection.ts";

/** Until when the provider must be left alone (null: it may be called now). */
export async function providerPausedUntil(): Promise<Date | null> {
  return (await providerState()).pausedUntil;
}

/**
 * The provider's pause, and whether its last outcome was a failure (`failing`): once a pause ends, a worker
 * sends one job as a probe, not a full batch, until an answer closes the circuit (half-open).
 */
export async function providerState(): Promise<{ pausedUntil: Date | null; failing: boolean }> {
  const [row] = await withDbRetry(() =>
    db()<{ paused_until: Date | null; consecutive_failures: number }[]>`
      select paused_until, consecutive_failures from public.ai_provider_pause(${aiProvider()})`
  );
  return {
    pausedUntil: row?.paused_until ? new Date(row.paused_until) : null,
    failing: (row?.consecutive_failures ?? 0) > 0,
  };
}

/**
 * Records how an AI call ended: a provider-side failure counts towards the pause (and returns its end),
 * an answer closes the circuit. Best effort: a database error here never hides the call's own outcome.
 */
export async function recordAiOutcome(error?: unknown): Promise<Date | null> {
  try {
    if (error === undefined) {
      await db()`select public.record_ai_success(${aiProvider()})`;
      return null;
    }
    if (!(error instanceof AiError) || !error.providerSide) return null;
    const [row] = await db()<{ until: Date | null }[]>`
      select public.record_ai_failure(${aiProvider()}, ${error.message}, ${error.retryAfterSeconds}) as until`;
    return row.until ? new Date(row.until) : null;
  } catch (failure) {
    log("warn", "could not record the AI provider's state", { error: String(failure) });
    return null;
  }
}

function secondsUntil(when: Date | null, fallback: number): number {
  return when ? Math.max(1, Math.ceil((when.getTime() - Date.now()) / 1000)) : fallback;
}

/** 503 with Retry-After when the provider is paused: the request is refused before anything is reserved. */
export async function assertProviderAvailable(): Promise<void> {
  const until = await providerPausedUntil();
  if (until && until.getTime() > Date.now()) {
    throw new ApiError(
      ErrorCode.unavailable,
      "The AI provider is unavailable or asked us to slow down; nothing was spent: try again after Retry-After",
      { retryable: true, retry_at: until.toISOString() },
      { retryAfterSeconds: secondsUntil(until, 1) },
    );
  }
}

/** The API error for a failed AI call in a request: 503 + Retry-After for outages, 502 otherwise. */
export function aiFailure(error: AiError, pausedUntil: Date | null): ApiError {
  if (error.providerSide) {
    const retryAfter = Math.max(secondsUntil(pausedUntil, 0), error.retryAfterSeconds ?? 0) || 5;
    return new ApiError(ErrorCode.unavailable, `${error.message}; nothing was spent: try again after Retry-After`, {
      retryable: true,
    }, { retryAfterSeconds: retryAfter });
  }
  if (error.kind === "invalid_output") {
    return new ApiError(ErrorCode.aiFailed, "The AI's answer was unusable; nothing was spent: try again", {
      retryable: true,
    });
  }
  if (error.kind === "truncated") {
    return new ApiError(ErrorCode.aiFailed, "The AI's answer ran past its token limit; nothing was spent", {
      retryable: false,
    });
  }
  return new ApiError(ErrorCode.aiFailed, "The AI could not write this activity; nothing was spent", {
    retryable: false,
  });
}
