/**
 * Settings from the environment, validated with zod. Each concern declares the variables it reads, so a
 * function fails only for settings it uses; a missing or bad variable is one error naming it.
 */
import { z } from "zod";

/** A configuration mistake: the operator's fault, answered as a 500 and logged with the variable's name. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** A positive integer setting with a default. */
export function positiveInteger(fallback: number) {
  return z.coerce.number().int().positive().default(fallback);
}

/** A comma-separated list setting. */
export function commaList() {
  return z.string().default("").transform((value) =>
    value.split(",").map((item) => item.trim()).filter((item) => item !== "")
  );
}

/**
 * Declares a group of settings and returns a getter that validates them on first use and caches them for
 * the isolate. `refresh()` forgets the cache (tests change the environment).
 */
export function defineSettings<Shape extends z.ZodRawShape>(shape: Shape) {
  const schema = z.object(shape);
  let cached: z.infer<typeof schema> | undefined;
  const get = (): z.infer<typeof schema> => {
    if (cached) return cached;
    const parsed = schema.safeParse(Deno.env.toObject());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const name = issue.path.join(".");
      const value = Deno.env.get(name);
      throw new ConfigError(
        `Invalid configuration: ${name} ${value === undefined ? "is not set" : `is invalid (${issue.message})`}`,
      );
    }
    cached = parsed.data;
    return cached;
  };
  return Object.assign(get, { refresh: () => (cached = undefined) });
}

/** Settings every function may use. */
export const platformSettings = defineSettings({
  SUPABASE_URL: z.url(),
  SUPABASE_DB_URL: z.string().min(1).optional(),
  DATABASE_URL: z.string().min(1).optional(),
  // Many isolates run at once and each holds its own pool: keep it small (Supabase's pooler, or a small
  // project's direct connection limit, is shared by all of them).
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(20).default(2),
});

/** How the functions reach Postgres. */
export interface DatabaseConnection {
  url: string;
  /** The variable the URL came from. */
  source: "DATABASE_URL" | "SUPABASE_DB_URL";
  /** Supabase's pooler listens on 6543 in transaction mode; anything else is a session (or direct) connection. */
  mode: "transaction pooler" | "session pooler" | "direct";
  poolSize: number;
}

/**
 * The database connection: DATABASE_URL when set (Supabase's transaction pooler, port 6543, is the one to
 * use on a hosted project), else the platform's SUPABASE_DB_URL (a direct connection on hosted).
 */
export function databaseConnection(): DatabaseConnection {
  const settings = platformSettings();
  const source = settings.DATABASE_URL ? "DATABASE_URL" : "SUPABASE_DB_URL";
  const url = settings.DATABASE_URL ?? settings.SUPABASE_DB_URL;
  if (!url) throw new ConfigError("Invalid configuration: SUPABASE_DB_URL is not set (or set DATABASE_URL)");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`Invalid configuration: ${source} is invalid (not a postgresql:// URL)`);
  }
  const mode = parsed.port === "6543"
    ? "transaction pooler"
    : parsed.hostname.endsWith(".pooler.supabase.com")
    ? "session pooler"
    : "direct";
  return { url, source, mode, poolSize: settings.DB_POOL_SIZE };
}

/** The database URL (see databaseConnection). */
export function databaseUrl(): string {
  return databaseConnection().url;
}

/**
 * The project's API keys. Hosted projects give functions the new keys as JSON objects of named keys
 * (`SUPABASE_SECRET_KEYS={"default":"sb_secret_..."}`, `SUPABASE_PUBLISHABLE_KEYS`), self-hosted setups a
 * single `SUPABASE_SECRET_KEY` / `SUPABASE_PUBLISHABLE_KEY`, and older projects (and the local stack) the
 * legacy JWT keys `SUPABASE_SERVICE_ROLE_KEY` / `SUPABASE_ANON_KEY`.
 */
export const apiKeySettings = defineSettings({
  SUPABASE_SECRET_KEYS: z.string().min(1).optional(),
  SUPABASE_SECRET_KEY: z.string().min(1).optional(),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1).optional(),
  SUPABASE_PUBLISHABLE_KEYS: z.string().min(1).optional(),
  SUPABASE_PUBLISHABLE_KEY: z.string().min(1).optional(),
  SUPABASE_ANON_KEY: z.string().min(1).optional(),
});

