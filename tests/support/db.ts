/**
 * Direct database access: for assertions about rows, and for the concurrency tests and benchmarks that
 * call the SQL functions themselves.
 */
import postgres from "postgres";
import { stackStatus } from "./stack.ts";

/** Runs `work` with a short-lived connection to the test stack's database. */
export async function withDb<T>(work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(stackStatus().db_url, { max: 2, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}

/** Counts rows matching a condition. */
export async function countRows(table: string, where: string, ...values: unknown[]): Promise<number> {
  return await withDb(async (sql) => {
    const [{ count }] = await sql.unsafe(
      `select count(*)::int as count from ${table} where ${where}`,
      values as never[],
    );
    return count as number;
  });
}

/** A client of `max` connections to the test stack's database, named for pg_stat_activity. */
export function connectDb(max: number, name: string, url = stackStatus().db_url): postgres.Sql {
  return postgres(url, { max, onnotice: () => {}, connection: { application_name: name } });
}

/** Inserts an organization with one team, with ids of its own, so tests can share a database. */
export async function insertOrganization(
  sql: postgres.Sql,
  options: { plan: "free" | "paid"; label: string },
): Promise<{ organizationId: string; teamId: string }> {
  const [organization] = await sql`
    insert into public.organizations (clerk_org_id, name, plan)
    values (${`org_test_${crypto.randomUUID()}`}, ${options.label}, ${options.plan})
    returning id`;
  const [team] = await sql`
    insert into public.teams (organization_id, name, size, work_mode)
    values (${organization.id}, ${options.label}, 8, 'remote')
    returning id`;
  return { organizationId: organization.id, teamId: team.id };
}
