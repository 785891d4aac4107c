// GET /functions/v1/openapi: the OpenAPI 3.1 document of every function, generated from the zod schemas;
// this project (SUPABASE_URL) is its first server.
import { platformSettings } from "../_shared/core/config.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { openApiDocument } from "../_shared/contract/openapi.ts";

let document: Record<string, unknown> | undefined;

const handler = createHandler({ name: "openapi", methods: ["GET"] }, async () => {
  document ??= openApiDocument({ projectUrl: platformSettings().SUPABASE_URL });
  return await Promise.resolve(json(document, 200, { "cache-control": "public, max-age=300" }));
});

export default { fetch: handler };
