/**
 * Custom generation, a paid feature: the request reserves quota and enqueues a job in one transaction;
 * the job asks the AI for three activities from the team's requirements and material summaries and saves
 * exactly three, fenced by the attempt number so a job never has two sets.
 */
import type { z } from "zod";
import { GeneratedActivities, normalizeActivity } from "../contract/activity.ts";
import { countAiCallInJob } from "./ai_calls.ts";
import { generateStructured, modelFor } from "../ai/openai.ts";
import type { Caller } from "../http/auth.ts";
import { asService, asUser } from "../db/connection.ts";
import { ApiError, ErrorCode } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { claimsOf, confirmNamedOrganization } from "./organizations.ts";
import { generationPrompt, type MaterialForPrompt, type TeamForPrompt } from "../ai/prompts.ts";
import type { GenerateActivitiesInput } from "../contract/schemas.ts";
import { mapDatabaseErrors } from "../db/sql_errors.ts";
import { findTeam } from "./teams.ts";
import { type JobContext, PermanentJobError } from "./worker.ts";

/** Characters of material summaries a generation prompt may carry (about 6,000 tokens). */
export const MATERIAL_BUDGET_CHARS = 24_000;

/** Queues a generation for a team; answers with the job (the same one again for a repeated key). */
export async function requestGeneration(
  caller: Caller,
  input: z.infer<typeof GenerateActivitiesInput>,
  idempotencyKey: string | null,
): Promise<{ job_id: string; status: string }> {
  const context = await mapDatabaseErrors(() =>
    asUser(claimsOf(caller), async (tx) => {
      const team = await findTeam(tx, input.team_id);
      const named = input.organization_id;
      await confirmNamedOrganization(tx, caller, { named, teamOrganizationId: team.organization_id });
      const [{ user_id }] = await tx<{ user_id: string | null }[]>`select public.current_app_user_id() as user_id`;
      if (input.material_ids?.length) {
        const found = await tx<{ id: string; status: string }[]>`
          select id, status from public.team_materials
          where team_id = ${input.team_id} and id = any(${input.material_ids}::uuid[])`;
        const missing = input.material_ids.find((id) => !found.some((m) => m.id === id));
        if (missing) {
          throw new ApiError(ErrorCode.notFound, "No such material for this team", {
            resource: "material",
            field: "material_ids",
          });
        }
        const notReady = found.find((m) => m.status !== "ready");
        if (notReady) {
          throw new ApiError(ErrorCode.conflict, "A chosen material is not ready yet: wait until it is processed", {
            field: "material_ids",
            material_id: notReady.id,
            status: notReady.status,
          });
        }
      }
      return { organizationId: team.organization_id, userId: user_id };
    })
  );
  const payload = { requirements: input.requirements, material_ids: input.material_ids ?? null };
  const [job] = await mapDatabaseErrors(() =>
    asService((tx) =>
      tx<{ id: string; status: string }[]>`
        select id, status from public.enqueue_job(
          p_kind => 'generate_activities', p_organization_id => ${context.organizationId},
          p_team_id => ${input.team_id}, p_payload => ${tx.json(payload)}, p_idempotency_key => ${idempotencyKey},
          p_quota_feature => 'custom_generation', p_created_by => ${context.userId})`
    )
  );
  return { job_id: job.id, status: job.status };
}

/** Picks material summaries for the prompt: the chosen ones (or all ready ones), newest first, within budget. */
function withinBudget(materials: MaterialForPrompt[]): MaterialForPrompt[] {
  const picked: MaterialForPrompt[] = [];
  let used = 0;
  for (const material of materials) {
    if (used + material.summary.length > MATERIAL_BUDGET_CHARS) break;
    picked.push(material);
    used += material.summary.length;
  }
  return picked;
}

/** The generate_activities job. */
export async function runGenerationJob({ job, signal, progress }: JobContext): Promise<void> {
  const requirements = job.payload.requirements;
  if (typeof requirements !== "string") throw new PermanentJobError("The job has no requirements");
  const chosen = Array.isArray(job.payload.material_ids) ? job.payload.material_ids as string[] : null;

  await progress("reading the team and its materials", 10);
  const { team, plan, materials } = await asService(async (tx) => {
    const [team] = await tx<(TeamForPrompt & { id: string })[]>`
      select id, name, size, work_mode, industry, goals, interests, notes from public.teams where id = ${job.team_id}`;
    const [org] = await tx<{ plan: "free" | "paid" }[]>`
      select plan from public.organizations where id = ${job.organization_id}`;
    const materials = await tx<MaterialForPrompt[]>`
      select filename, summary || case when cardinality(key_points) = 0 then ''
          else E'\n\nKey points:\n- ' || array_to_string(key_points, E'\n- ') end as summary
      from public.team_materials
      where team_id = ${job.team_id} and status = 'ready' and summary is not null
        ${chosen ? tx`and id = any(${chosen}::uuid[])` : tx``}
      order by created_at desc`;
    return { team, plan: org?.plan ?? "free", materials };
  });
  if (!team) throw new PermanentJobError("The team no longer exists");

  await progress("writing three activities", 30);
  const { model, maxTokens } = modelFor(plan, "generation");
  const answer = await generateStructured({
    schema: GeneratedActivities,
    schemaName: "team_activities",
    messages: generationPrompt({ team, requirements, materials: withinBudget(materials) }),
    model,
    maxTokens,
    signal,
    beforeRequest: () => countAiCallInJob(job.organization_id),
  });
  if (signal.aborted) return;

  await progress("saving", 90);
  const activities = answer.value.activities.map(normalizeActivity);
  const saved = await asService((tx) =>
    tx`select id from public.complete_generate_activities_job(${job.id}, ${job.attempts},
         ${tx.json(activities as never)}, ${answer.model})`
  );
  if (saved.length === 0) {
    log("warn", "generation finished after its lease was lost: nothing saved", {
      job_id: job.id,
      attempt: job.attempts,
    });
  }
}
