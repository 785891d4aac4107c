/** The database client: postgres.js, one pool per isolate, created on first use. */
import postgres from "postgres";
import { databaseUrl, platformSettings } from "../core/config.ts";
import { log } from "../core/log.ts";

/** A postgres.js client. */
export type Sql = postgres.Sql;

let client: Sql | undefined;

/**
 * postgres.js (through 3.4.x) can throw from a timer after a connection closed mid-write: "Cannot read
 * properties of null (reading 'write')" in connection.js `nextWrite` (porsager/postgres#1154, #1066; fixes
 * proposed, none released). The queries on that connection were already rejected with CONNECTION_CLOSED, so
 * nothing is lost, but thrown from a timer it is uncaught and would end the isolate: a database restart or
 * failover would kill every function holding a pool. Only that exact error is absorbed; any other stays fatal.
 */
/** Whether `error` is that postgres.js write on a closed connection. */
export function isPostgresClosedSocketWrite(error: unknown): boolean {
  return error instanceof TypeError && /reading 'write'/.test(error.message) &&
    /postgres[\\/]src[\\/]connection\.js/.test(error.stack ?? "") && /nextWrite/.test(error.stack ?? "");
}

let absorbing = false;

function absorbClosedSocketWrites(): void {
  if (absorbing) return;
  absorbing = true;
  globalThis.addEventListener("error", (event) => {
    if (!isPostgresClosedSocketWrite(event.error)) return;
    event.preventDefault();
    log("warn", "absorbed a postgres.js write on a closed connection (porsager/postgres#1154)");
  });
}

/**
 * The isolate's client. `prepare: false` keeps it compatible with Supabase's transaction pooler (port 6543);
 * short timeouts keep a dead database from holding a request for long.
 */
export function db(): Sql {
  absorbClosedSocketWrites();
  client ??= postgres(databaseUrl(), {
    prepare: false,
    max: platformSettings().DB_POOL_SIZE,
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

/** A transaction handle. */
export type Transaction = postgres.TransactionSql;

/**
 * Runs `work` in a transaction as the calling user, the way PostgREST does: `role authenticated` and
 * `request.jwt.claims` set for the transaction only, so RLS is the tenant boundary even if a handler
 * forgets a filter.
 */
export async function asUser<T>(
  claims: Record<string, unknown> & { sub: string },
  work: (tx: Transaction) => Promise<T>,
): Promise<T> {
  const result = await db().begin(async (tx) => {
    await tx`select set_config('role', 'authenticated', true),
                    set_config('request.jwt.claims', ${JSON.stringify({ ...claims, role: "authenticated" })}, true)`;
    return await work(tx);
  });
  return result as T;
}

/** Runs `work` in a transaction as the service (worker, webhooks): only SECURITY DEFINER functions should be called. */
export async function asService<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
  const result = await db().begin(async (tx) => await work(tx));
  return result as T;
}

/** postgres.js and Deno error codes of a connection that failed or went away (nothing was answered). */
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
]);

/**
 * Whether an error means the database could not be reached or dropped the connection (a restart, a
 * failover, the pooler cycling): SQLSTATE class 08, 57P01-57P03, or a socket error. Such work may be retried.
 */
export function isConnectionError(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const { code, errno, name } = error as { code?: string; errno?: string; name?: string };
  if (typeof code === "string" && (code.startsWith("08") || /^57P0[123]$/.test(code) || CONNECTION_CODES.has(code))) {
    return true;
  }
  if (typeof errno === "string" && CONNECTION_CODES.has(errno)) return true;
  return name === "ConnectionRefused" || name === "ConnectionReset" || name === "BrokenPipe" ||
    name === "ConnectionAborted";
}

/**
 * Runs `work`, retrying it with exponential backoff (100 ms doubling, at most 2 s apart) while the database
 * is unreachable, for up to `maxMs` in total. Only for work that is safe to repeat: reads, and single
 * statements whose effect is idempotent or fenced.
 */
export async function withDbRetry<T>(work: () => Promise<T>, options: { maxMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (options.maxMs ?? 10_000);
  for (let attempt = 0;; attempt++) {
    try {
      return await work();
    } catch (error) {
      const wait = Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2);
      if (!isConnectionError(error) || Date.now() + wait > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
