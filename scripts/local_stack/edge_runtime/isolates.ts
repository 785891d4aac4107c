/**
 * The edge runtime's supervisor: every function runs in isolates of its own (a Deno process each, see
 * isolate.ts) under the hosted limits, so a function that would crash a hosted isolate fails here too,
 * alone. An isolate boots on its function's first request and serves until a limit ends it:
 *
 * - memory: the JS heap is capped by V8 (`--max-old-space-size`), heap plus buffers by the isolate itself;
 * - CPU: the isolate's CPU time since boot (requests and `EdgeRuntime.waitUntil` work alike), read from
 *   /proc; at half the budget the isolate retires (it takes no new request and ends when its work is done),
 *   at 90 % it gets `beforeunload`, at the budget it is killed;
 * - wall clock, counted from boot: at half the limit the isolate retires (as the hosted supervisor's first
 *   wall-clock alert retires it), `beforeunload` at 90 %, killed at 100 %.
 *
 * An isolate serves one request at a time (as hosted ones do): a request that finds none free boots another.
 *
 * A request that an isolate cannot finish because of a limit is answered 546 with a `WORKER_LIMIT` body,
 * as the hosted runtime answers; a kill at a hard limit skips `beforeunload`. Every limit reached is logged.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SetupError } from "../../lib/errors.ts";
import { ROOT } from "../../lib/paths.ts";
import type { UnloadReason } from "./functions.ts";
import { ISOLATE_EXIT, STATUS_PATH, UNLOAD_SIGNALS } from "./isolate.ts";

/** The hosted limits, as settings. */
export interface EdgeLimits {
  /** Heap (and buffers) per isolate. Hosted: 256 MB. */
  memoryMb: number;
  /** CPU time per isolate; hosted isolates serve one request at a time, so this is per request. Hosted: 2 s. */
  cpuMs: number;
  /** Wall clock per isolate, from its boot. Hosted: 150 s (free plan) or 400 s (paid plans). */
  wallClockMs: number;
}

/** The hosted limits of the free plan. */
export const HOSTED_LIMITS: EdgeLimits = { memoryMb: 256, cpuMs: 2000, wallClockMs: 150_000 };

