/**
 * The health report: every part the product needs, checked where it lives. A deploy that forgot a step
 * (pg_net, a Vault entry, a secret) answers 503 naming it, instead of jobs silently never running.
 */
import { z } from "zod";
import { openaiSettings } from "../ai/openai.ts";
import { HEALTH_CHECKS, type HealthReport } from "../contract/health.ts";
import { databaseConnection, defineSettings, materialSettings, secretApiKey } from "../core/config.ts";
import { db } from "../db/connection.ts";
import { authorizedPartiesCheck } from "../http/auth.ts";

/** The key `npm start` gives the functions when it serves its fake OpenAI-compatible server. */
export const LOCAL_FAKE_OPENAI_KEY = "local-fake-openai-key";

/** What health compares with the database's view (optional here: a missing one is reported, not thrown). */
const healthSettings = defineSettings({ WORKER_SECRET: z.string().optional() });

interface Check {
  ok: boolean;
  detail: string;
}

type DatabaseChecks = Record<"database" | "pg_net" | "cron" | "worker_secrets" | "storage", Check>;

/** What public.health_report returns: the checks, plus what only we may compare (never sent to callers). */
interface SqlReport {
  pg_net: Check;
  cron: Check;
  storage: Check;
  worker_secrets: Check & { project_url: string | null; worker_secret_sha256: string | null };
}

function failure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function pick(check: Check): Check {
  return { ok: check.ok, detail: check.detail };
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Runs `query` and gives up after `ms` (a dead database must not hold the health check). */
async function within<T>(ms: number, query: Promise<T> & { cancel?: () => void }): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      query.cancel?.();
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The database's own check, and every check that needs it marked `not checked: why`. */
function unchecked(database: Check, why: string): DatabaseChecks {
  const skipped = { ok: false, detail: `not checked: ${why}` };
  return { database, pg_net: skipped, cron: skipped, worker_secrets: skipped, storage: skipped };
}

/** Whether an error came from Postgres itself (a SQLSTATE), i.e. the database answered. */
function isPostgresError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code);
}

async function databaseChecks(timeoutMs: number): Promise<DatabaseChecks> {
  let connection;
  try {
    connection = databaseConnection();
  } catch (error) {
    return unchecked({ ok: false, detail: failure(error) }, failure(error));
  }
  const via = `${connection.mode} from ${connection.source}, pool of ${connection.poolSize} per isolate`;
  let report: SqlReport;
  try {
    const bucket = materialSettings().STORAGE_BUCKET_NAME;
    const [row] = await within(timeoutMs, db()`select public.health_report(${bucket}) as report`);
    report = row.report;
  } catch (error) {
    if (isPostgresError(error)) {
      const detail = `answers (${via}), but public.health_report failed (${failure(error)}): run supabase db push`;
      return unchecked({ ok: false, detail }, "the migrations are not applied");
    }
    const detail = `the database does not answer (${via}): ${failure(error)}`;
    return unchecked({ ok: false, detail }, "the database does not answer");
  }
  const hint = connection.mode === "direct"
    ? "; on a hosted project set DATABASE_URL to the transaction pooler (port 6543)"
    : "";
  return {
    database: { ok: true, detail: `answers (${via})${hint}` },
    pg_net: pick(report.pg_net),
    cron: pick(report.cron),
    worker_secrets: await workerSecretsCheck(report.worker_secrets),
    storage: storageCheck(report.storage),
  };
}

/** Vault's entries exist, and the worker secret there is the one jobs-worker checks (compared by digest). */
async function workerSecretsCheck(vault: SqlReport["worker_secrets"]): Promise<Check> {
  if (!vault.ok) return pick(vault);
  const secret = healthSettings().WORKER_SECRET;
  if (!secret) {
    return { ok: false, detail: "WORKER_SECRET is not set for the functions: supabase secrets set WORKER_SECRET=..." };
  }
  if ((await sha256Hex(secret)) !== vault.worker_secret_sha256) {
    return {
      ok: false,
      detail: "Vault's worker_secret differs from the functions' WORKER_SECRET, so jobs-worker refuses the " +
        "database's calls: store the same value in both",
    };
  }
  return { ok: true, detail: `Vault has project_url (${vault.project_url}) and worker_secret, equal to WORKER_SECRET` };
}

/** The bucket exists, and the functions have a key to reach it with. */
function storageCheck(bucket: Check): Check {
  if (!bucket.ok) return pick(bucket);
  try {
    return { ok: true, detail: `${bucket.detail}; the functions reach it with ${secretApiKey().source}` };
  } catch (error) {
    return { ok: false, detail: `${bucket.detail}, but ${failure(error)}` };
  }
}

/** An AI key is configured; on the local stack, says plainly that the AI is the fake one. */
function aiCheck(): Check {
  let settings;
  try {
    settings = openaiSettings();
  } catch (error) {
    return {
      ok: false,
      detail: `${failure(error)}: customizations and jobs cannot call the AI (supabase secrets set OPENAI_API_KEY=...)`,
    };
  }
  const base = settings.OPENAI_BASE_URL ?? "https://api.openai.com/v1";
  if (settings.OPENAI_API_KEY === LOCAL_FAKE_OPENAI_KEY) {
    return { ok: true, detail: `fake AI: the local stack's fake OpenAI-compatible server at ${base}` };
  }
  return { ok: true, detail: `OPENAI_API_KEY is set; the AI is at ${base}` };
}

/**
 * Clerk's settings are complete, and tokens' `azp` is checked against CLERK_AUTHORIZED_PARTIES (only the local
 * stack may leave it empty, with CLERK_ALLOW_ANY_AUTHORIZED_PARTY=true): without it every signed-in call fails.
 */
function clerkCheck(): Check {
  let state;
  try {
    state = authorizedPartiesCheck();
  } catch (error) {
    return { ok: false, detail: `${failure(error)}: set CLERK_JWKS_URL and CLERK_ISSUER (supabase secrets set ...)` };
  }
  if (state === "configured") return { ok: true, detail: "tokens' azp is checked against CLERK_AUTHORIZED_PARTIES" };
  if (state === "any_allowed_locally") {
    return { ok: true, detail: "local stack: any azp is accepted (CLERK_ALLOW_ANY_AUTHORIZED_PARTY=true)" };
  }
  return {
    ok: false,
    detail: "CLERK_AUTHORIZED_PARTIES is not set, so every signed-in call answers 500: list your frontend origins " +
      "(supabase secrets set CLERK_AUTHORIZED_PARTIES=https://app.example.com)",
  };
}

/** Checks every part; `status` is `ok` only when every check passed, and `missing` names the others. */
export async function healthReport(options: { timeoutMs?: number } = {}): Promise<HealthReport> {
  const checks = { ...(await databaseChecks(options.timeoutMs ?? 3000)), ai: aiCheck(), clerk: clerkCheck() };
  const missing = HEALTH_CHECKS.filter((name) => !checks[name].ok);
  return {
    status: missing.length === 0 ? "ok" : "degraded",
    checks: Object.fromEntries(HEALTH_CHECKS.map((name) => [name, checks[name]])) as HealthReport["checks"],
    missing,
    time: new Date().toISOString(),
  };
}
