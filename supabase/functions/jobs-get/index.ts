// GET /functions/v1/jobs-get?job_id= -> {job, activities?}
import { authenticate } from "../_shared/auth.ts";
import { createHandler, json } from "../_shared/http.ts";
import { getJob } from "../_shared/jobs.ts";
import { JobQuery } from "../_shared/schemas.ts";
import { parseQuery } from "../_shared/validate.ts";

const handler = createHandler({ name: "jobs-get", methods: ["GET"] }, async ({ request, url }) => {
  const caller = await authenticate(request);
  const query = parseQuery(url, JobQuery);
  return json(await getJob(caller, query.job_id));
});

export default { fetch: handler };
