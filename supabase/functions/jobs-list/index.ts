// GET /functions/v1/jobs-list?team_id=&status= -> {jobs}
import { authenticate } from "../_shared/auth.ts";
import { createHandler, json } from "../_shared/http.ts";
import { listJobs } from "../_shared/jobs.ts";
import { JobsQuery } from "../_shared/schemas.ts";
import { parseQuery } from "../_shared/validate.ts";

const handler = createHandler({ name: "jobs-list", methods: ["GET"] }, async ({ request, url }) => {
  const caller = await authenticate(request);
  const query = parseQuery(url, JobsQuery);
  return json({ jobs: await listJobs(caller, query) });
});

export default { fetch: handler };
