// GET /functions/v1/teams-list?organization_id= -> {teams}
import { authenticate } from "../_shared/http/auth.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { OrganizationQuery } from "../_shared/contract/schemas.ts";
import { listTeams } from "../_shared/domain/teams.ts";
import { parseQuery } from "../_shared/http/validate.ts";

const handler = createHandler({ name: "teams-list", methods: ["GET"] }, async ({ request, url }) => {
  const caller = await authenticate(request);
  const query = parseQuery(url, OrganizationQuery);
  const teams = await listTeams(caller, query.organization_id);
  return json({ teams });
});

export default { fetch: handler };
