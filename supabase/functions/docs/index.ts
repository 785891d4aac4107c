// GET /functions/v1/docs: the API reference page (Swagger UI), its scripts and styles under /docs/ (no CDN);
// the page loads the document from /functions/v1/openapi.
import { createHandler } from "../_shared/http/handler.ts";
import { serveReferencePage } from "./reference_page.ts";

const handler = createHandler({ name: "docs", methods: ["GET", "HEAD"] }, async ({ request, url }) => {
  return await serveReferencePage(request, url);
});

export default { fetch: handler };
