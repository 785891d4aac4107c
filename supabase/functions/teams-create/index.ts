// POST /functions/v1/teams-create {name, profile, organization_id?} -> 201 {team}
import { authenticate } from "../_shared/http/auth.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { CreateTeamInput } from "../_shared/contract/schemas.ts";
import { createTeam } from "../_shared/domain/teams.ts";
import { parseJsonBody } from "../_shared/http/validate.ts";

const handler = createHandler({ name: "teams-create", methods: ["POST"] }, async ({ request }) => {
  const caller = await authenticate(request);
  const input = await parseJsonBody(request, CreateTeamInput);
  const team = await createTeam(caller, input);
  return json({ team }, 201);
});

export default { fetch: handler };
