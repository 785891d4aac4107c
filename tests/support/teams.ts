/** Small steps many tests share: a team, a catalog activity, a quota, a job that finished. */
import type { SupabaseClient } from "@supabase/supabase-js";
import { call } from "./api.ts";
import { waitFor } from "./wait.ts";

/** Creates a team and returns its id. */
export async function createTeam(client: SupabaseClient, name = "Product Squad"): Promise<string> {
  const result = await call<{ team: { id: string } }>(client, "teams-create", {
    body: {
      name,
      profile: { size: 6, work_mode: "hybrid", industry: "Logistics", goals: ["Trust"], interests: ["Cooking"] },
    },
  });
  if (result.status !== 201) throw new Error(`teams-create answered ${result.status}: ${JSON.stringify(result.body)}`);
  return result.body.team.id;
}

/** The id of a catalog activity (the first by title unless a slug is given). */
export async function catalogActivityId(client: SupabaseClient): Promise<string> {
  const result = await call<{ activities: { id: string }[] }>(client, "public-activities-list", {
    method: "GET",
    query: { limit: "1", category: "icebreaker" },
  });
  return result.body.activities[0].id;
}

/** One feature's quota as quota-status shows it. */
export async function quotaOf(
  client: SupabaseClient,
  feature: "customization" | "custom_generation",
): Promise<{ limit: number; used: number; reserved: number; remaining: number }> {
  const result = await call<
    { quotas: { feature: string; limit: number; used: number; reserved: number; remaining: number }[] }
  >(
    client,
    "quota-status",
    { method: "GET" },
  );
  return result.body.quotas.find((q) => q.feature === feature)!;
}

/** A job as jobs-get shows it. */
export interface JobView {
  job: { id: string; status: string; attempts: number; error: string | null; progress: Record<string, unknown> };
  activities?: { id: string; source: string; job_id: string; model: string; content: Record<string, unknown> }[];
}

/** Polls jobs-get until the job ends (succeeded, failed, dead or cancelled). */
export async function waitForJobEnd(client: SupabaseClient, jobId: string, timeoutMs = 60_000): Promise<JobView> {
  return await waitFor(`job ${jobId} to end`, async () => {
    const result = await call<JobView>(client, "jobs-get", { method: "GET", query: { job_id: jobId } });
    return ["succeeded", "failed", "dead", "cancelled"].includes(result.body.job?.status) ? result.body : undefined;
  }, { timeoutMs, intervalMs: 200 });
}
