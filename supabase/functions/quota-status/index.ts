// GET /functions/v1/quota-status?organization_id= -> {organization, quotas}
import { authenticate } from "../_shared/auth.ts";
import { createHandler, json } from "../_shared/http.ts";
import { quotaStatus } from "../_shared/quota.ts";
import { OrganizationQuery } from "../_shared/schemas.ts";
import { parseQuery } from "../_shared/validate.ts";

const handler = createHandler({ name: "quota-status", methods: ["GET"] }, async ({ request, url }) => {
  const caller = await authenticate(request);
  const query = parseQuery(url, OrganizationQuery);
  return json(await quotaStatus(caller, query.organization_id));
});

export default { fetch: handler };
