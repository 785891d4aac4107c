/**
 * The API reference page: Swagger UI rendering the `openapi` function's document, with every file served
 * by this function (Swagger UI is embedded in swagger_ui_assets.ts; nothing comes from a CDN). URLs are
 * relative, so the page works wherever the functions are served: `/functions/v1/docs` loads
 * `docs/swagger-ui-bundle.js` and `openapi` next to it.
 */
import { ApiError, ErrorCode } from "../_shared/core/errors.ts";
import { type EmbeddedAsset, SWAGGER_UI_ASSETS } from "./swagger_ui_assets.ts";
import { REDOC_ASSETS } from "./redoc_assets.ts";

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Team activities API</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="docs/swagger-ui.css">
    <link rel="stylesheet" href="docs/page.css">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="docs/swagger-ui-bundle.js"></script>
    <script src="docs/init.js"></script>
  </body>
</html>
`;

/** The ReDoc view at /docs/redoc: its relative URLs resolve under /docs/, the document at /openapi. */
const REDOC_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Team activities API (ReDoc)</title>
    <link rel="icon" href="data:,">
  </head>
  <body>
    <div id="redoc"></div>
    <script src="redoc.standalone.js"></script>
    <script src="redoc-init.js"></script>
  </body>
</html>
`;

const REDOC_INIT = `Redoc.init("../openapi", {
  expandResponses: "200,201,202",
  hideDownloadButton: false,
  pathInMiddlePanel: true,
  jsonSampleExpandLevel: 3,
}, document.getElementById("redoc"));
`;

const INIT = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "openapi",
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    docExpansion: "list",
    displayOperationId: true,
    displayRequestDuration: true,
    filter: true,
    validatorUrl: null,
  });
});
`;

const PAGE_CSS = "body { margin: 0; background: #fafafa; }\n";

/** Scripts and styles only from this function; calls ("Try it out") to any server the document lists. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self' http: https:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** ReDoc also runs its search in a Web Worker it creates from a blob. */
const REDOC_CONTENT_SECURITY_POLICY = `${CONTENT_SECURITY_POLICY}; worker-src 'self' blob:`;

const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-cache",
};

const OWN_FILES: Record<string, { contentType: string; body: string }> = {
  "init.js": { contentType: "text/javascript; charset=utf-8", body: INIT },
  "redoc-init.js": { contentType: "text/javascript; charset=utf-8", body: REDOC_INIT },
  "page.css": { contentType: "text/css; charset=utf-8", body: PAGE_CSS },
};

const compressed = new Map<string, Uint8Array<ArrayBuffer>>();
const decompressed = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

function gzipBytes(name: string, asset: EmbeddedAsset): Uint8Array<ArrayBuffer> {
  let bytes = compressed.get(name);
  if (!bytes) {
    bytes = Uint8Array.from(atob(asset.gzipBase64), (char) => char.charCodeAt(0));
    compressed.set(name, bytes);
  }
  return bytes;
}

/** The file's bytes, decompressed once per isolate (for clients that do not accept gzip). */
function plainBytes(name: string, asset: EmbeddedAsset): Promise<Uint8Array<ArrayBuffer>> {
  let bytes = decompressed.get(name);
  if (!bytes) {
    const stream = new Blob([gzipBytes(name, asset)]).stream().pipeThrough(new DecompressionStream("gzip"));
    bytes = new Response(stream).arrayBuffer().then((buffer) => new Uint8Array(buffer));
    decompressed.set(name, bytes);
  }
  return bytes;
}

function acceptsGzip(request: Request): boolean {
  return /\bgzip\b/i.test(request.headers.get("accept-encoding") ?? "");
}

async function serveAsset(request: Request, name: string, asset: EmbeddedAsset): Promise<Response> {
  const etag = `"${asset.sha256.slice(0, 32)}"`;
  const headers: Record<string, string> = {
    "content-type": asset.contentType,
    "cache-control": "public, max-age=3600",
    etag,
    vary: "accept-encoding",
    "x-content-type-options": "nosniff",
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  if (acceptsGzip(request)) {
    return new Response(gzipBytes(name, asset), { headers: { ...headers, "content-encoding": "gzip" } });
  }
  return new Response(await plainBytes(name, asset), { headers });
}

/**
 * Answers a GET under `/docs`: the Swagger UI page, the ReDoc page (`/docs/redoc`), their own scripts and
 * style, or an embedded Swagger UI or ReDoc file.
 * `/docs/` redirects to `/docs`, where the page's relative URLs resolve as intended.
 */
export async function serveReferencePage(request: Request, url: URL): Promise<Response> {
  const path = url.pathname.replace(/^\/docs/, "");
  if (path === "") return new Response(PAGE, { headers: PAGE_HEADERS });
  if (path === "/redoc") {
    return new Response(REDOC_PAGE, {
      headers: { ...PAGE_HEADERS, "content-security-policy": REDOC_CONTENT_SECURITY_POLICY },
    });
  }
  if (path === "/") return new Response(null, { status: 301, headers: { location: `../docs${url.search}` } });
  const name = path.slice(1);
  const own = OWN_FILES[name];
  if (own) {
    return new Response(own.body, {
      headers: { "content-type": own.contentType, "cache-control": "no-cache", "x-content-type-options": "nosniff" },
    });
  }
  const asset = Object.hasOwn(SWAGGER_UI_ASSETS, name)
    ? SWAGGER_UI_ASSETS[name]
    : Object.hasOwn(REDOC_ASSETS, name)
    ? REDOC_ASSETS[name]
    : undefined;
  if (asset) return await serveAsset(request, name, asset);
  throw new ApiError(ErrorCode.notFound, `No such file: ${name}`);
}
