/** Jobs as the frontend polls them (RLS: another organization's jobs do not exist for the caller). */
import type { z } from "zod";
import type { Caller } from "../http/auth.ts";
import { asUser } from "../db/connection.ts";
import { ApiError, ErrorCode } from "../core/errors.ts";
import { claimsOf } from "./organizations.ts";
import type { Job, JobsQuery, TeamActivity } from "../contract/schemas.ts";
import { mapDatabaseErrors } from "../db/sql_errors.ts";
import { teamActivityJson } from "./team_activities.ts";
import { findTeam } from "./teams.ts";

type JobJson = z.infer<typeof Job>;

interface JobRow {
  id: string;
  kind: JobJson["kind"];
  team_id: string;
  status: JobJson["status"];
  attempts: number;
  max_attempts: number;
  progress: JobJson["progress"];
  last_error: string | null;
  result: JobJson["result"];
  run_after: Date;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

const iso = (value: Date | null) => (value === null ? null : new Date(value).toISOString());

/** The API shape of a job. */
export function jobJson(row: JobRow): JobJson {
  return {
    id: row.id,
    kind: row.kind,
    team_id: row.team_id,
    status: row.status,
    attempts: row.attempts,
    max_attempts: row.max_attempts,
    progress: row.progress,
    error: row.last_error,
    result: row.result,
    run_after: iso(row.run_after)!,
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
    finished_at: iso(row.finished_at),
  };
}

/** One job, with its activities once it succeeded. */
export async function getJob(
  caller: Caller,
  jobId: string,
): Promise<{ job: JobJson; activities?: z.infer<typeof TeamActivity>[] }> {
  return await mapDatabaseErrors(() =>
    asUser(claimsOf(caller), async (tx) => {
      const [row] = await tx<JobRow[]>`select * from public.jobs where id = ${jobId}`;
      if (!row) throw new ApiError(ErrorCode.notFound, "No such job", { resource: "job" });
      if (row.status !== "succeeded" || row.kind !== "generate_activities") return { job: jobJson(row) };
      const activities = await tx`
        select * from public.team_activities where job_id = ${jobId} order by job_position`;
      return { job: jobJson(row), activities: activities.map((a) => teamActivityJson(a as never)) };
    })
  );
}

/** A team's jobs, newest first. */
export async function listJobs(caller: Caller, query: z.infer<typeof JobsQuery>): Promise<JobJson[]> {
  return await mapDatabaseErrors(() =>
    asUser(claimsOf(caller), async (tx) => {
      await findTeam(tx, query.team_id);
      const rows = await tx<JobRow[]>`
        select * from public.jobs
        where team_id = ${query.team_id} ${query.status ? tx`and status = ${query.status}` : tx``}
        order by created_at desc, id
        limit 200`;
      return rows.map(jobJson);
    })
  );
}
