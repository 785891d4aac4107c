/**
 * Real faults for recovery tests and the outage soak: a second worker process to crash (SIGKILL) or stop
 * (SIGTERM), a Postgres restart, and a pause of the AI provider as every worker sees it.
 */
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/paths.ts";
import { freePort, startCluster, stopCluster } from "../../scripts/lib/postgres.ts";
import { withDb } from "./db.ts";
import { stackStatus } from "./stack.ts";

const DENO = join(ROOT, "node_modules", ".bin", "deno");

/** The named variables of this process's environment that are set. */
function inherited(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => {
    const value = Deno.env.get(name);
    return value === undefined ? [] : [[name, value]];
  }));
}

/** What jobs-worker answers to a wake-up (its 202 body). */
export interface WakeAnswer {
  accepted: true;
  started: boolean;
  /** Why no drain started (`draining`, `budget_spent`, `cpu_budget_spent`, `shutting_down`), or null. */
  reason: string | null;
  worker: string;
}

/** Wakes the jobs worker served at `url` as pg_net would (POST with the worker secret); it must answer 202. */
export async function wakeWorkerAt(url: string): Promise<WakeAnswer> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "x-worker-secret": stackStatus().worker_secret, "content-type": "application/json" },
    body: JSON.stringify({ reason: "test" }),
  });
  if (response.status !== 202) {
    await response.body?.cancel();
    throw new Error(`worker wake answered ${response.status}`);
  }
  return await response.json();
}

/** Wakes the test stack's own jobs-worker function (as the minute sweep, or the next job, would). */
export async function wakeStackWorker(): Promise<WakeAnswer> {
  return await wakeWorkerAt(`${stackStatus().api_url}/functions/v1/jobs-worker`);
}

/** A jobs worker running in a process of its own (tests/support/worker_process.ts). */
export interface WorkerProcess {
  url: string;
  /** Wakes it as pg_net would; answers with its worker id (the `locked_by` of the jobs it claims). */
  wake(): Promise<string>;
  /** Sends a signal; `exited` resolves with what the process did. */
  kill(signal: "SIGTERM" | "SIGKILL"): void;
  exited: Promise<{ code: number; stdout: string; stderr: string }>;
}

/**
 * Starts a second worker process against the test stack. `aiHost` lets it reach the fake OpenAI through
 * another host name (`localhost` instead of `127.0.0.1`): to the shared AI pause that is another provider,
 * so a test can pause the stack's own worker and leave this one working.
 */
export async function startWorkerProcess(
  options: { aiHost?: string; aiBaseUrl?: string; env?: Record<string, string> } = {},
) {
  const status = stackStatus();
  const port = freePort();
  const aiBase = new URL(status.openai_base_url);
  if (options.aiHost) aiBase.hostname = options.aiHost;
  const child = new Deno.Command(DENO, {
    args: ["run", "-A", "tests/support/worker_process.ts"],
    cwd: ROOT,
    // Only what is set here: test files run in one process and some set settings in its environment for
    // themselves (openai_test.ts sets a 1 s AI timeout), which a child would otherwise inherit.
    clearEnv: true,
    env: {
      ...inherited("PATH", "HOME", "DENO_DIR", "TMPDIR"),
      WORKER_PORT: String(port),
      SUPABASE_URL: status.api_url,
      SUPABASE_DB_URL: status.db_url,
      SUPABASE_ANON_KEY: status.anon_key,
      SUPABASE_SERVICE_ROLE_KEY: status.service_role_key,
      WORKER_SECRET: status.worker_secret,
      // A plain long-lived process, not an isolate: no wall-clock or CPU budget to keep.
      WORKER_WALL_CLOCK_SECONDS: "0",
      WORKER_CPU_LIMIT_MS: "0",
      OPENAI_API_KEY: "local-fake-openai-key",
      OPENAI_BASE_URL: options.aiBaseUrl ?? aiBase.href.replace(/\/$/, ""),
      CLERK_JWKS_URL: status.jwks_url,
      CLERK_ISSUER: status.clerk_issuer,
      LOG_LEVEL: "info",
      ...options.env,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stdout = "";
  let stderr = "";
  let ready: () => void;
  const listening = new Promise<void>((resolve) => ready = resolve);
  const pump = async (stream: ReadableStream<Uint8Array>, onText: (text: string) => void) => {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) onText(text);
  };
  const pumps = Promise.all([
    pump(child.stdout, (text) => {
      stdout += text;
      if (stdout.includes("LISTENING")) ready();
    }),
    pump(child.stderr, (text) => stderr += text),
  ]);
  const exited = child.status.then(async ({ code }) => {
    await pumps;
    return { code, stdout, stderr };
  });
  await Promise.race([listening, exited.then(({ stderr }) => Promise.reject(new Error(`worker died: ${stderr}`)))]);
  const url = `http://127.0.0.1:${port}`;
  const worker: WorkerProcess = {
    url,
    async wake() {
      return (await wakeWorkerAt(url)).worker;
    },
    kill(signal) {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    },
    exited,
  };
  return worker;
}

/** The AI provider the stack's own functions call (the host of their OPENAI_BASE_URL). */
export function stackAiProvider(): string {
  return new URL(stackStatus().openai_base_url).host;
}

/** Pauses an AI provider for everyone, as a 429 with this Retry-After would. */
export async function pauseAiProvider(provider: string, seconds: number): Promise<void> {
  await withDb((sql) => sql`select public.record_ai_failure(${provider}, 'paused by a test', ${seconds})`);
}

/** Restarts the test stack's Postgres (fast shutdown: connections are cut), returning how long it was down. */
export async function restartPostgres(): Promise<number> {
  const status = stackStatus();
  const pgdata = await Deno.realPath(join(status.data_dir, "postgres"));
  const port = Number(new URL(status.db_url).port);
  const began = performance.now();
  await stopCluster(pgdata);
  await startCluster(pgdata, port);
  return performance.now() - began;
}

/**
 * An AI provider that accepts connections and never answers (a hung upstream): calls to it stay in flight
 * until the caller's timeout, so a worker using it keeps its jobs running for as long as a test needs.
 */
export function startHungProvider(): { url: string; close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) held.push(conn);
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/v1`,
    close() {
      for (const conn of held) {
        try {
          conn.close();
        } catch {
          // already closed
        }
      }
      listener.close();
    },
  };
}

/**
 * Crashes (SIGKILL) every isolate of one function in the test stack, as a hosted isolate dies mid-request:
 * no `beforeunload`, nothing in flight finishes. Returns how many processes were killed.
 */
export async function crashFunctionIsolates(name: string): Promise<number> {
  const dataDir = stackStatus().data_dir;
  const roots = [dataDir, await Deno.realPath(dataDir)];
  let killed = 0;
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    let args: string[];
    try {
      args = (await Deno.readTextFile(`/proc/${entry.name}/cmdline`)).split("\0");
    } catch {
      continue; // gone meanwhile
    }
    const ours = args.some((arg) => roots.some((root) => arg.startsWith(`${root}/isolates/`)));
    if (ours && args.some((arg) => arg.endsWith(`/${name}/index.ts`))) {
      try {
        Deno.kill(Number(entry.name), "SIGKILL");
        killed++;
      } catch {
        // already gone
      }
    }
  }
  return killed;
}
