// The local edge runtime: every folder of supabase/functions is served, each function in isolates of its own
// with EdgeRuntime.waitUntil and beforeunload, under the hosted limits: a breach answers 546 WORKER_LIMIT, is
// logged, recycles that function's isolate only, and every other function keeps serving.
import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { functionNames, FUNCTIONS_DIR } from "../../scripts/local_stack/edge_runtime/functions.ts";
import {
  type EdgeLimits,
  type EdgeRuntime,
  HOSTED_LIMITS,
  limitsFromEnv,
  startEdgeRuntime,
} from "../../scripts/local_stack/edge_runtime/isolates.ts";
import { stackStatus } from "../support/stack.ts";

// Test-only functions, outside supabase/functions so they are never deployed.
const TEST_FUNCTIONS = fileURLToPath(new URL("../support/edge_limits", import.meta.url));

/** The environment npm start gives the functions, rebuilt from the running stack's status. */
function functionEnv(unloadLog: string): Record<string, string> {
  const status = stackStatus();
  return {
    ...(status.fake_openai ? { OPENAI_API_KEY: "local-fake-openai-key", OPENAI_BASE_URL: status.openai_base_url } : {}),
    CLERK_JWKS_URL: status.jwks_url,
    CLERK_ISSUER: status.clerk_issuer,
    CLERK_WEBHOOK_SIGNING_SECRET: status.clerk_webhook_secret,
    CLERK_AUTHORIZED_PARTIES: "http://localhost:3000",
    WORKER_SECRET: status.worker_secret,
    LOG_LEVEL: "silent",
    SUPABASE_URL: status.api_url,
    SUPABASE_DB_URL: status.db_url,
    SUPABASE_ANON_KEY: status.anon_key,
    SUPABASE_SERVICE_ROLE_KEY: status.service_role_key,
    UNLOAD_LOG: unloadLog,
  };
}

async function withRuntime(
  limits: EdgeLimits,
  run: (runtime: EdgeRuntime, unloadLog: string) => Promise<void>,
  { keep = false } = {},
) {
  const dir = await Deno.makeTempDir({ prefix: "edge-limits-" });
  const unloadLog = join(dir, "unload.log");
  await Deno.writeTextFile(unloadLog, "");
  const runtime = startEdgeRuntime({
    functions: new Map([
      ["health", join(FUNCTIONS_DIR, "health", "index.ts")],
      ["burn-cpu", join(TEST_FUNCTIONS, "burn-cpu", "index.ts")],
      ["allocate", join(TEST_FUNCTIONS, "allocate", "index.ts")],
      ["unload", join(TEST_FUNCTIONS, "unload", "index.ts")],
    ]),
    env: functionEnv(unloadLog),
    limits,
    socketDir: join(dir, "isolates"),
  });
  try {
    await run(runtime, unloadLog);
  } finally {
    await runtime.stop(5000);
    if (!keep) await Deno.remove(dir, { recursive: true });
  }
}

async function call(runtime: EdgeRuntime, name: string, query = "", method = "GET") {
  const response = await runtime.invoke(
    name,
    new Request(`http://127.0.0.1/functions/v1/${name}${query}`, { method }),
    `/${name}`,
  );
  return { status: response.status, body: await response.json() };
}

function unloads(log: string): { fn: string; isolate: string; event: string; reason?: string }[] {
  return Deno.readTextFileSync(log).split("\n").filter(Boolean).map((line) => JSON.parse(line));
}

const WORKER_LIMIT_BODY = {
  code: "WORKER_LIMIT",
  message: "Function failed due to not having enough compute resources (please check logs)",
};

Deno.test("every folder of supabase/functions but _shared is served", () => {
  const names = functionNames();
  equal(names.includes("health"), true);
  equal(names.some((name) => name.startsWith("_")), false);
});

Deno.test("waitUntil work outlives the response and is awaited on shutdown, after beforeunload", async () => {
  let isolate = "";
  let log = "";
  await withRuntime(HOSTED_LIMITS, async (runtime, unloadLog) => {
    log = unloadLog;
    const answered = await call(runtime, "unload", "?background=500");
    equal(answered.status, 200);
    isolate = answered.body.isolate;
    deepEqual(unloads(unloadLog), []);
  }, { keep: true });
  deepEqual(unloads(log), [
    { fn: "unload", isolate, event: "beforeunload", reason: "TerminationRequested" },
    { fn: "unload", isolate, event: "done" },
  ]);
  await Deno.remove(dirname(log), { recursive: true });
});

Deno.test("the limits are settings with the hosted values as defaults", () => {
  deepEqual(limitsFromEnv({}), { memoryMb: 256, cpuMs: 2000, wallClockMs: 150_000 });
  deepEqual(limitsFromEnv({ LOCAL_EDGE_WALL_CLOCK_SECONDS: "400", LOCAL_EDGE_CPU_MS: "1500" }), {
    memoryMb: 256,
    cpuMs: 1500,
    wallClockMs: 400_000,
  });
  let message = "";
  try {
    limitsFromEnv({ LOCAL_EDGE_MEMORY_MB: "lots" });
  } catch (error) {
    message = (error as Error).message;
  }
  equal(message, 'LOCAL_EDGE_MEMORY_MB must be a positive number, got "lots"');
});

