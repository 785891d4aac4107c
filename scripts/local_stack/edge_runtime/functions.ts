/**
 * What a function sees of the Supabase edge runtime: each `index.ts` exports `default { fetch }`, and the
 * isolate that runs it (isolate.ts) provides `EdgeRuntime.waitUntil` and a `beforeunload` event before it
 * stops. Which folders are functions.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "../../lib/paths.ts";

/** A function module's export, as the edge runtime expects it. */
export interface EdgeFunction {
  fetch(request: Request): Response | Promise<Response>;
}

/** The deployable functions' folder. */
export const FUNCTIONS_DIR = join(ROOT, "supabase", "functions");

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

/** How many `EdgeRuntime.waitUntil` tasks are still running. */
export function backgroundWorkCount(): number {
  return pending.size;
}

/** Why the runtime stops an isolate, as `beforeunload`'s `detail.reason` says on the hosted runtime. */
export type UnloadReason = "TerminationRequested" | "WallClockTime" | "CPUTime" | "EarlyDrop";

/** Waits until no `EdgeRuntime.waitUntil` work is pending, or `graceMs` has passed. */
export async function settleBackgroundWork(graceMs: number): Promise<void> {
  if (pending.size === 0) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    (async () => {
      // Work may start more work (a drain wakes another), so wait until the set stays empty.
      while (pending.size > 0) await Promise.allSettled([...pending]);
    })(),
    new Promise((resolve) => timer = setTimeout(resolve, graceMs)),
  ]);
  clearTimeout(timer);
}

/** Imports one function's module; throws when it fails to load or does not export `default { fetch }`. */
export async function importFunction(modulePath: string): Promise<EdgeFunction> {
  const module = await import(pathToFileURL(modulePath).href);
  const fn = module.default as EdgeFunction | undefined;
  if (!fn || typeof fn.fetch !== "function") throw new Error("index.ts must `export default { fetch: handler }`");
  return fn;
}
