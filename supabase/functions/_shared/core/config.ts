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
  DB_POOL_SIZE: positiveInteger(5),
});

/** The database URL: DATABASE_URL (e.g. the transaction pooler) or the platform's SUPABASE_DB_URL. */
export function databaseUrl(): string {
  const settings = platformSettings();
  const url = settings.DATABASE_URL ?? settings.SUPABASE_DB_URL;
  if (!url) throw new ConfigError("Invalid configuration: SUPABASE_DB_URL is not set (or set DATABASE_URL)");
  return url;
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