Deno.test("3 s of CPU and 400 MB answer 546 WORKER_LIMIT while health keeps answering 200", async () => {
  await withRuntime(HOSTED_LIMITS, async (runtime, unloadLog) => {
    equal((await call(runtime, "health")).status, 200);
    const before = await call(runtime, "burn-cpu");
    equal(before.status, 200);

    const burning = call(runtime, "burn-cpu", "?seconds=3", "POST");
    let settled = false;
    burning.finally(() => settled = true);
    const healthWhileBurning: number[] = [];
    while (!settled) {
      healthWhileBurning.push((await call(runtime, "health")).status);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const burnt = await burning;
    equal(burnt.status, 546);
    deepEqual(burnt.body, WORKER_LIMIT_BODY);
    ok(healthWhileBurning.length > 0);
    deepEqual(healthWhileBurning.filter((status) => status !== 200), []);
    // Killed at the hard limit: its beforeunload never ran.
    deepEqual(unloads(unloadLog).filter((entry) => entry.isolate === before.body.isolate), []);

    for (const kind of ["heap", "buffer"]) {
      const allocated = await call(runtime, "allocate", `?mb=400&kind=${kind}`);
      equal(allocated.status, 546, `400 MB on the ${kind}`);
      deepEqual(allocated.body, WORKER_LIMIT_BODY);
      equal((await call(runtime, "health")).status, 200);
    }
    // Within the limits, the same function serves.
    deepEqual(await call(runtime, "allocate", "?mb=20&kind=buffer"), {
      status: 200,
      body: { allocated_mb: 20, kind: "buffer" },
    });

    // The burnt function serves again, from a new isolate.
    const after = await call(runtime, "burn-cpu");
    equal(after.status, 200);
    notEqual(after.body.isolate, before.body.isolate);
  });
});

Deno.test("wall clock from boot: an idle isolate retires at half of it; one still working gets beforeunload at 90 % and is killed at the limit", async () => {
  await withRuntime({ ...HOSTED_LIMITS, wallClockMs: 4000 }, async (runtime, unloadLog) => {
    const until = async (isolate: string, count: number, ms: number) => {
      const deadline = Date.now() + ms;
      while (unloads(unloadLog).filter((entry) => entry.isolate === isolate).length < count && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    // Idle: retired at half its wall clock (the hosted supervisor's first alert), so it is dropped early.
    const idle = await call(runtime, "unload");
    equal(idle.status, 200);
    await until(idle.body.isolate, 1, 10_000);
    deepEqual(unloads(unloadLog), [
      { fn: "unload", isolate: idle.body.isolate, event: "beforeunload", reason: "EarlyDrop" },
    ]);
    // Background work that would outlive the wall clock: beforeunload names the wall clock, then the kill
    // (at the limit, 4 s from boot) ends the work before it is done.
    const busy = await call(runtime, "unload", "?background=10000");
    equal(busy.status, 200);
    notEqual(busy.body.isolate, idle.body.isolate);
    await until(busy.body.isolate, 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    deepEqual(unloads(unloadLog).filter((entry) => entry.isolate === busy.body.isolate), [
      { fn: "unload", isolate: busy.body.isolate, event: "beforeunload", reason: "WallClockTime" },
    ]);
    const next = await call(runtime, "unload");
    equal(next.status, 200);
    notEqual(next.body.isolate, busy.body.isolate);
    equal((await call(runtime, "health")).status, 200);
  });
});

Deno.test("an isolate serves one request at a time; after a burst, a function keeps one idle isolate and lets the others go once idle", async () => {
  await withRuntime(HOSTED_LIMITS, async (runtime, unloadLog) => {
    equal((await call(runtime, "burn-cpu")).status, 200); // booted, so the burst below overlaps
    const burst = await Promise.all([1, 2, 3].map(() => call(runtime, "burn-cpu", "?seconds=0.2", "POST")));
    deepEqual(burst.map(({ status }) => status), [200, 200, 200]);
    const isolates = new Set(burst.map(({ body }) => body.isolate));
    equal(isolates.size, 3, "three concurrent requests, three isolates");
    // Surplus isolates go once idle for 15 s (a burst that comes back sooner reuses them).
    const deadline = Date.now() + 30_000;
    while (unloads(unloadLog).length < isolates.size - 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const dropped = unloads(unloadLog);
    deepEqual(dropped.map(({ reason }) => reason), ["EarlyDrop", "EarlyDrop"]);
    const kept = [...isolates].filter((isolate) => !dropped.some((entry) => entry.isolate === isolate));
    equal(kept.length, 1);
    deepEqual((await call(runtime, "burn-cpu")).body, { isolate: kept[0] });
  });
});
