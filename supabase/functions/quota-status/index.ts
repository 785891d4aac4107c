// GET /functions/v1/quota-status?organization_id= -> {organization, quotas}
import { authenticate } from "../_shared/http/auth.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { quotaStatus } from "../_shared/domain/quota.ts";
import { OrganizationQuery } from "../_shared/contract/schemas.ts";
import { parseQuery } from "../_shared/http/validate.ts";

const handler = createHandler({ name: "quota-status", methods: ["GET"] }, async ({ request, url }) => {
  const caller = await authenticate(request);
  const query = parseQuery(url, OrganizationQuery);
  return json(await quotaStatus(caller, query.organization_id));
});

export default { fetch: handler };
