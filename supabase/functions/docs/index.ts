// GET /functions/v1/docs: the API reference page (Swagger UI); GET /functions/v1/docs/redoc: the same document in
// ReDoc. Their scripts and styles are served under /docs/ (no CDN); both load /functions/v1/openapi.
import { createHandler } from "../_shared/http/handler.ts";
import { serveReferencePage } from "./reference_page.ts";

const handler = createHandler({ name: "docs", methods: ["GET", "HEAD"] }, async ({ request, url }) => {
  return await serveReferencePage(request, url);
});

export default { fetch: handler };
