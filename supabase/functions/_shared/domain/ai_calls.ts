/**
 * The monthly ceiling on requests to the AI per organization (FREE_TIER_AI_CALL_CEILING,
 * PAID_TIER_AI_CALL_CEILING in app_settings): each request is counted before it is sent, whatever its
 * outcome, so retries, repairs and unusable answers cannot add up to unbounded calls.
 */
import { ApiError } from "../core/errors.ts";
import { asService } from "../db/connection.ts";
import { mapDatabaseErrors } from "../db/sql_errors.ts";
import { PermanentJobError } from "./worker.ts";

/** Counts one AI request for the organization, or throws 429 quota_exceeded (feature ai_call) past the ceiling. */
export async function countAiCall(organizationId: string): Promise<void> {
  await mapDatabaseErrors(() => asService((tx) => tx`select public.count_ai_call(${organizationId})`));
}

/** The same inside a job: past the ceiling the job ends failed at once (retrying cannot help this month). */
export async function countAiCallInJob(organizationId: string): Promise<void> {
  try {
    await countAiCall(organizationId);
  } catch (error) {
    if (error instanceof ApiError && error.status === 429) {
      throw new PermanentJobError(`Not sent to the AI: ${error.message}`);
    }
    throw error;
  }
}
