/** The database client: postgres.js, one pool per isolate, created on first use. */
import postgres from "postgres";
import { config } from "./config.ts";

/** A postgres.js client. */
export type Sql = postgres.Sql;

let client: Sql | undefined;

/**
 * The isolate's client. `prepare: false` keeps it compatible with Supabase's transaction pooler (port 6543);
 * short timeouts keep a dead database from holding a request for long.
 */
export function db(): Sql {
  client ??= postgres(config().databaseUrl, {
    prepare: false,
    max: config().DB_POOL_SIZE,
    idle_timeout: 20,
    connect_timeout: 5,
    onnotice: () => {},
    connection: { application_name: "edge-functions" },
  });
  return client;
}

/** Whether the database answers a trivial query within the timeout. */
export async function databaseAnswers(timeoutMs = 3000): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const query = db()`select 1 as ok`;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        query.cancel();
        reject(new Error("database did not answer in time"));
      }, timeoutMs);
    });
    const rows = await Promise.race([query, timeout]);
    return rows[0]?.ok === 1;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Closes the isolate's pool (tests and shutdown). */
export async function closeDb(): Promise<void> {
  const current = client;
  client = undefined;
  await current?.end({ timeout: 5 });
}
