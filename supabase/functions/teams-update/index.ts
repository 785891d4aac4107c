// PATCH /functions/v1/teams-update {team_id, name?, profile?} -> {team}
import { authenticate } from "../_shared/http/auth.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { UpdateTeamInput } from "../_shared/contract/schemas.ts";
import { updateTeam } from "../_shared/domain/teams.ts";
import { parseJsonBody } from "../_shared/http/validate.ts";

const handler = createHandler({ name: "teams-update", methods: ["PATCH"] }, async ({ request }) => {
  const caller = await authenticate(request);
  const input = await parseJsonBody(request, UpdateTeamInput);
  const team = await updateTeam(caller, input);
  return json({ team });
});

export default { fetch: handler };
