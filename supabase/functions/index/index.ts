// GET /functions/v1/index: every endpoint, its method and purpose, with links to Swagger UI and ReDoc
// (JSON; an HTML page when the caller prefers text/html).
import { createHandler, json } from "../_shared/http/handler.ts";
import { apiIndex, indexPage, wantsHtml } from "./listing.ts";

const handler = createHandler({ name: "index", methods: ["GET"] }, async ({ request }) => {
  if (!wantsHtml(request)) return await Promise.resolve(json(apiIndex()));
  return new Response(indexPage(), {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'",
      "x-content-type-options": "nosniff",
    },
  });
});

export default { fetch: handler };
