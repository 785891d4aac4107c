/**
 * A Postgres 15 cluster of our own: created in a data folder, started on 127.0.0.1 with pg_cron loaded,
 * run as an unprivileged user when we are root (Postgres refuses to run as root).
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { SetupError } from "./errors.ts";
import { PG_BIN } from "./paths.ts";

/** The superuser and password of local clusters, as in Supabase's local development setup. */
export const DB_USER = "postgres";
export const DB_PASSWORD = "postgres";

/** A connection URL for a local cluster (sslmode=disable, as the supabase CLI needs for local URLs). */
export function databaseUrl(port: number, options: { sslmode?: boolean } = {}): string {
  const base = `postgresql://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${port}/postgres`;
  return options.sslmode === false ? base : `${base}?sslmode=disable`;
}

const isRoot = Deno.uid() === 0;

/** The unprivileged account that runs Postgres when we are root. */
function serviceUser(): string {
  for (const name of ["postgres", "nobody"]) {
    const found = new Deno.Command("id", { args: ["-u", name], stdout: "null", stderr: "null" }).outputSync();
    if (found.success) return name;
  }
  throw new SetupError("no unprivileged user to run Postgres as: create one with `useradd --system postgres`");
}

async function run(
  command: string,
  args: string[],
  options: { asService?: boolean; allowFailure?: boolean } = {},
): Promise<{ success: boolean; stdout: string; stderr: string }> {
  const [cmd, argv] = isRoot && options.asService ? ["runuser", ["-u", serviceUser(), "--", command, ...args]] : [
    command,
    args,
  ];
  const output = await new Deno.Command(cmd, { args: argv, stdout: "piped", stderr: "piped" }).output();
  const result = {
    success: output.success,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: new TextDecoder().decode(output.stderr),
  };
  if (!result.success && !options.allowFailure) {
    throw new Error(`${command} ${args.join(" ")} failed:\n${result.stderr || result.stdout}`);
  }
  return result;
}

function assertBinaries(): void {
  for (const binary of ["initdb", "pg_ctl", "postgres"]) {
    if (!existsSync(join(PG_BIN, binary))) {
      throw new SetupError(
        `Postgres 15 binaries were not found in ${PG_BIN}: install them with \`apt-get install postgresql-15\` ` +
          "or point PG_BIN at the folder that holds initdb and pg_ctl",
      );
    }
  }
}

/** Can the service user create files in dir (every parent folder must let it through)? */
async function serviceUserCanUse(dir: string): Promise<boolean> {
  if (!isRoot) return true;
  const check = await run("test", ["-r", dir, "-a", "-w", dir, "-a", "-x", dir], {
    asService: true,
    allowFailure: true,
  });
  return check.success;
}

/**
 * The folder that holds the cluster. Normally `<dataDir>/postgres`; when we are root and the service user
 * cannot reach the repository (say, under /root), the cluster lives under /var/lib and the folder is a
 * symlink to it, so the data is still found from the data folder.
 */
async function clusterDir(dataDir: string): Promise<string> {
  const wanted = join(resolve(dataDir), "postgres");
  if (existsSync(wanted)) return await Deno.realPath(wanted);
  await Deno.mkdir(wanted, { recursive: true });
  if (!isRoot) return wanted;
  await run("chown", [serviceUser(), wanted]);
  if (await serviceUserCanUse(wanted)) return wanted;
  await Deno.remove(wanted);
  const hash = createHash("sha256").update(wanted).digest("hex").slice(0, 12);
  const fallback = `/var/lib/team-activities-local/${hash}`;
  await Deno.mkdir(fallback, { recursive: true });
  await Deno.chmod("/var/lib/team-activities-local", 0o755);
  await run("chown", [serviceUser(), fallback]);
  await Deno.symlink(fallback, wanted);
  return fallback;
}

/** Settings for our clusters; `throwaway` trades durability for speed (test databases). */
function settings(throwaway: boolean): string {
  const lines = [
    "listen_addresses = '127.0.0.1'",
    "unix_socket_directories = ''",
    "shared_preload_libraries = 'pg_cron'",
    "cron.database_name = 'postgres'",
    "cron.timezone = 'UTC'",
    // Run cron jobs in background workers: no libpq connection, so no password (local auth is TCP-only).
    "cron.use_background_workers = on",
    "max_worker_processes = 16",
    "timezone = 'UTC'",
    "log_timezone = 'UTC'",
    "max_connections = 300",
    "shared_buffers = 128MB",
    "log_min_messages = warning",
  ];
  if (throwaway) lines.push("fsync = off", "synchronous_commit = off", "full_page_writes = off");
  return `\n# team-activities local stack\n${lines.join("\n")}\n`;
}

