// GET /functions/v1/health: 200 when the database answers and the settings are complete, 503 (same shape)
// otherwise. `clerk_authorized_parties` says whether tokens' azp is checked: `missing` (production settings
// without CLERK_AUTHORIZED_PARTIES) is a 503, as every signed-in call would fail.
import { databaseAnswers } from "../_shared/db/connection.ts";
import { authorizedPartiesCheck } from "../_shared/http/auth.ts";
import { createHandler, json } from "../_shared/http/handler.ts";

function clerkAuthorizedParties(): string {
  try {
    return authorizedPartiesCheck();
  } catch {
    return "misconfigured";
  }
}

const handler = createHandler({ name: "health", methods: ["GET"] }, async () => {
  const databaseOk = await databaseAnswers();
  const azp = clerkAuthorizedParties();
  const ok = databaseOk && (azp === "configured" || azp === "any_allowed_locally");
  const body = {
    status: ok ? "ok" : "unavailable",
    database: databaseOk ? "ok" : "unreachable",
    clerk_authorized_parties: azp,
    time: new Date().toISOString(),
  };
  return json(body, ok ? 200 : 503);
});

export default { fetch: handler };
