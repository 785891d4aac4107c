// POST /functions/v1/jobs-worker (x-worker-secret; called by the database through pg_net) -> 202 at once;
// due jobs are drained in the background.
import { runGenerationJob } from "../_shared/domain/generation.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { runMaterialJob } from "../_shared/domain/material_intake.ts";
import { createJobWorker, verifyWorkerSecret } from "../_shared/domain/worker.ts";

const worker = createJobWorker({ generate_activities: runGenerationJob, process_material: runMaterialJob });

const handler = createHandler({ name: "jobs-worker", methods: ["POST"] }, async ({ request }) => {
  verifyWorkerSecret(request);
  await request.body?.cancel();
  const { started, reason } = worker.wake();
  return json({ accepted: true, started, reason: reason ?? null, worker: worker.workerId }, 202);
});

export default { fetch: handler };
