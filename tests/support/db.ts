/** Direct database access for assertions about rows (never for the behaviour under test). */
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
