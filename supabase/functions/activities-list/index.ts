// GET /functions/v1/activities-list?team_id=&status=&source= -> {activities}
import { authenticate } from "../_shared/http/auth.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { ActivitiesQuery } from "../_shared/contract/schemas.ts";
import { listTeamActivities } from "../_shared/domain/team_activities.ts";
import { parseQuery } from "../_shared/http/validate.ts";

const handler = createHandler({ name: "activities-list", methods: ["GET"] }, async ({ request, url }) => {
  const caller = await authenticate(request);
  const query = parseQuery(url, ActivitiesQuery);
  return json({ activities: await listTeamActivities(caller, query) });
});

export default { fetch: handler };
