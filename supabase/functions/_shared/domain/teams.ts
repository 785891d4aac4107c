/** Teams: created, listed, updated and deleted as the calling user, so RLS and the SQL functions decide. */
import type { z } from "zod";
import type { Caller } from "../http/auth.ts";
import { asUser, type Transaction } from "../db/connection.ts";
import { ApiError, ErrorCode } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { claimsOf, resolveOrganization } from "./organizations.ts";
import type { CreateTeamInput, Team, UpdateTeamInput } from "../contract/schemas.ts";
import { mapDatabaseErrors } from "../db/sql_errors.ts";
import { removeStoredObjects } from "../db/storage.ts";

type TeamJson = z.infer<typeof Team>;

interface TeamRow {
  id: string;
  organization_id: string;
  name: string;
  size: number;
  work_mode: "remote" | "hybrid" | "onsite";
  industry: string | null;
  goals: string[];
  interests: string[];
  notes: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The API shape of a team row. */
export function teamJson(row: TeamRow): TeamJson {
  return {
    id: row.id,
    organization_id: row.organization_id,
    name: row.name,
    profile: {
      size: row.size,
      work_mode: row.work_mode,
      industry: row.industry,
      goals: row.goals,
      interests: row.interests,
      notes: row.notes,
    },
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

/** Creates a team in the named (or active) organization. */
export async function createTeam(caller: Caller, input: z.infer<typeof CreateTeamInput>): Promise<TeamJson> {
  return await mapDatabaseErrors(() =>
    asUser(claimsOf(caller), async (tx) => {
      const org = await resolveOrganization(tx, caller, input.organization_id);
      const [row] = await tx<TeamRow[]>`
        select * from public.create_team(${org.id}, ${input.name}, ${tx.json(input.profile)})`;
      return teamJson(row);
    })
  );
}

/** The teams of the named (or active) organization, oldest first. */
export async function listTeams(caller: Caller, organizationId?: string): Promise<TeamJson[]> {
  return await mapDatabaseErrors(() =>
    asUser(claimsOf(caller), async (tx) => {
      const org = await resolveOrganization(tx, caller, organizationId);
      const rows = await tx<TeamRow[]>`
        select * from public.teams where organization_id = ${org.id} order by created_at, id`;
      return rows.map(teamJson);
    })
  );
}

/** Reads one team the caller can see, or throws 404 (another organization's team does not exist for them). */
export async function findTeam(tx: Transaction, teamId: string): Promise<TeamRow> {
  const [row] = await tx<TeamRow[]>`select * from public.teams where id = ${teamId}`;
  if (!row) throw new ApiError(ErrorCode.notFound, "No such team", { resource: "team" });
  return row;
}

/** Updates a team's name and profile fields. */
export async function updateTeam(caller: Caller, input: z.infer<typeof UpdateTeamInput>): Promise<TeamJson> {
  return await mapDatabaseErrors(() =>
    asUser(claimsOf(caller), async (tx) => {
      const [row] = await tx<TeamRow[]>`
        select * from public.update_team(${input.team_id}, ${input.name ?? null},
          ${input.profile ? tx.json(input.profile) : null})`;
      return teamJson(row);
    })
  );
}

/** Deletes a team (admins only) with its activities, jobs and materials, then its stored files. */
export async function deleteTeam(caller: Caller, teamId: string): Promise<{ removed_files: number }> {
  const paths = await mapDatabaseErrors(() =>
    asUser(claimsOf(caller), async (tx) => {
      const rows = await tx<{ delete_team: string }[]>`select public.delete_team(${teamId})`;
      return rows.map((row) => row.delete_team).filter((path) => path !== null);
    })
  );
  // The rows are gone (committed): removing the files is best effort; a failure leaves orphans to log, not
  // a half-deleted team.
  try {
    await removeStoredObjects(paths);
  } catch (error) {
    log("error", "could not remove a deleted team's files", {
      team_id: teamId,
      files: paths.length,
      error: String(error),
    });
  }
  return { removed_files: paths.length };
}