/** The limits from LOCAL_EDGE_MEMORY_MB, LOCAL_EDGE_CPU_MS and LOCAL_EDGE_WALL_CLOCK_SECONDS. */
export function limitsFromEnv(env: Record<string, string | undefined> = Deno.env.toObject()): EdgeLimits {
  const read = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) {
      throw new SetupError(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
  return {
    memoryMb: read("LOCAL_EDGE_MEMORY_MB", HOSTED_LIMITS.memoryMb),
    cpuMs: read("LOCAL_EDGE_CPU_MS", HOSTED_LIMITS.cpuMs),
    wallClockMs: read("LOCAL_EDGE_WALL_CLOCK_SECONDS", HOSTED_LIMITS.wallClockMs / 1000) * 1000,
  };
}

/**
 * The jobs worker's budget settings for these limits: it stops claiming just past the point where this
 * runtime retires an isolate (half its CPU; WORKER_BUDGET_SECONDS past half its wall clock), so wake-ups
 * have gone to a successor by then, and what it runs still ends inside the limits.
 */
export function workerBudgets(limits: EdgeLimits): Record<string, string> {
  const wallClockSeconds = Math.round(limits.wallClockMs / 1000);
  return {
    WORKER_CPU_LIMIT_MS: String(Math.round(limits.cpuMs)),
    WORKER_CPU_STOP_MS: String(Math.round(limits.cpuMs * (RETIRE_RATIO + 0.05))),
    WORKER_WALL_CLOCK_SECONDS: String(wallClockSeconds),
    WORKER_BUDGET_SECONDS: String(Math.max(1, Math.round(wallClockSeconds * 2 / 3))),
  };
}

/** The hosted runtime's answer when an isolate hits a resource limit. */
export const WORKER_LIMIT_STATUS = 546;

function workerLimitResponse(): Response {
  return Response.json({
    code: "WORKER_LIMIT",
    message: "Function failed due to not having enough compute resources (please check logs)",
  }, { status: WORKER_LIMIT_STATUS });
}

function bootErrorResponse(): Response {
  return Response.json({ code: "BOOT_ERROR", message: "Function failed to start (please check logs)" }, {
    status: 503,
  });
}

function workerErrorResponse(): Response {
  return Response.json({ code: "WORKER_ERROR", message: "Function exited due to an error (please check logs)" }, {
    status: 500,
  });
}

const ISOLATE_SCRIPT = fileURLToPath(new URL("./isolate.ts", import.meta.url));
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux
const WATCH_INTERVAL_MS = 50;
/** How often surplus idle isolates are looked for (a function keeps one idle isolate warm). */
const SWEEP_INTERVAL_MS = 2000;
/**
 * How long a surplus isolate may stay idle before it is let go: bursts that come back within it reuse the
 * isolates already booted instead of booting (and paying for) new ones each time.
 */
const SURPLUS_IDLE_MS = 15_000;
/** Where the hosted runtime retires an isolate (half a budget) and fires `beforeunload` (90 %). */
const RETIRE_RATIO = 0.5;
/** How long a drop waits after a `beforeunload` signal, so the isolate sees them in that order. */
const DROP_AFTER_UNLOAD_MS = 250;
const BEFOREUNLOAD_RATIO = 0.9;

/**
 * CPU time (user + system) of a process's main thread in ms, or undefined once it is gone. Deno runs the
 * JS isolate on the main thread; like the hosted runtime's timer (thread CPU time), this leaves out V8's
 * background compiler and GC threads and the I/O threads.
 */
function isolateCpuMs(pid: number): number | undefined {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/task/${pid}/stat`);
    // Fields after the command name (which may hold spaces), 1-based: 14 utime, 15 stime.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 1000 / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

interface Isolate {
  id: number;
  name: string;
  child: Deno.ChildProcess;
  client: Deno.HttpClient;
  socket: string;
  bootedAt: number;
  /** CPU time spent booting (module loading), which the budget does not count. */
  bootCpuMs: number;
  ready: Promise<boolean>;
  booted: boolean;
  retiring: boolean;
  /** The `beforeunload` reason sent, if any, and when (performance.now()). */
  unloadSent?: UnloadReason;
  unloadSentAt?: number;
  /** Told to exit once its work is done (sent only while no request is on its way to it). */
  dropSent: boolean;
  /** Serving a request (from its arrival to the end of the response body): hosted isolates take one at a time. */
  busy: boolean;
  /** When it last finished a request (performance.now()). */
  idleSince: number;
  /** The hard limit the supervisor killed it for, or the limit it died of. */
  limit?: string;
  exited: Promise<Deno.CommandStatus>;
  gone: boolean;
  stderrTail: string;
}

/** What the supervisor needs. */
export interface EdgeRuntimeOptions {
  /** Function name → its `index.ts`. */
  functions: Map<string, string>;
  /** Environment of every isolate (added to the supervisor's own). */
  env: Record<string, string>;
  limits: EdgeLimits;
  /** A folder of its own for the isolates' sockets (emptied at start). */
  socketDir: string;
}

/** The running edge runtime. */
export interface EdgeRuntime {
  has(name: string): boolean;
  readonly names: string[];
  /** Calls a function with the request as the gateway received it; `path` is what the function sees. */
  invoke(name: string, request: Request, path: string): Promise<Response>;
  /** Fires `beforeunload` in every isolate, waits up to `graceMs` for their work, then kills what is left. */
  stop(graceMs?: number): Promise<void>;
}

function log(level: string, msg: string, fields: Record<string, unknown>): void {
  console.error(JSON.stringify({ level, component: "edge-runtime", msg, ...fields }));
}

/** Starts the supervisor; isolates boot on demand. */
export function startEdgeRuntime(options: EdgeRuntimeOptions): EdgeRuntime {
  const { functions, env, limits, socketDir } = options;
  // Sockets left by a stack that did not stop cleanly would refuse new isolates.
  try {
    Deno.removeSync(socketDir, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  Deno.mkdirSync(socketDir, { recursive: true });
  const live = new Set<Isolate>();
  let sequence = 0;
  let stopping = false;

  function spawn(name: string): Isolate {
    const id = ++sequence;
    const socket = join(socketDir, `${id}.sock`);
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--no-prompt",
        `--v8-flags=--max-old-space-size=${limits.memoryMb}`,
        ISOLATE_SCRIPT,
        socket,
        functions.get(name)!,
        String(limits.memoryMb),
      ],
      cwd: ROOT,
      env,
      stdin: "null",
      stdout: "inherit",
      stderr: "piped",
    }).spawn();
    const isolate: Isolate = {
      id,
      name,
      child,
      client: Deno.createHttpClient({ proxy: { transport: "unix", path: socket } }),
      socket,
      bootedAt: performance.now(),
      bootCpuMs: 0,
      ready: Promise.resolve(false),
      booted: false,
      retiring: false,
      busy: false,
      idleSince: performance.now(),
      dropSent: false,
      exited: child.status,
      gone: false,
      stderrTail: "",
    };
    // The isolate's log goes to ours; its tail tells how it died.
    child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
      new WritableStream({
        write(chunk) {
          isolate.stderrTail = (isolate.stderrTail + chunk).slice(-4000);
          Deno.stderr.writeSync(new TextEncoder().encode(chunk));
        },
      }),
    ).catch(() => {});
    isolate.exited.then((status) => {
      isolate.gone = true;
      live.delete(isolate);
      isolate.client.close();
      Deno.remove(socket).catch(() => {});
      Deno.remove(`${socket}.ready`).catch(() => {});
      if (!isolate.limit && isolate.booted && diedOfMemory(status, isolate.stderrTail)) {
        isolate.limit = "Memory limit exceeded";
        log("error", "isolate stopped at a resource limit", {
          fn: name,
          isolate: id,
          reason: isolate.limit,
          memory_mb: limits.memoryMb,
        });
      }
    });
    isolate.ready = waitForSocket(isolate);
    live.add(isolate);
    return isolate;
  }

  function diedOfMemory(status: Deno.CommandStatus, stderr: string): boolean {
    return status.code === ISOLATE_EXIT.memoryLimit || /out of memory|heap limit/i.test(stderr) ||
      status.signal === "SIGTRAP" || status.signal === "SIGABRT";
  }

  async function waitForSocket(isolate: Isolate): Promise<boolean> {
    while (!isolate.gone) {
      try {
        Deno.statSync(`${isolate.socket}.ready`);
        isolate.booted = true;
        isolate.bootCpuMs = isolateCpuMs(isolate.child.pid) ?? 0;
        return true;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      if (performance.now() - isolate.bootedAt > limits.wallClockMs) break;
    }
    if (!isolate.gone) kill(isolate, "Wall clock time exceeded while booting");
    log("error", "isolate failed to boot", { fn: isolate.name, isolate: isolate.id });
    return false;
  }

  /**
   * Takes an isolate out of service: no new request goes to it. A reason other than EarlyDrop fires its
   * `beforeunload` now; it is told to exit (once its work is done) as soon as no request is on its way.
   */
  function retire(isolate: Isolate, reason: UnloadReason): void {
    if (isolate.gone || isolate.limit) return;
    isolate.retiring = true;
    if (reason !== "EarlyDrop" && !isolate.unloadSent) {
      isolate.unloadSent = reason;
      isolate.unloadSentAt = performance.now();
      if (reason !== "TerminationRequested") {
        log("warn", "isolate near a limit: beforeunload", { fn: isolate.name, isolate: isolate.id, reason });
      }
      signal(isolate, UNLOAD_SIGNALS[reason]);
    }
    if (!isolate.busy) drop(isolate);
  }

  function drop(isolate: Isolate): void {
    if (isolate.dropSent) return;
    isolate.dropSent = true;
    // Two different signals sent back to back may be handled in either order; the reason's `beforeunload`
    // must land before the drop (which fires `EarlyDrop` when nothing fired yet), so the drop waits a little.
    const sinceUnload = isolate.unloadSentAt === undefined ? Infinity : performance.now() - isolate.unloadSentAt;
    if (sinceUnload < DROP_AFTER_UNLOAD_MS) {
      const timer = setTimeout(() => signal(isolate, UNLOAD_SIGNALS.EarlyDrop), DROP_AFTER_UNLOAD_MS - sinceUnload);
      Deno.unrefTimer(timer);
    } else {
      signal(isolate, UNLOAD_SIGNALS.EarlyDrop);
    }
  }

  function signal(isolate: Isolate, name: Deno.Signal): void {
    try {
      isolate.child.kill(name);
    } catch {
      // already gone
    }
  }

  function kill(isolate: Isolate, limit: string, fields: Record<string, unknown> = {}): void {
    if (isolate.gone || isolate.limit) return;
    isolate.limit = limit;
    log("error", "isolate stopped at a resource limit", {
      fn: isolate.name,
      isolate: isolate.id,
      reason: limit,
      ...fields,
    });
    try {
      isolate.child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }

  function watch(): void {
    const now = performance.now();
    for (const isolate of live) {
      if (!isolate.booted || isolate.gone || isolate.limit) continue;
      const cpu = isolateCpuMs(isolate.child.pid);
      if (cpu === undefined) continue;
      const used = cpu - isolate.bootCpuMs;
      const age = now - isolate.bootedAt;
      if (used >= limits.cpuMs) {
        kill(isolate, "CPU time exceeded", { cpu_ms: Math.round(used), limit_ms: limits.cpuMs });
      } else if (age >= limits.wallClockMs) {
        kill(isolate, "Wall clock time exceeded", { wall_ms: Math.round(age), limit_ms: limits.wallClockMs });
      } else if (used >= limits.cpuMs * BEFOREUNLOAD_RATIO) {
        retire(isolate, "CPUTime");
      } else if (age >= limits.wallClockMs * BEFOREUNLOAD_RATIO) {
        retire(isolate, "WallClockTime");
      } else if (used >= limits.cpuMs * RETIRE_RATIO && !isolate.retiring) {
        log("info", "isolate retired: half its CPU budget used", {
          fn: isolate.name,
          isolate: isolate.id,
          cpu_ms: Math.round(used),
        });
        retire(isolate, "EarlyDrop");
      } else if (age >= limits.wallClockMs * RETIRE_RATIO && !isolate.retiring) {
        log("info", "isolate retired: half its wall clock used", {
          fn: isolate.name,
          isolate: isolate.id,
          wall_ms: Math.round(age),
        });
        retire(isolate, "EarlyDrop");
      }
    }
  }
  const watcher = setInterval(watch, WATCH_INTERVAL_MS);
  Deno.unrefTimer(watcher);

  /** Marks an isolate free for the next request, or lets a retired one go. */
  function release(isolate: Isolate): void {
    isolate.busy = false;
    isolate.idleSince = performance.now();
    if (isolate.retiring) drop(isolate);
  }

  /**
   * After a burst of concurrent requests, a function keeps its newest idle isolate and lets the others go
   * (EarlyDrop) once they have been idle for SURPLUS_IDLE_MS and their background work is done, so bursts do
   * not leave dozens of processes behind.
   */
  async function sweep(): Promise<void> {
    const now = performance.now();
    const idle = [...live].filter((isolate) =>
      isolate.booted && !isolate.busy && !isolate.retiring && !isolate.limit && !isolate.gone
    );
    const kept = new Set<string>();
    for (const isolate of idle.sort((a, b) => b.bootedAt - a.bootedAt)) {
      if (!kept.has(isolate.name)) {
        kept.add(isolate.name);
        continue;
      }
      if (now - isolate.idleSince < SURPLUS_IDLE_MS) continue;
      isolate.busy = true; // no request goes to it while we ask
      try {
        const response = await fetch(`http://isolate${STATUS_PATH}`, { client: isolate.client });
        const { background } = await response.json() as { background: number };
        if (background === 0) retire(isolate, "EarlyDrop");
      } catch {
        // gone meanwhile
      } finally {
        release(isolate);
      }
    }
  }
  let sweeping = false;
  const sweeper = setInterval(() => {
    if (sweeping || stopping) return;
    sweeping = true;
    sweep().finally(() => sweeping = false);
  }, SWEEP_INTERVAL_MS);
  Deno.unrefTimer(sweeper);

  async function answerForLost(isolate: Isolate, error: unknown): Promise<Response> {
    // The connection broke: wait (briefly) for the process to end to learn why.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([isolate.exited, new Promise((resolve) => timer = setTimeout(resolve, 2000))]);
    clearTimeout(timer);
    if (isolate.limit) return workerLimitResponse();
    const status = isolate.gone ? await isolate.exited : undefined;
    log("error", "isolate exited during a request", {
      fn: isolate.name,
      isolate: isolate.id,
      code: status?.code,
      signal: status?.signal,
      error: String(error),
    });
    return workerErrorResponse();
  }

  return {
    has: (name) => functions.has(name),
    get names() {
      return [...functions.keys()];
    },
    async invoke(name, request, path) {
      if (stopping) {
        return Response.json({ code: "SHUTTING_DOWN", message: "The runtime is stopping" }, { status: 503 });
      }
      // A free isolate of this function, or a new one: an isolate serves one request at a time.
      let isolate = [...live].find((candidate) =>
        candidate.name === name && !candidate.busy && !candidate.retiring && !candidate.limit && !candidate.gone
      );
      isolate ??= spawn(name);
      isolate.busy = true;
      if (!(await isolate.ready)) {
        isolate.busy = false;
        return isolate.limit ? workerLimitResponse() : bootErrorResponse();
      }
      const url = new URL(request.url);
      url.pathname = path;
      const headers = new Headers(request.headers);
      // The function sees the client's Accept-Encoding (or `identity` when there is none).
      if (!headers.has("accept-encoding")) headers.set("accept-encoding", "identity");
      let response: Response;
      try {
        response = await fetch(url, {
          method: request.method,
          headers,
          body: request.body,
          redirect: "manual",
          client: isolate.client,
        });
      } catch (error) {
        release(isolate);
        return await answerForLost(isolate, error);
      }
      // fetch has decompressed what the function compressed: the gateway compresses it again for the client.
      const responseHeaders = new Headers(response.headers);
      if (responseHeaders.has("content-encoding")) {
        responseHeaders.delete("content-encoding");
        responseHeaders.delete("content-length");
      }
      if (!response.body) {
        release(isolate);
        return new Response(null, {
          status: response.status,
          statusText: response.statusText,
          headers: responseHeaders,
        });
      }
      // Busy until the body has been sent (or the client went away).
      const reader = response.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const { value, done } = await reader.read();
            if (done) {
              controller.close();
              release(isolate);
            } else {
              controller.enqueue(value);
            }
          } catch (error) {
            controller.error(error);
            release(isolate);
          }
        },
        async cancel(reason) {
          release(isolate);
          await reader.cancel(reason);
        },
      });
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: responseHeaders,
      });
    },
    async stop(graceMs = 5000) {
      stopping = true;
      clearInterval(watcher);
      clearInterval(sweeper);
      const isolates = [...live];
      for (const isolate of isolates) {
        retire(isolate, "TerminationRequested");
        drop(isolate); // requests on their way are answered before it exits
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.allSettled(isolates.map((isolate) => isolate.exited)),
        new Promise((resolve) => timer = setTimeout(resolve, graceMs)),
      ]);
      clearTimeout(timer);
      for (const isolate of isolates) {
        if (isolate.gone) continue;
        try {
          isolate.child.kill("SIGKILL");
        } catch {
          // already gone
        }
      }
      await Promise.allSettled(isolates.map((isolate) => isolate.exited));
    },
  };
}
