/**
 * Serves every folder of supabase/functions the way the Supabase edge runtime does: each `index.ts`
 * exports `default { fetch }`, reachable at `/functions/v1/<name>`, with `EdgeRuntime.waitUntil` and a
 * `beforeunload` event when the runtime shuts down.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "../../lib/paths.ts";

/** A function module's export, as the edge runtime expects it. */
export interface EdgeFunction {
  fetch(request: Request): Response | Promise<Response>;
}

const FUNCTIONS_DIR = join(ROOT, "supabase", "functions");

/** The names of the deployable functions: folders with an index.ts, not `_shared` or hidden ones. */
export function functionNames(dir = FUNCTIONS_DIR): string[] {
  const names: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    if (!entry.isDirectory || entry.name.startsWith("_") || entry.name.startsWith(".")) continue;
    if (existsSync(join(dir, entry.name, "index.ts"))) names.push(entry.name);
  }
  return names.sort();
}

const pending = new Set<Promise<unknown>>();

/** Installs `EdgeRuntime.waitUntil`: background work that outlives the response, awaited on shutdown. */
export function installEdgeRuntime(): void {
  const runtime = {
    waitUntil(promise: Promise<unknown>): void {
      const tracked = Promise.resolve(promise).catch((error) => {
        console.error(JSON.stringify({ level: "error", msg: "waitUntil task failed", error: String(error) }));
      }).finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
  };
  Object.defineProperty(globalThis, "EdgeRuntime", { value: runtime, configurable: true, writable: true });
}

/** Fires `beforeunload` (as the runtime does before it stops an isolate), then waits for background work. */
export async function shutdownEdgeRuntime(graceMs = 5000): Promise<void> {
  globalThis.dispatchEvent(new Event("beforeunload"));
  if (pending.size === 0) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.allSettled([...pending]),
    new Promise((resolve) => timer = setTimeout(resolve, graceMs)),
  ]);
  clearTimeout(timer);
}

/** Imports every function's module once; a module that fails to load answers 500 with the reason logged. */
export async function loadFunctions(dir = FUNCTIONS_DIR): Promise<Map<string, EdgeFunction>> {
  const loaded = new Map<string, EdgeFunction>();
  for (const name of functionNames(dir)) {
    try {
      const module = await import(pathToFileURL(join(dir, name, "index.ts")).href);
      const fn = module.default as EdgeFunction | undefined;
      if (!fn || typeof fn.fetch !== "function") {
        throw new Error("index.ts must `export default { fetch: handler }`");
      }
      loaded.set(name, fn);
    } catch (error) {
      console.error(`error: function ${name} failed to load: ${error instanceof Error ? error.message : error}`);
      loaded.set(name, {
        fetch: () =>
          Response.json(
            { error: { code: "function_unavailable", message: `Function ${name} failed to load` } },
            { status: 500 },
          ),
      });
    }
  }
  return loaded;
}

/**
 * Calls a function the way the Supabase gateway does: the function sees the path from its own name on
 * (`/functions/v1/health/x` arrives as `/health/x`), with the query string and headers unchanged.
 */
export async function invokeFunction(fn: EdgeFunction, request: Request, name: string, rest: string) {
  const url = new URL(request.url);
  url.pathname = `/${name}${rest}`;
  const forwarded = new Request(url, request);
  return await fn.fetch(forwarded);
}
