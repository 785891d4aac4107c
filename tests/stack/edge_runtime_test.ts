// EdgeRuntime.waitUntil and beforeunload, as the local stack provides them to functions.
import { deepEqual, equal } from "node:assert/strict";
import {
  functionNames,
  installEdgeRuntime,
  shutdownEdgeRuntime,
} from "../../scripts/local_stack/edge_runtime/functions.ts";

Deno.test("waitUntil work outlives the response and is awaited on shutdown, after beforeunload", async () => {
  installEdgeRuntime();
  const events: string[] = [];
  const onUnload = () => events.push("beforeunload");
  globalThis.addEventListener("beforeunload", onUnload);
  try {
    const runtime = (globalThis as unknown as { EdgeRuntime: { waitUntil(p: Promise<unknown>): void } }).EdgeRuntime;
    runtime.waitUntil(new Promise((resolve) => setTimeout(resolve, 50)).then(() => events.push("background done")));
    events.push("responded");
    await shutdownEdgeRuntime(2000);
    deepEqual(events, ["responded", "beforeunload", "background done"]);
  } finally {
    globalThis.removeEventListener("beforeunload", onUnload);
  }
});

Deno.test("every folder of supabase/functions but _shared is served", () => {
  const names = functionNames();
  equal(names.includes("health"), true);
  equal(names.some((name) => name.startsWith("_")), false);
});
