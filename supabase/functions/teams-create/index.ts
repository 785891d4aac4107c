// POST /functions/v1/teams-create {name, profile, organization_id?} -> 201 {team}
import { authenticate } from "../_shared/auth.ts";
import { createHandler, json } from "../_shared/http.ts";
import { CreateTeamInput } from "../_shared/schemas.ts";
import { createTeam } from "../_shared/teams.ts";
import { parseJsonBody } from "../_shared/validate.ts";

const handler = createHandler({ name: "teams-create", methods: ["POST"] }, async ({ request }) => {
  const caller = await authenticate(request);
  const input = await parseJsonBody(request, CreateTeamInput);
  const team = await createTeam(caller, input);
  return json({ team }, 201);
});

export default { fetch: handler };
