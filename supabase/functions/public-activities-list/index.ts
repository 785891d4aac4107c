// GET /functions/v1/public-activities-list?category=&work_mode=&min_duration=&max_duration=&group_size=&q=&limit=&cursor=
// -> {activities, next_cursor}
import { authenticate } from "../_shared/http/auth.ts";
import { listPublicActivities } from "../_shared/domain/catalog.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { PublicActivitiesQuery } from "../_shared/contract/schemas.ts";
import { parseQuery } from "../_shared/http/validate.ts";

const handler = createHandler({ name: "public-activities-list", methods: ["GET"] }, async ({ request, url }) => {
  const caller = await authenticate(request);
  const query = parseQuery(url, PublicActivitiesQuery);
  return json(await listPublicActivities(caller, query));
});

export default { fetch: handler };
