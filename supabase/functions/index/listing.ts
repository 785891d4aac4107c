/**
 * The index of the API (the original's `GET /`): every operation with its method, path and one-line purpose,
 * and links to both documentation views. JSON for clients; an HTML page for browsers. Built from the same
 * list as the OpenAPI document, so it names every function.
 */
import type { z } from "zod";
import {
  API_VERSION,
  documentedEndpoints,
  type IndexResponse,
  operationIdOfEndpoint,
  pathOf,
} from "../_shared/contract/openapi.ts";

const TITLE = "Team activities API";

/** The index as JSON; links are relative to /functions/v1/. */
export function apiIndex(): z.infer<typeof IndexResponse> {
  return {
    name: TITLE,
    version: API_VERSION,
    docs: { swagger_ui: "docs", redoc: "docs/redoc", openapi: "openapi" },
    endpoints: documentedEndpoints().map((endpoint) => ({
      name: operationIdOfEndpoint(endpoint),
      method: endpoint.method,
      path: `/functions/v1${pathOf(endpoint)}`,
      summary: endpoint.summary,
    })),
  };
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

/** Whether the caller prefers a page (a browser's Accept header lists text/html before JSON). */
export function wantsHtml(request: Request): boolean {
  const accept = request.headers.get("accept") ?? "";
  const html = accept.indexOf("text/html");
  const json = accept.indexOf("application/json");
  return html >= 0 && (json < 0 || html < json);
}

/** The index as a page: a table of every endpoint and links to both views (relative, no scripts). */
export function indexPage(): string {
  const index = apiIndex();
  const rows = index.endpoints.map((endpoint) =>
    `      <tr><td><code>${endpoint.method}</code></td><td><code>${escapeHtml(endpoint.path)}</code></td>` +
    `<td>${escapeHtml(endpoint.summary)}</td></tr>`
  ).join("\n");
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${TITLE}</title>
    <link rel="icon" href="data:,">
    <style>
      body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; }
      table { border-collapse: collapse; width: 100%; }
      td, th { border-bottom: 1px solid #ddd; padding: .4rem .6rem; text-align: left; vertical-align: top; }
    </style>
  </head>
  <body>
    <h1>${TITLE} <small>${index.version}</small></h1>
    <p>
      Reference: <a id="swagger-ui" href="docs">Swagger UI</a> ·
      <a id="redoc" href="docs/redoc">ReDoc</a> ·
      <a id="openapi" href="openapi">OpenAPI 3.1 document</a>
    </p>
    <table>
      <thead><tr><th>Method</th><th>Path</th><th>Purpose</th></tr></thead>
      <tbody>
${rows}
      </tbody>
    </table>
  </body>
</html>
`;
}