/** A resolved API key and the variable it came from (for logs and health; never the key itself). */
export interface ApiKey {
  key: string;
  source: string;
}

function namedKey(variable: string, json: string): ApiKey {
  let keys: unknown;
  try {
    keys = JSON.parse(json);
  } catch {
    keys = undefined;
  }
  if (typeof keys !== "object" || keys === null || Array.isArray(keys)) {
    throw new ConfigError(`Invalid configuration: ${variable} is invalid (not a JSON object of named keys)`);
  }
  const entries = Object.entries(keys).filter((entry): entry is [string, string] =>
    typeof entry[1] === "string" && entry[1] !== ""
  );
  const chosen = entries.find(([name]) => name === "default") ?? entries[0];
  if (!chosen) throw new ConfigError(`Invalid configuration: ${variable} is invalid (it names no key)`);
  return { key: chosen[1], source: `${variable}.${chosen[0]}` };
}

/**
 * The key for server-side calls that bypass RLS (Storage): the `default` secret key (else the first one),
 * then the single secret key, then the legacy service_role key.
 */
export function secretApiKey(): ApiKey {
  const settings = apiKeySettings();
  if (settings.SUPABASE_SECRET_KEYS) return namedKey("SUPABASE_SECRET_KEYS", settings.SUPABASE_SECRET_KEYS);
  if (settings.SUPABASE_SECRET_KEY) return { key: settings.SUPABASE_SECRET_KEY, source: "SUPABASE_SECRET_KEY" };
  if (settings.SUPABASE_SERVICE_ROLE_KEY) {
    return { key: settings.SUPABASE_SERVICE_ROLE_KEY, source: "SUPABASE_SERVICE_ROLE_KEY" };
  }
  throw new ConfigError(
    "Invalid configuration: SUPABASE_SECRET_KEYS is not set (nor SUPABASE_SECRET_KEY or SUPABASE_SERVICE_ROLE_KEY)",
  );
}

/** The key a browser may hold, in the same order: publishable keys, then the legacy anon key. */
export function publishableApiKey(): ApiKey {
  const settings = apiKeySettings();
  if (settings.SUPABASE_PUBLISHABLE_KEYS) {
    return namedKey("SUPABASE_PUBLISHABLE_KEYS", settings.SUPABASE_PUBLISHABLE_KEYS);
  }
  if (settings.SUPABASE_PUBLISHABLE_KEY) {
    return { key: settings.SUPABASE_PUBLISHABLE_KEY, source: "SUPABASE_PUBLISHABLE_KEY" };
  }
  if (settings.SUPABASE_ANON_KEY) return { key: settings.SUPABASE_ANON_KEY, source: "SUPABASE_ANON_KEY" };
  throw new ConfigError(
    "Invalid configuration: SUPABASE_PUBLISHABLE_KEYS is not set (nor SUPABASE_PUBLISHABLE_KEY or SUPABASE_ANON_KEY)",
  );
}

/**
 * AI settings (names kept from the original design). Quota limits and the team storage cap are enforced by
 * the database and live in `public.app_settings` under their original names (FREE_TIER_MONTHLY_LIMIT, ...).
 */
export const aiSettings = defineSettings({
  FREE_TIER_AI_MODEL: z.string().min(1).default("gpt-4o-mini"),
  PAID_TIER_AI_MODEL: z.string().min(1).default("gpt-4o"),
  // Sized from measured answers (bench/token_budget.ts, bench/RESULTS.md): a full customized activity takes
  // about 2,100 tokens and three full generated ones about 6,300; a cut-off answer is retried once with twice
  // the budget (16,000 stays under gpt-4o's 16,384 output tokens). The original design's 2000 and 3000 cut them.
  MAX_TOKENS_PUBLIC_CUSTOMIZATION: positiveInteger(3000),
  MAX_TOKENS_CUSTOM_GENERATION: positiveInteger(8000),
});

/** Materials settings (the per-team cap, MAX_TEAM_STORAGE_MB, is a database setting). */
export const materialSettings = defineSettings({
  STORAGE_BUCKET_NAME: z.string().min(1).default("team-materials"),
  MAX_FILE_SIZE_MB: positiveInteger(10),
});
