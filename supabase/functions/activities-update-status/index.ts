// PATCH /functions/v1/activities-update-status {activity_id, status} -> {activity} (invalid moves: 409)
import { authenticate } from "../_shared/http/auth.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { UpdateActivityStatusInput } from "../_shared/contract/schemas.ts";
import { updateActivityStatus } from "../_shared/domain/team_activities.ts";
import { parseJsonBody } from "../_shared/http/validate.ts";

const handler = createHandler({ name: "activities-update-status", methods: ["PATCH"] }, async ({ request }) => {
  const caller = await authenticate(request);
  const input = await parseJsonBody(request, UpdateActivityStatusInput);
  return json({ activity: await updateActivityStatus(caller, input) });
});

export default { fetch: handler };
