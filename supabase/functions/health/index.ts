// GET /functions/v1/health: 200 when the database answers, 503 (same shape) when it does not.
import { databaseAnswers } from "../_shared/db/connection.ts";
import { createHandler, json } from "../_shared/http/handler.ts";

const handler = createHandler({ name: "health", methods: ["GET"] }, async () => {
  const databaseOk = await databaseAnswers();
  const body = {
    status: databaseOk ? "ok" : "unavailable",
    database: databaseOk ? "ok" : "unreachable",
    time: new Date().toISOString(),
  };
  return json(body, databaseOk ? 200 : 503);
});

export default { fetch: handler };
