// GET /functions/v1/health: 200 when every part the product needs is in place; 503 naming what is missing.
import { healthReport } from "../_shared/domain/health.ts";
import { createHandler, json } from "../_shared/http/handler.ts";

const handler = createHandler({ name: "health", methods: ["GET"] }, async () => {
  const report = await healthReport();
  return json(report, report.status === "ok" ? 200 : 503);
});

export default { fetch: handler };
