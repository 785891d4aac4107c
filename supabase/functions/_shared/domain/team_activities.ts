/** Team activities: customizing a catalog activity in real time, listing them, moving their status. */
import type { z } from "zod";
import { ActivityContent, normalizeActivity } from "../contract/activity.ts";
import { countAiCall } from "./ai_calls.ts";
import { AiError, aiProvider, generateStructured, modelFor } from "../ai/openai.ts";
import type { Caller } from "../http/auth.ts";
import { asService, asUser, db, type Transaction, withDbRetry } from "../db/connection.ts";
import { aiFailure, assertProviderAvailable, recordAiOutcome } from "./ai_circuit.ts";
import { log } from "../core/log.ts";
import { ApiError, ErrorCode } from "../core/errors.ts";
import { requestHash, runOnce, type StoredResponse } from "./idempotency.ts";
import { claimsOf, confirmNamedOrganization } from "./organizations.ts";
import { customizationPrompt, type SourceActivity, type TeamForPrompt } from "../ai/prompts.ts";
import { quotaJson, type QuotaRow } from "./quota.ts";
import type {
  ActivitiesQuery,
  CustomizeActivityInput,
  TeamActivity,
  UpdateActivityStatusInput,
} from "../contract/schemas.ts";
import { mapDatabaseErrors } from "../db/sql_errors.ts";
import { findTeam } from "./teams.ts";

type TeamActivityJson = z.infer<typeof TeamActivity>;

