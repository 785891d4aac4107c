// GET /functions/v1/jobs-list?team_id=&status= -> {jobs}
import { authenticate } from "../_shared/http/auth.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { listJobs } from "../_shared/domain/jobs.ts";
import { JobsQuery } from "../_shared/contract/schemas.ts";
import { parseQuery } from "../_shared/http/validate.ts";

const handler = createHandler({ name: "jobs-list", methods: ["GET"] }, async ({ request, url }) => {
  const caller = await authenticate(request);
  const query = parseQuery(url, JobsQuery);
  return json({ jobs: await listJobs(caller, query) });
});

export default { fetch: handler };