/** A running (or stopped) cluster in a data folder. */
export interface Cluster {
  pgdata: string;
  port: number;
  url: string;
  created: boolean;
}

/** Creates the cluster the first time. Returns its folder and whether it was just created. */
export async function ensureCluster(
  dataDir: string,
  options: { throwaway?: boolean } = {},
): Promise<{ pgdata: string; created: boolean }> {
  assertBinaries();
  const pgdata = await clusterDir(dataDir);
  if (existsSync(join(pgdata, "PG_VERSION"))) return { pgdata, created: false };
  const pwfile = await Deno.makeTempFile({ prefix: "pgpass-" });
  try {
    await Deno.writeTextFile(pwfile, `${DB_PASSWORD}\n`);
    await Deno.chmod(pwfile, 0o644);
    await run(join(PG_BIN, "initdb"), [
      "-D",
      pgdata,
      "-U",
      DB_USER,
      "--pwfile",
      pwfile,
      "--auth-local=trust",
      "--auth-host=scram-sha-256",
      "--encoding=UTF8",
      "--no-locale",
      "--no-instructions",
    ], { asService: true });
  } finally {
    await Deno.remove(pwfile);
  }
  const conf = join(pgdata, "postgresql.conf");
  await Deno.writeTextFile(conf, settings(options.throwaway ?? false), { append: true });
  return { pgdata, created: true };
}

/** The port a running cluster listens on, or null when it is not running. */
async function runningPort(pgdata: string): Promise<number | null> {
  const status = await run(join(PG_BIN, "pg_ctl"), ["-D", pgdata, "status"], { asService: true, allowFailure: true });
  if (!status.success) return null;
  try {
    const lines = (await Deno.readTextFile(join(pgdata, "postmaster.pid"))).split("\n");
    return Number(lines[3]);
  } catch {
    return null;
  }
}

/** A port nothing listens on right now (the OS picks it), for throw-away stacks and tests. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Fails with a clear sentence when something else listens on the port. */
export function assertPortFree(port: number, what: string, envName: string): void {
  try {
    const listener = Deno.listen({ hostname: "127.0.0.1", port });
    listener.close();
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new SetupError(
        `port ${port} (${what}) is already in use: stop the program using it (\`ss -ltnp | grep ${port}\` shows it) ` +
          `or choose another port with ${envName}=<port>`,
      );
    }
    throw error;
  }
}

/** Starts the cluster on the port (reusing it when it already runs there) and waits until it accepts connections. */
export async function startCluster(
  pgdata: string,
  port: number,
): Promise<void> {
  const current = await runningPort(pgdata);
  if (current === port) return;
  if (current !== null) await stopCluster(pgdata);
  assertPortFree(port, "Postgres", "LOCAL_DB_PORT");
  const log = join(pgdata, "server.log");
  const started = await run(join(PG_BIN, "pg_ctl"), [
    "-D",
    pgdata,
    "-l",
    log,
    "-o",
    // Also for clusters created before these settings were added to postgresql.conf.
    `-p ${port} -c cron.use_background_workers=on -c max_worker_processes=16`,
    "-w",
    "-t",
    "60",
    "start",
  ], { asService: true, allowFailure: true });
  if (!started.success) {
    let tail = "";
    try {
      tail = (await Deno.readTextFile(log)).trim().split("\n").slice(-3).join(" | ");
    } catch {
      // no log written
    }
    throw new SetupError(`Postgres did not start (${tail || started.stderr.trim()}): see ${log}`);
  }
}

/** Stops the cluster (fast shutdown: open transactions roll back). */
export async function stopCluster(pgdata: string): Promise<void> {
  await run(join(PG_BIN, "pg_ctl"), ["-D", pgdata, "-m", "fast", "-w", "stop"], {
    asService: true,
    allowFailure: true,
  });
}

/** Runs a SQL file with psql, stopping at the first error. */
export async function runSqlFile(url: string, file: string, variables: Record<string, string> = {}): Promise<void> {
  const args = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", file];
  for (const [name, value] of Object.entries(variables)) args.push("-v", `${name}=${value}`);
  const result = await new Deno.Command(join(PG_BIN, "psql"), {
    args,
    stdout: "piped",
    stderr: "piped",
    env: { PGOPTIONS: "--client-min-messages=warning" },
  }).output();
  if (!result.success) {
    throw new SetupError(
      `${file} failed to apply: ${new TextDecoder().decode(result.stderr).trim()}`,
    );
  }
}
