/** Settings from the environment, validated once with zod: a missing or bad variable is one clear error. */
import { z } from "zod";

const integer = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  SUPABASE_URL: z.url(),
  SUPABASE_DB_URL: z.string().min(1).optional(),
  DATABASE_URL: z.string().min(1).optional(),
  DB_POOL_SIZE: integer(5),
  FREE_TIER_MONTHLY_LIMIT: integer(5),
  PAID_TIER_CUSTOM_LIMIT: integer(10),
  FREE_TIER_AI_MODEL: z.string().min(1).default("gpt-4o-mini"),
  PAID_TIER_AI_MODEL: z.string().min(1).default("gpt-4o"),
  MAX_TOKENS_PUBLIC_CUSTOMIZATION: integer(2000),
  MAX_TOKENS_CUSTOM_GENERATION: integer(3000),
  STORAGE_BUCKET_NAME: z.string().min(1).default("team-materials"),
  MAX_FILE_SIZE_MB: integer(10),
  MAX_TEAM_STORAGE_MB: integer(50),
}).refine((env) => env.DATABASE_URL ?? env.SUPABASE_DB_URL, {
  message: "set DATABASE_URL or SUPABASE_DB_URL",
  path: ["SUPABASE_DB_URL"],
});

/** The validated settings. */
export type Config = z.infer<typeof schema> & { databaseUrl: string };

/** A configuration mistake: the operator's fault, answered as a 500 and logged with the variable's name. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

let cached: Config | undefined;

/** Reads and validates the settings once per isolate. */
export function config(env?: Record<string, string | undefined>): Config {
  if (cached && env === undefined) return cached;
  const parsed = schema.safeParse(env ?? Deno.env.toObject());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid configuration: ${issue.path.join(".") || "environment"}: ${issue.message}`);
  }
  const value = { ...parsed.data, databaseUrl: (parsed.data.DATABASE_URL ?? parsed.data.SUPABASE_DB_URL)! };
  cached = value;
  return value;
}

/** Forgets the cached settings (tests change the environment). */
export function resetConfig(): void {
  cached = undefined;
}
