/** Brings a local cluster to the state hosted Supabase would have: platform surfaces, migrations, seed. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { SetupError } from "./errors.ts";
import { databaseUrl, ensureCluster, runSqlFile, startCluster } from "./postgres.ts";
import { ROOT } from "./paths.ts";

const STACK_SQL = join(ROOT, "scripts", "local_stack");

/** What prepareDatabase did, for the start banner. */
export interface PreparedDatabase {
  url: string;
  pgdata: string;
  created: boolean;
  seeded: boolean;
}

/** Applies supabase/migrations with the real supabase CLI, as `supabase db push` would on hosted Supabase. */
export async function applyMigrations(url: string): Promise<void> {
  const cli = join(ROOT, "node_modules", ".bin", "supabase");
  const result = await new Deno.Command(cli, {
    args: ["migration", "up", "--db-url", url, "--include-all"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    env: { SUPABASE_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
  }).output();
  if (!result.success) {
    const output = new TextDecoder().decode(result.stderr).trim();
    throw new SetupError(
      `a migration failed to apply (${output.split("\n").slice(-4).join(" | ")}): fix it and start again`,
    );
  }
}

/** Whether the real pg_net extension can be created on this cluster. */
async function realPgNetAvailable(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_available_extensions where name = 'pg_net'`;
    return rows.length > 0;
  } finally {
    await sql.end();
  }
}

/** Stores the secrets the database needs to wake the worker, as `vault.create_secret` does on hosted Supabase. */
export async function storeVaultSecrets(url: string, secrets: Record<string, string>): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    for (const [name, value] of Object.entries(secrets)) {
      const [existing] = await sql`select id from vault.secrets where name = ${name}`;
      if (existing) await sql`select vault.update_secret(${existing.id}::uuid, ${value})`;
      else await sql`select vault.create_secret(${value}, ${name})`;
    }
  } finally {
    await sql.end();
  }
}

/**
 * Creates (first time) and starts the cluster, then bootstraps it and applies the migrations; the seed runs
 * once, on a new database.
 */
export async function prepareDatabase(
  options: { dataDir: string; dbPort: number; throwaway?: boolean },
): Promise<PreparedDatabase> {
  const { pgdata, created } = await ensureCluster(options.dataDir, { throwaway: options.throwaway });
  await startCluster(pgdata, options.dbPort);
  const url = databaseUrl(options.dbPort);
  await runSqlFile(url, join(STACK_SQL, "postgres", "bootstrap.sql"));
  if (!(await realPgNetAvailable(url))) await runSqlFile(url, join(STACK_SQL, "pg_net", "pg_net.sql"));
  await applyMigrations(url);
  const marker = join(options.dataDir, "seeded");
  let seeded = false;
  if (!existsSync(marker)) {
    const seed = join(ROOT, "supabase", "seed.sql");
    if (existsSync(seed)) await runSqlFile(url, seed);
    await Deno.writeTextFile(marker, new Date().toISOString());
    seeded = true;
  }
  return { url, pgdata, created, seeded };
}
