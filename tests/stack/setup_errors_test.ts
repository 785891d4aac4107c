// Wrong configuration ends `npm start` with one clear sentence naming the problem and the fix.
import { equal, match } from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/paths.ts";
import { freePort, stopCluster } from "../../scripts/lib/postgres.ts";

async function start(options: { args?: string[]; env?: Record<string, string>; dataDir: string }) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/start.ts", "--data-dir", options.dataDir, "--throwaway", ...(options.args ?? [])],
    cwd: ROOT,
    env: options.env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: output.code, stderr: new TextDecoder().decode(output.stderr) };
}

async function withDataDir(test: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "setup-errors-" });
  await Deno.chmod(dir, 0o755);
  try {
    await test(dir);
  } finally {
    await stopCluster(join(dir, "postgres")).catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
}

function assertOneSentence(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split("\n");
  equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  match(lines[0], /^error: /);
  match(lines[0], pattern);
}

Deno.test("a taken API port is named, with how to choose another", async () => {
  await withDataDir(async (dataDir) => {
    const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (busy.addr as Deno.NetAddr).port;
    try {
      const { code, stderr } = await start({
        dataDir,
        args: ["--api-port", String(port), "--db-port", String(freePort())],
      });
      equal(code, 1);
      assertOneSentence(stderr, new RegExp(`port ${port} \\(API gateway\\) is already in use: .*LOCAL_API_PORT`));
    } finally {
      busy.close();
    }
  });
});

Deno.test("a taken database port is named, with how to choose another", async () => {
  await withDataDir(async (dataDir) => {
    const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (busy.addr as Deno.NetAddr).port;
    try {
      const { code, stderr } = await start({
        dataDir,
        args: ["--db-port", String(port), "--api-port", String(freePort())],
      });
      equal(code, 1);
      assertOneSentence(stderr, new RegExp(`port ${port} \\(Postgres\\) is already in use: .*LOCAL_DB_PORT`));
    } finally {
      busy.close();
    }
  });
});

Deno.test("missing Postgres binaries are named, with the package to install", async () => {
  await withDataDir(async (dataDir) => {
    const { code, stderr } = await start({
      dataDir,
      args: ["--api-port", String(freePort()), "--db-port", String(freePort())],
      env: { PG_BIN: "/nonexistent/postgresql/bin" },
    });
    equal(code, 1);
    assertOneSentence(
      stderr,
      /Postgres 15 binaries were not found in \/nonexistent\/postgresql\/bin: install .*postgresql-15/,
    );
  });
});

Deno.test("a malformed .env names the file and line", async () => {
  await withDataDir(async (dataDir) => {
    const envFile = join(dataDir, "functions.env");
    await Deno.writeTextFile(envFile, "# settings\nOPENAI_API_KEY=sk-test\nTHIS LINE IS WRONG\n");
    const { code, stderr } = await start({
      dataDir,
      args: ["--api-port", String(freePort()), "--db-port", String(freePort()), "--env-file", envFile],
    });
    equal(code, 1);
    assertOneSentence(stderr, /functions\.env line 3 is not KEY=VALUE .*: fix or remove that line/);
  });
});

Deno.test("a .env that sets a reserved SUPABASE_ name is refused", async () => {
  await withDataDir(async (dataDir) => {
    const envFile = join(dataDir, "functions.env");
    await Deno.writeTextFile(envFile, "SUPABASE_URL=http://elsewhere\n");
    const { code, stderr } = await start({
      dataDir,
      args: ["--api-port", String(freePort()), "--db-port", String(freePort()), "--env-file", envFile],
    });
    equal(code, 1);
    assertOneSentence(stderr, /sets SUPABASE_URL, but SUPABASE_\* names are reserved/);
  });
});
