/**
 * A second jobs worker in a process of its own, for fault tests and the outage soak: the real jobs-worker
 * module under the local edge runtime's `EdgeRuntime.waitUntil` and `beforeunload`, served on WORKER_PORT.
 * SIGTERM stops it the way the runtime stops an isolate (beforeunload, then background work gets a grace
 * period); SIGKILL is a crash. It prints `LISTENING <port>` when ready and `STOPPED` after a clean stop.
 */
import { installEdgeRuntime, settleBackgroundWork } from "../../scripts/local_stack/edge_runtime/functions.ts";

installEdgeRuntime();
const { default: worker } = await import("../../supabase/functions/jobs-worker/index.ts");
const port = Number(Deno.env.get("WORKER_PORT"));
const server = Deno.serve(
  { hostname: "127.0.0.1", port, onListen: () => console.log(`LISTENING ${port}`) },
  (request) => worker.fetch(request),
);
Deno.addSignalListener("SIGTERM", async () => {
  // What an isolate of the local edge runtime does when it is told to stop (isolate.ts).
  globalThis.dispatchEvent(new CustomEvent("beforeunload", { detail: { reason: "TerminationRequested" } }));
  await settleBackgroundWork(5000);
  await server.shutdown();
  console.log("STOPPED");
  Deno.exit(0);
});
