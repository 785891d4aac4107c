// POST /functions/v1/activities-customize {team_id, public_activity_id, duration_minutes?, notes?}
// [Idempotency-Key] -> 201 {activity, quota}
import { authenticate } from "../_shared/http/auth.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { idempotencyKeyOf } from "../_shared/domain/idempotency.ts";
import { CustomizeActivityInput } from "../_shared/contract/schemas.ts";
import { customizeActivity } from "../_shared/domain/team_activities.ts";
import { parseJsonBody } from "../_shared/http/validate.ts";

const handler = createHandler({ name: "activities-customize", methods: ["POST"] }, async ({ request }) => {
  const caller = await authenticate(request);
  const key = idempotencyKeyOf(request);
  const input = await parseJsonBody(request, CustomizeActivityInput);
  const response = await customizeActivity(caller, input, key);
  return json(response.body, response.status);
});

export default { fetch: handler };
