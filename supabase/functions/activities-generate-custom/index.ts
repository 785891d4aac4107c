// POST /functions/v1/activities-generate-custom {team_id, requirements, material_ids?} [Idempotency-Key]
// -> 202 {job_id, status} (paid plan; free: 403 plan_required)
import { authenticate } from "../_shared/http/auth.ts";
import { requestGeneration } from "../_shared/domain/generation.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { idempotencyKeyOf } from "../_shared/domain/idempotency.ts";
import { GenerateActivitiesInput } from "../_shared/contract/schemas.ts";
import { parseJsonBody } from "../_shared/http/validate.ts";

const handler = createHandler({ name: "activities-generate-custom", methods: ["POST"] }, async ({ request }) => {
  const caller = await authenticate(request);
  const key = idempotencyKeyOf(request);
  const input = await parseJsonBody(request, GenerateActivitiesInput);
  return json(await requestGeneration(caller, input, key), 202);
});

export default { fetch: handler };
