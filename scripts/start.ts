/**
 * `npm start`: the local Supabase stack without Docker. Starts Postgres (pg_cron, platform surfaces,
 * migrations, seed), serves the edge functions, the Storage API and a Clerk-like issuer on one port,
 * dispatches pg_net requests, and stays in the foreground until Ctrl-C.
 */
import { parseArgs } from "node:util";
import { join, relative } from "node:path";
import postgres from "postgres";
import { prepareDatabase, storeVaultSecrets } from "./lib/database.ts";
import { readDotenv } from "./lib/dotenv.ts";
import { runMain, SetupError } from "./lib/errors.ts";
import { developerStack, ROOT, statusFile } from "./lib/paths.ts";
import { assertPortFree, databaseUrl, stopCluster } from "./lib/postgres.ts";
import { clerkIssuer, clerkJwks } from "./local_stack/clerk/issuer.ts";
import { functionNames, FUNCTIONS_DIR } from "./local_stack/edge_runtime/functions.ts";
import { limitsFromEnv, startEdgeRuntime, workerBudgets } from "./local_stack/edge_runtime/isolates.ts";
import { createGateway } from "./local_stack/edge_runtime/gateway.ts";
import { startPgNetDispatcher } from "./local_stack/pg_net/dispatcher.ts";
import { apiKeys, loadSecrets, newApiKeys } from "./local_stack/secrets.ts";
import { createStorageApi } from "./local_stack/storage/server.ts";
import { createFakeOpenAI } from "./local_stack/fake_openai/server.ts";

const RESERVED_PREFIX = "SUPABASE_";