interface TeamActivityRow {
  id: string;
  team_id: string;
  organization_id: string;
  source: "customized" | "generated";
  status: "suggested" | "planned" | "completed" | "archived";
  title: string;
  content: z.infer<typeof ActivityContent>;
  model: string;
  public_activity_id: string | null;
  job_id: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The API shape of a team activity row. */
export function teamActivityJson(row: TeamActivityRow): TeamActivityJson {
  return {
    id: row.id,
    team_id: row.team_id,
    organization_id: row.organization_id,
    source: row.source,
    status: row.status,
    title: row.title,
    content: row.content,
    model: row.model,
    public_activity_id: row.public_activity_id,
    job_id: row.job_id,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

/**
 * What customizing needs to know, read as the caller in one statement (RLS: another organization's team,
 * or a team the caller cannot see, is not found).
 */
async function customizationContext(tx: Transaction, input: z.infer<typeof CustomizeActivityInput>) {
  const [row] = await tx<(TeamForPrompt & {
    organization_id: string;
    plan: "free" | "paid";
    user_id: string | null;
    activity: SourceActivity | null;
  })[]>`
    select t.organization_id, t.name, t.size, t.work_mode, t.industry, t.goals, t.interests, t.notes, o.plan,
           public.current_app_user_id() as user_id,
           (select jsonb_build_object(
              'title', a.title, 'summary', a.summary, 'category', a.category, 'duration_minutes', a.duration_minutes,
              'min_group_size', a.min_group_size, 'max_group_size', a.max_group_size, 'work_modes', a.work_modes,
              'objectives', a.objectives, 'materials', a.materials, 'preparation', a.preparation, 'steps', a.steps,
              'facilitation_tips', a.facilitation_tips, 'debrief_questions', a.debrief_questions)
            from public.public_activities a where a.id = ${input.public_activity_id}) as activity
    from public.teams t join public.organizations o on o.id = t.organization_id
    where t.id = ${input.team_id}`;
  if (!row || !row.user_id) throw new ApiError(ErrorCode.notFound, "No such team", { resource: "team" });
  if (!row.activity) {
    throw new ApiError(ErrorCode.notFound, "No such catalog activity", { resource: "public_activity" });
  }
  const { activity, plan, user_id, organization_id, ...team } = row;
  return { team, organizationId: organization_id, activity, plan, userId: user_id };
}

/** How often a running customization renews its quota hold (QUOTA_RESERVATION_TTL_SECONDS is 60 by default). */
const HOLD_RENEW_MS = 20_000;

/**
 * Customizes a catalog activity for a team: reserve one unit of quota, ask the AI, then save the activity
 * and commit the unit in one transaction. Any failure releases the unit: a failed call never spends. While
 * the AI works, the hold is renewed; a request that dies stops renewing and the hold lapses within a minute.
 * Database blips are retried; the save is retried too, and a save whose commit went through before the
 * connection dropped is found again by its reservation, so the caller gets the activity it paid for.
 */
export async function customizeActivity(
  caller: Caller,
  input: z.infer<typeof CustomizeActivityInput>,
  idempotencyKey: string | null,
): Promise<StoredResponse> {
  const context = await mapDatabaseErrors(() =>
    withDbRetry(() =>
      asUser(claimsOf(caller), async (tx) => {
        const context = await customizationContext(tx, input);
        const named = input.organization_id;
        await confirmNamedOrganization(tx, caller, { named, teamOrganizationId: context.organizationId });
        return context;
      })
    )
  );
  const organizationId = context.organizationId;
  return await runOnce(
    {
      organizationId,
      userId: context.userId,
      scope: "activities-customize",
      key: idempotencyKey,
      hash: idempotencyKey === null ? "" : await requestHash(input),
    },
    async (complete) => {
      // Refused before anything is reserved while the provider is paused for everyone.
      await mapDatabaseErrors(() => assertProviderAvailable());
      // One statement, so one round trip: the function is atomic on its own. A retry after a lost answer
      // leaves at most an orphaned hold, which lapses after QUOTA_RESERVATION_TTL_SECONDS.
      const [reservation] = await mapDatabaseErrors(() =>
        withDbRetry(() =>
          db()<{ id: string }[]>`select id from public.reserve_quota(${organizationId}, 'customization')`
        )
      );
      const renew = setInterval(() => {
        db()`select public.extend_quota_reservation(${reservation.id})`.catch((error) =>
          log("warn", "could not renew a quota hold", { error: String(error) })
        );
      }, HOLD_RENEW_MS);
      try {
        const { model, maxTokens } = modelFor(context.plan, "customization");
        let answer;
        try {
          answer = await generateStructured({
            schema: ActivityContent,
            schemaName: "team_activity",
            messages: customizationPrompt({
              team: context.team,
              activity: context.activity,
              durationMinutes: input.duration_minutes,
              notes: input.notes,
            }),
            model,
            maxTokens,
            beforeRequest: () => countAiCall(organizationId),
          });
        } catch (error) {
          const pausedUntil = await recordAiOutcome(error);
          throw error instanceof AiError ? aiFailure(error, pausedUntil) : error;
        }
        const content = normalizeActivity(answer.value);
        let tries = 0;
        const save = () =>
          asService(async (tx) => {
            tries++;
            // After a dropped connection the first save may have committed: then it is the result.
            const [saved] = tries > 1
              ? await tx<
                TeamActivityRow[]
              >`select * from public.team_activities where quota_reservation_id = ${reservation.id}`
              : [];
            const [row] = saved ? [saved] : await tx<TeamActivityRow[]>`
              select * from public.save_customized_activity(${reservation.id}, ${input.team_id},
                ${input.public_activity_id}, ${tx.json(content)}, ${answer.model}, ${context.userId})`;
            await tx`select public.record_ai_success(${aiProvider()})`;
            // A statement of its own: within the saving statement, the committed unit is not visible yet.
            const [quota] = await tx<QuotaRow[]>`
              select monthly_limit, used, remaining, resets_at from public.quota_status(${organizationId})
              where feature = 'customization'`;
            const response = { status: 201, body: { activity: teamActivityJson(row), quota: quotaJson(quota) } };
            if (!saved) await complete(tx, response);
            return response;
          });
        return await mapDatabaseErrors(() => withDbRetry(save, { maxMs: 15_000 }));
      } catch (error) {
        await withDbRetry(() => db()`select public.release_quota(${reservation.id})`).catch(() => {});
        throw error;
      } finally {
        clearInterval(renew);
      }
    },
  );
}

/** A team's activities, newest first, optionally by status and source. */
export async function listTeamActivities(
  caller: Caller,
  query: z.infer<typeof ActivitiesQuery>,
): Promise<TeamActivityJson[]> {
  return await mapDatabaseErrors(() =>
    asUser(claimsOf(caller), async (tx) => {
      await findTeam(tx, query.team_id);
      const rows = await tx<TeamActivityRow[]>`
        select * from public.team_activities
        where team_id = ${query.team_id}
          ${query.status ? tx`and status = ${query.status}` : tx``}
          ${query.source ? tx`and source = ${query.source}` : tx``}
        order by created_at desc, job_position nulls first, id
        limit 500`;
      return rows.map(teamActivityJson);
    })
  );
}

/** Moves an activity along suggested → planned → completed (or archived); other moves are 409s. */
export async function updateActivityStatus(
  caller: Caller,
  input: z.infer<typeof UpdateActivityStatusInput>,
): Promise<TeamActivityJson> {
  return await mapDatabaseErrors(() =>
    asUser(claimsOf(caller), async (tx) => {
      const [row] = await tx<TeamActivityRow[]>`
        select * from public.set_team_activity_status(${input.activity_id}, ${input.status})`;
      return teamActivityJson(row);
    })
  );
}
