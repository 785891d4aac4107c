// DELETE /functions/v1/teams-delete {team_id} -> {deleted: true, team_id, removed_files} (admins only)
import { authenticate } from "../_shared/http/auth.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { DeleteTeamInput } from "../_shared/contract/schemas.ts";
import { deleteTeam } from "../_shared/domain/teams.ts";
import { parseJsonBody } from "../_shared/http/validate.ts";

const handler = createHandler({ name: "teams-delete", methods: ["DELETE"] }, async ({ request }) => {
  const caller = await authenticate(request);
  const input = await parseJsonBody(request, DeleteTeamInput);
  const { removed_files } = await deleteTeam(caller, input.team_id);
  return json({ deleted: true, team_id: input.team_id, removed_files });
});

export default { fetch: handler };
