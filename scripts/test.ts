/**
 * `npm test`: the whole suite against a throw-away stack of its own (temporary data folder, free ports;
 * the developer's `npm start` data is never touched). Runs deno fmt/lint/check, the import-layer check
 * (scripts/check_layers.ts), the pgTAP files with pg_prove and the Deno tests, then prints one line:
 * `N passed, N failed[, N skipped]`.
 * Extra arguments go to `deno test` (e.g. `npm test -- --filter quota`).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runMain } from "./lib/errors.ts";
import { ROOT } from "./lib/paths.ts";
import { databaseUrl, DB_PASSWORD, DB_USER, freePort, stopCluster } from "./lib/postgres.ts";

interface SuiteResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
}

const DENO = join(ROOT, "node_modules", ".bin", "deno");

/** Settings of the test stack's functions (tests mint tokens for this authorized party). */
const TEST_FUNCTION_ENV = [
  "CLERK_AUTHORIZED_PARTIES=http://localhost:3000",
  `LOG_LEVEL=${Deno.env.get("LOG_LEVEL") ?? "silent"}`,
].join("\n");
const encoder = new TextEncoder();
const ESC = String.fromCharCode(27);
const stripAnsi = (text: string) => text.replaceAll(new RegExp(`${ESC}\\[[0-9;]*m`, "g"), "");

/** Runs a command with its output streamed to ours, and returns that output too. */
async function runStreaming(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; output: string }> {
  const child = new Deno.Command(command, { args, cwd: ROOT, env, stdout: "piped", stderr: "piped" }).spawn();
  let output = "";
  const pump = async (stream: ReadableStream<Uint8Array>, sink: typeof Deno.stdout) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      output += chunk;
      await sink.write(encoder.encode(chunk));
    }
  };
  await Promise.all([pump(child.stdout, Deno.stdout), pump(child.stderr, Deno.stderr)]);
  const { code } = await child.status;
  return { code, output };
}

async function staticCheck(name: string, args: string[]): Promise<SuiteResult> {
  console.log(`\n== ${name}`);
  const { code } = await runStreaming(DENO, args);
  console.log(code === 0 ? `${name}: ok` : `${name}: FAILED`);
  return { name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 };
}

/** A throw-away stack: started as a child process, stopped and deleted at the end. */
async function startStack(dataDir: string, dbPort: number, apiPort: number) {
  const logFile = join(dataDir, "stack.log");
  // The functions' settings for tests: never the developer's supabase/functions/.env (it may hold real keys).
  const envFile = join(dataDir, "functions.env");
  await Deno.writeTextFile(envFile, TEST_FUNCTION_ENV);
  const log = await Deno.open(logFile, { create: true, write: true, append: true });
  const child = new Deno.Command(DENO, {
    args: [
      "run",
      "-A",
      "scripts/start.ts",
      "--data-dir",
      dataDir,
      "--db-port",
      String(dbPort),
      "--api-port",
      String(apiPort),
      "--env-file",
      envFile,
      "--throwaway",
      "--quiet",
    ],
    cwd: ROOT,
    env: {
      LOG_LEVEL: Deno.env.get("LOG_LEVEL") ?? "silent",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let seen = "";
  const ready = (async () => {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    while (true) {
      const { value, done } = await reader.read();
      if (done) return false;
      seen += value;
      await log.write(encoder.encode(value));
      if (seen.includes("READY ")) {
        (async () => {
          while (!(await reader.read()).done) {
            // keep draining
          }
        })();
        return true;
      }
    }
  })();
  child.stderr.pipeTo(
    new WritableStream({ write: (chunk) => void log.write(chunk) }),
  ).catch(() => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), 180_000));
  const ok = await Promise.race([ready, timeout]);
  clearTimeout(timer);
  if (!ok) {
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone
    }
    const tail = (await Deno.readTextFile(logFile)).split("\n").slice(-20).join("\n");
    throw new Error(`The test stack did not start:\n${tail}`);
  }
  return {
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      await child.status;
      log.close();
    },
  };
}

/**
 * Settings of the test database: retries after 1 s instead of 5 s, so tests of retrying jobs take seconds.
 * (A setting, changed the way an operator would; the backoff logic itself is unchanged.)
 */
async function tuneTestDatabase(dbPort: number): Promise<void> {
  const { code } = await runStreaming("psql", [
    databaseUrl(dbPort),
    "-Xqc",
    "update public.app_settings set value = '1' where name = 'JOB_RETRY_BASE_SECONDS'",
  ]);
  if (code !== 0) throw new Error("Could not tune the test database");
}

