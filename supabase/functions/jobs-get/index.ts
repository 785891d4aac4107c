// GET /functions/v1/jobs-get?job_id= -> {job, activities?}
import { authenticate } from "../_shared/http/auth.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { getJob } from "../_shared/domain/jobs.ts";
import { JobQuery } from "../_shared/contract/schemas.ts";
import { parseQuery } from "../_shared/http/validate.ts";

const handler = createHandler({ name: "jobs-get", methods: ["GET"] }, async ({ request, url }) => {
  const caller = await authenticate(request);
  const query = parseQuery(url, JobQuery);
  return json(await getJob(caller, query.job_id));
});

export default { fetch: handler };