async function main(): Promise<void> {
  const defaults = developerStack();
  const { values: args } = parseArgs({
    args: Deno.args,
    options: {
      "data-dir": { type: "string", default: defaults.dataDir },
      "db-port": { type: "string", default: String(defaults.dbPort) },
      "api-port": { type: "string", default: String(defaults.apiPort) },
      "env-file": { type: "string", default: join(ROOT, "supabase", "functions", ".env") },
      throwaway: { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
    },
  });
  const dataDir = args["data-dir"]!;
  const dbPort = Number(args["db-port"]);
  const apiPort = Number(args["api-port"]);
  const started = performance.now();
  const log = (message: string) => {
    if (!args.quiet) console.log(message);
  };

  assertPortFree(apiPort, "API gateway", "LOCAL_API_PORT");
  const limits = limitsFromEnv(); // LOCAL_EDGE_MEMORY_MB, LOCAL_EDGE_CPU_MS, LOCAL_EDGE_WALL_CLOCK_SECONDS
  const envFile = args["env-file"]!;
  const fileEnv = readDotenv(envFile);
  for (const name of Object.keys(fileEnv)) {
    if (name.startsWith(RESERVED_PREFIX)) {
      throw new SetupError(
        `${
          relative(ROOT, envFile)
        } sets ${name}, but SUPABASE_* names are reserved (the platform sets them): remove it`,
      );
    }
  }

  await Deno.mkdir(dataDir, { recursive: true });
  const secrets = await loadSecrets(dataDir);
  const keys = await apiKeys(secrets.jwt_secret);
  const newKeys = await newApiKeys(secrets.jwt_secret);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const issuer = clerkIssuer(apiUrl);
  await clerkJwks(dataDir); // creates the issuer's key pair before anything can mint a token

  log(`Starting Postgres on 127.0.0.1:${dbPort} (data in ${dataDir}) ...`);
  const db = await prepareDatabase({ dataDir, dbPort, throwaway: args.throwaway });
  await storeVaultSecrets(db.url, { project_url: apiUrl, worker_secret: secrets.worker_secret });

  // Without a real key, the functions talk to the fake OpenAI-compatible server, and every answer says so.
  const fakeOpenAI = !fileEnv.OPENAI_API_KEY;
  const functionEnv: Record<string, string> = {
    ...(fakeOpenAI ? { OPENAI_API_KEY: "local-fake-openai-key", OPENAI_BASE_URL: `${apiUrl}/openai/v1` } : {}),
    CLERK_JWKS_URL: `${issuer}/.well-known/jwks.json`,
    CLERK_ISSUER: issuer,
    CLERK_WEBHOOK_SIGNING_SECRET: secrets.clerk_webhook_secret,
    WORKER_SECRET: secrets.worker_secret,
    // Only the local stack may accept any azp when CLERK_AUTHORIZED_PARTIES is empty (production requires it).
    CLERK_ALLOW_ANY_AUTHORIZED_PARTY: "true",
    // The worker budgets for the limits this runtime enforces (hosted ones unless LOCAL_EDGE_* say otherwise).
    ...workerBudgets(limits),
    ...fileEnv,
    SUPABASE_URL: apiUrl,
    SUPABASE_DB_URL: databaseUrl(dbPort, { sslmode: false }),
    SUPABASE_ANON_KEY: keys.anon_key,
    SUPABASE_SERVICE_ROLE_KEY: keys.service_role_key,
    // Hosted projects give the new keys too, and the functions prefer them (the gateway exchanges them).
    SUPABASE_SECRET_KEYS: JSON.stringify({ default: newKeys.secret }),
    SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: newKeys.publishable }),
  };
  for (const [name, value] of Object.entries(functionEnv)) Deno.env.set(name, value);

  // Each function runs in isolates of its own under the hosted limits.
  const functions = startEdgeRuntime({
    functions: new Map(functionNames().map((name) => [name, join(FUNCTIONS_DIR, name, "index.ts")])),
    env: functionEnv,
    limits,
    socketDir: join(dataDir, "isolates"),
  });
  const storageSql = postgres(databaseUrl(dbPort, { sslmode: false }), { max: 5, onnotice: () => {} });
  const storage = createStorageApi({
    sql: storageSql,
    root: join(dataDir, "storage"),
    jwtSecret: secrets.jwt_secret,
    publicUrl: apiUrl,
    newApiKeys: newKeys,
  });
  const gateway = createGateway({
    functions,
    storage,
    jwks: () => clerkJwks(dataDir),
    openai: fakeOpenAI ? createFakeOpenAI() : undefined,
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: apiPort, onListen: () => {} }, gateway);
  const dispatcher = await startPgNetDispatcher(db.url);
  // Work left over from before (queued, retries now due, leases of a worker that died with the last run) is
  // picked up at once instead of at the next minute sweep: the sweep requeues expired leases and wakes the worker.
  await storageSql`select public.sweep_jobs()`.catch((error) =>
    console.error(`warning: could not wake the jobs worker at start: ${error instanceof Error ? error.message : error}`)
  );

  const status = {
    api_url: apiUrl,
    db_url: db.url,
    anon_key: keys.anon_key,
    service_role_key: keys.service_role_key,
    secret_key: newKeys.secret,
    publishable_key: newKeys.publishable,
    jwks_url: functionEnv.CLERK_JWKS_URL,
    clerk_issuer: issuer,
    clerk_webhook_secret: functionEnv.CLERK_WEBHOOK_SIGNING_SECRET,
    worker_secret: secrets.worker_secret,
    openai_base_url: functionEnv.OPENAI_BASE_URL ?? "https://api.openai.com/v1",
    fake_openai: fakeOpenAI,
    functions: functions.names,
    data_dir: dataDir,
    pid: Deno.pid,
  };
  await Deno.writeTextFile(statusFile(dataDir), JSON.stringify(status, null, 2), { mode: 0o600 });

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log(
    [
      "",
      `Local stack ready in ${seconds} s${db.created ? " (new database, seeded)" : ""}.`,
      "",
      `  API URL          ${apiUrl}`,
      `  Functions        ${apiUrl}/functions/v1/<name>  (${functions.names.join(", ")})`,
      `  Edge limits      ${limits.memoryMb} MB, ${limits.cpuMs} ms CPU, ${
        limits.wallClockMs / 1000
      } s wall clock per isolate (LOCAL_EDGE_MEMORY_MB, LOCAL_EDGE_CPU_MS, LOCAL_EDGE_WALL_CLOCK_SECONDS)`,
      `  Storage          ${apiUrl}/storage/v1`,
      `  Database URL     ${db.url}`,
      `  anon key         ${keys.anon_key}`,
      `  service_role key ${keys.service_role_key}`,
      `  secret key       ${newKeys.secret}`,
      `  publishable key  ${newKeys.publishable}`,
      `  Clerk JWKS URL   ${status.jwks_url}`,
      `  Clerk issuer     ${issuer}`,
      `  AI               ${
        fakeOpenAI
          ? `the local fake OpenAI server at ${apiUrl}/openai/v1 (set OPENAI_API_KEY in supabase/functions/.env for a real one)`
          : `OpenAI at ${functionEnv.OPENAI_BASE_URL ?? "https://api.openai.com/v1"}`
      }`,
      "",
      "Mint a session token: npm run token -- --user user_123 --org org_123 --role admin",
      "Press Ctrl-C to stop.",
    ].join("\n"),
  );
  // The test runner waits for this line.
  console.log(`READY ${apiUrl}`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log("\nStopping ...");
    await functions.stop();
    await dispatcher.stop();
    await server.shutdown();
    await storageSql.end({ timeout: 5 });
    await Deno.remove(statusFile(dataDir)).catch(() => {});
    await stopCluster(db.pgdata);
    log("Stopped.");
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  // `kill <npm pid>` ends npm and its shell but does not reach us: stop when our parent goes away.
  const parent = Deno.ppid;
  setInterval(() => {
    if (Deno.ppid !== parent) void stop();
  }, 1000);
}

await runMain(main);