/** `supabase db lint` (plpgsql_check) on the migrated schema: any error or warning fails. */
async function dbLint(dbPort: number): Promise<SuiteResult> {
  console.log("\n== supabase db lint");
  const { code } = await runStreaming(join(ROOT, "node_modules", ".bin", "supabase"), [
    "db",
    "lint",
    "--db-url",
    databaseUrl(dbPort),
    "--schema",
    "public",
    "--level",
    "warning",
    "--fail-on",
    "warning",
  ], { SUPABASE_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" });
  return { name: "supabase db lint", passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 };
}

async function pgTap(dbPort: number): Promise<SuiteResult> {
  const result: SuiteResult = { name: "pgTAP", passed: 0, failed: 0, skipped: 0 };
  const dir = join(ROOT, "supabase", "tests", "database");
  const files = [...Deno.readDirSync(dir)].filter((e) => e.isFile && e.name.endsWith(".sql")).map((e) =>
    join(dir, e.name)
  ).sort();
  console.log(`\n== pgTAP (${files.length} files)`);
  if (files.length === 0) return result;
  const env = { PGPASSWORD: DB_PASSWORD, PGOPTIONS: "--client-min-messages=warning" };
  const connection = ["-h", "127.0.0.1", "-p", String(dbPort), "-U", DB_USER, "-d", "postgres"];
  await runStreaming("psql", [
    ...connection,
    "-Xqc",
    "create extension if not exists pgtap with schema extensions",
  ], env);
  const { code, output } = await runStreaming("pg_prove", [...connection, "--verbose", ...files], env);
  for (const line of output.split("\n")) {
    const match = /^\s*(not ok|ok) \d+/.exec(line);
    if (!match) continue;
    if (/#\s*skip/i.test(line)) result.skipped++;
    else if (match[1] === "ok") result.passed++;
    else result.failed++;
  }
  if (code !== 0 && result.failed === 0) result.failed = 1; // a file died or planned wrong
  return result;
}

async function denoTests(env: Record<string, string>, extra: string[]): Promise<SuiteResult> {
  console.log("\n== deno test");
  const { code, output } = await runStreaming(
    DENO,
    [
      "test",
      "-A",
      "--no-prompt",
      ...extra,
      ...(extra.some((a) => !a.startsWith("-")) ? [] : ["tests/", "supabase/functions/"]),
    ],
    env,
  );
  const summary = stripAnsi(output).split("\n").reverse().find((line) => /\d+ passed.*\d+ failed/.test(line));
  const count = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(summary ?? "")?.[1] ?? 0);
  const result = { name: "deno test", passed: count("passed"), failed: count("failed"), skipped: count("ignored") };
  if (code !== 0 && result.failed === 0) result.failed = 1; // crashed before its summary
  return result;
}

await runMain(async () => {
  const began = performance.now();
  const extra = Deno.args;
  const dataDir = await Deno.makeTempDir({ prefix: "team-activities-test-" });
  await Deno.chmod(dataDir, 0o755);
  const dbPort = freePort();
  const apiPort = freePort();
  const results: SuiteResult[] = [];
  const stackStarting = startStack(dataDir, dbPort, apiPort);
  stackStarting.catch(() => {});
  let stack: Awaited<typeof stackStarting> | undefined;
  try {
    results.push(await staticCheck("deno fmt --check", ["fmt", "--check"]));
    results.push(await staticCheck("deno lint", ["lint"]));
    const checked = ["supabase/functions", "scripts", "tests", "bench"].filter((dir) => existsSync(join(ROOT, dir)));
    results.push(await staticCheck("deno check", ["check", ...checked]));
    results.push(await staticCheck("import layers", ["run", "-A", "scripts/check_layers.ts"]));
    stack = await stackStarting;
    await tuneTestDatabase(dbPort);
    results.push(await dbLint(dbPort));
    results.push(await pgTap(dbPort));
    results.push(await denoTests({ LOCAL_STACK_DIR: dataDir }, extra));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    results.push({ name: "test stack", passed: 0, failed: 1, skipped: 0 });
  } finally {
    const stopping = performance.now();
    await stack?.stop();
    console.log(`(test stack stopped in ${((performance.now() - stopping) / 1000).toFixed(1)} s)`);
    await stopCluster(join(dataDir, "postgres")).catch(() => {});
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }

  console.log(`\n== summary (${((performance.now() - began) / 1000).toFixed(0)} s)`);
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(18)} ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ""}`,
    );
  }
  const total = results.reduce(
    (sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed, skipped: sum.skipped + r.skipped }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
  if (total.failed > 0 || total.passed === 0) Deno.exit(1);
});
