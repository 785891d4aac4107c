/** Paid organizations with a team each, made through signed Clerk webhooks, and their cleanup. */
import type { SupabaseClient } from "@supabase/supabase-js";
import type postgres from "postgres";
import { clientFor } from "../../tests/support/api.ts";
import { createOrganization, sessionToken, type TestOrganization, uniqueId } from "../../tests/support/clerk.ts";
import { createTeam } from "../../tests/support/teams.ts";

/** A postgres.js connection pool. */
export type Sql = ReturnType<typeof postgres>;

export interface BenchTeam {
  org: TestOrganization;
  client: SupabaseClient;
  teamId: string;
}

const created: TestOrganization[] = [];

/** Paid organizations, each with an admin client and a team; made `parallel` at a time. */
export async function makeTeams(count: number, parallel = 8): Promise<BenchTeam[]> {
  const teams: BenchTeam[] = new Array(count);
  // The local issuer creates its key pair on the first mint; concurrent first mints would race to write it.
  await sessionToken(uniqueId("user"));
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, async () => {
    for (;;) {
      const index = next++;
      if (index >= count) return;
      const org = await createOrganization("paid");
      created.push(org);
      const client = clientFor(org.admin.token);
      teams[index] = { org, client, teamId: await createTeam(client, `Bench team ${index}`) };
    }
  }));
  return teams;
}

export async function deleteCreated(sql: Sql): Promise<void> {
  if (created.length === 0) return;
  const orgIds = created.map((org) => org.clerkOrgId);
  const userIds = created.flatMap((org) => [org.admin.userId, org.member.userId]);
  await sql`delete from public.organizations where clerk_org_id = any(${orgIds})`;
  await sql`delete from public.users where clerk_user_id = any(${userIds})`;
}

export async function setting(sql: Sql, name: string): Promise<number> {
  const [row] = await sql`select value from public.app_settings where name = ${name}`;
  if (!row) throw new Error(`app_settings has no ${name}`);
  return Number(row.value);
}
