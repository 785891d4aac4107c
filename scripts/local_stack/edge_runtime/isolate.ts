/**
 * One function's isolate: a Deno process of its own, started by the supervisor (isolates.ts) with the
 * hosted heap limit (`--max-old-space-size`). It imports the function's `index.ts`, serves it on a Unix
 * socket, provides `EdgeRuntime.waitUntil`, and on a soft limit or shutdown (a signal from the supervisor)
 * fires `beforeunload`, finishes its requests and background work, and exits. A hard limit is a SIGKILL
 * from the supervisor: no `beforeunload`, as on the hosted runtime.
 *
 * Usage: deno run -A --v8-flags=--max-old-space-size=<mb> isolate.ts <socket> <index.ts> <memory mb>
 */
import {
  backgroundWorkCount,
  importFunction,
  installEdgeRuntime,
  settleBackgroundWork,
  type UnloadReason,
} from "./functions.ts";

/** Where the supervisor asks an isolate how much background work it has (functions' paths start with their name). */
export const STATUS_PATH = "/__edge_runtime/status";

/** Exit codes the supervisor reads. */
export const ISOLATE_EXIT = { bootFailed: 70, memoryLimit: 71 } as const;

/**
 * The signals the supervisor sends. Each `beforeunload` reason fires the event at once; `EarlyDrop` means
 * "retired, and no request is on its way": the isolate finishes its background work, fires `beforeunload`
 * (with `EarlyDrop` unless it already fired) and exits.
 */
export const UNLOAD_SIGNALS: Record<UnloadReason, Deno.Signal> = {
  TerminationRequested: "SIGTERM",
  WallClockTime: "SIGUSR1",
  CPUTime: "SIGUSR2",
  EarlyDrop: "SIGHUP",
};

function logLine(level: string, msg: string, fields: Record<string, unknown> = {}): void {
  console.error(JSON.stringify({ level, msg, ...fields }));
}

async function main(): Promise<void> {
  const [socket, modulePath, memoryMb] = Deno.args;
  const memoryLimit = Number(memoryMb) * 1024 * 1024;
  installEdgeRuntime();

  let fn;
  try {
    fn = await importFunction(modulePath);
  } catch (error) {
    logLine("error", "function failed to boot", { module: modulePath, error: String(error) });
    Deno.exit(ISOLATE_EXIT.bootFailed);
  }

  // The V8 flag caps the JS heap; buffers outside it (ArrayBuffer, Uint8Array) count against the same
  // limit here, as the hosted runtime counts them.
  const checkMemory = () => {
    const { heapUsed, external } = Deno.memoryUsage();
    if (heapUsed + external > memoryLimit) {
      logLine("error", "Memory limit exceeded", { heap_used: heapUsed, external, limit: memoryLimit });
      Deno.exit(ISOLATE_EXIT.memoryLimit);
    }
  };
  const memoryTimer = setInterval(checkMemory, 100);
  Deno.unrefTimer(memoryTimer);

  // The supervisor waits for `<socket>.ready`: written once the socket accepts connections.
  const onListen = () => Deno.writeTextFileSync(`${socket}.ready`, "");
  const server = Deno.serve({ path: socket, transport: "unix", onListen }, async (request) => {
    if (new URL(request.url).pathname === STATUS_PATH) return Response.json({ background: backgroundWorkCount() });
    let response: Response;
    try {
      response = await fn.fetch(request);
    } catch (error) {
      logLine("error", "function threw", { error: String(error) });
      response = Response.json({ error: { code: "internal_error", message: "The function failed" } }, {
        status: 500,
      });
    }
    checkMemory();
    return response;
  });

  let unloaded = false;
  const fireBeforeUnload = (reason: UnloadReason) => {
    if (unloaded) return;
    unloaded = true;
    globalThis.dispatchEvent(new CustomEvent("beforeunload", { detail: { reason } }));
  };
  let stopping = false;
  const exitWhenIdle = async () => {
    if (stopping) return;
    stopping = true;
    // No request is on its way (the supervisor retired this isolate); it kills it at a hard limit.
    await server.shutdown();
    await settleBackgroundWork(2 ** 31 - 1);
    fireBeforeUnload("EarlyDrop");
    Deno.exit(0);
  };
  for (const [reason, signal] of Object.entries(UNLOAD_SIGNALS) as [UnloadReason, Deno.Signal][]) {
    Deno.addSignalListener(signal, () => reason === "EarlyDrop" ? void exitWhenIdle() : fireBeforeUnload(reason));
  }
  // Ctrl-C in the terminal reaches the whole process group: the supervisor decides how this isolate stops.
  Deno.addSignalListener("SIGINT", () => {});
  // An isolate never outlives its supervisor (killed with SIGKILL, it cannot tell us).
  const parent = Deno.ppid;
  const orphanTimer = setInterval(() => {
    if (Deno.ppid !== parent) Deno.exit(0);
  }, 1000);
  Deno.unrefTimer(orphanTimer);
}

if (import.meta.main) await main();
