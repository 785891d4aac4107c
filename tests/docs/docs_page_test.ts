// The API reference page: in process (routes, compression, caching) and in headless Chromium against the
// test stack, with every request that is not to the local stack blocked, finding every function listed.
import { deepEqual, equal, ok } from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Page } from "npm:playwright-core@1.65.1";
import {
  documentedEndpoints,
  operationIdOfEndpoint,
  pathOf,
} from "../../supabase/functions/_shared/contract/openapi.ts";
import index from "../../supabase/functions/index/index.ts";
import docs from "../../supabase/functions/docs/index.ts";
import { SWAGGER_UI_ASSETS } from "../../supabase/functions/docs/swagger_ui_assets.ts";
import { ROOT } from "../../scripts/lib/paths.ts";
import { stackStatus } from "../support/stack.ts";

const CHROMIUM = "/usr/bin/chromium";
const rootOnDebian = Deno.uid() === 0 && existsSync("/usr/bin/apt-get");

/** Every folder of supabase/functions but `_shared`: the page must list each. */
function functionFolders(): string[] {
  return [...Deno.readDirSync(join(ROOT, "supabase", "functions"))]
    .filter((entry) => entry.isDirectory && !entry.name.startsWith("_") && !entry.name.startsWith("."))
    .map((entry) => entry.name)
    .sort();
}

/** Every operation's path, once per operation (clerk-webhook twice: POST and GET). */
function operationPaths(): string[] {
  return documentedEndpoints().map(pathOf).sort();
}

async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return await docs.fetch(new Request(`http://functions.local${path}`, { headers }));
}

Deno.test("docs page: the page loads its scripts, styles and document through relative URLs only", async () => {
  const page = await get("/docs");
  equal(page.status, 200);
  equal(page.headers.get("content-type"), "text/html; charset=utf-8");
  ok(page.headers.get("content-security-policy")?.includes("script-src 'self'"));
  ok(page.headers.get("x-request-id"));
  const html = await page.text();
  const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
  deepEqual(urls.sort(), [
    "data:,",
    "docs/init.js",
    "docs/page.css",
    "docs/swagger-ui-bundle.js",
    "docs/swagger-ui.css",
  ]);
  const init = await (await get("/docs/init.js")).text();
  ok(init.includes('url: "openapi"'), "the document comes from the openapi function next to docs");
  ok(init.includes("validatorUrl: null"), "no call to the online validator");
  equal((await get("/docs/page.css")).status, 200);
  const redirect = await get("/docs/");
  equal(redirect.status, 301);
  equal(redirect.headers.get("location"), "../docs");
  const missing = await get("/docs/swagger-ui-standalone-preset.js");
  equal(missing.status, 404);
  equal((await missing.json()).error.code, "not_found");
  equal((await docs.fetch(new Request("http://functions.local/docs", { method: "POST" }))).status, 405);
});

Deno.test("docs page: Swagger UI's files, gzip when accepted, plain otherwise, 304 on a matching ETag", async () => {
  const bundle = SWAGGER_UI_ASSETS["swagger-ui-bundle.js"];
  const plain = await get("/docs/swagger-ui-bundle.js");
  equal(plain.status, 200);
  equal(plain.headers.get("content-type"), "text/javascript; charset=utf-8");
  equal(plain.headers.get("content-encoding"), null);
  const text = await plain.text();
  equal(new TextEncoder().encode(text).byteLength, bundle.size);
  ok(text.includes("SwaggerUIBundle"));

  const gzipped = await get("/docs/swagger-ui-bundle.js", { "accept-encoding": "gzip, br" });
  equal(gzipped.headers.get("content-encoding"), "gzip");
  const compressed = new Uint8Array(await gzipped.arrayBuffer());
  ok(compressed.byteLength < bundle.size / 2, "sent compressed");

  const etag = plain.headers.get("etag")!;
  ok(etag);
  const cached = await get("/docs/swagger-ui-bundle.js", { "if-none-match": etag });
  equal(cached.status, 304);
  const css = await get("/docs/swagger-ui.css");
  equal(css.headers.get("content-type"), "text/css; charset=utf-8");
  ok((await css.text()).includes(".swagger-ui"));
  ok((await (await get("/docs/NOTICE")).text()).length > 0, "Swagger UI's NOTICE is served with it");
});

Deno.test("docs page: the ReDoc view loads its bundle and the document through relative URLs only", async () => {
  const page = await get("/docs/redoc");
  equal(page.status, 200);
  ok(page.headers.get("content-security-policy")?.includes("worker-src 'self' blob:"));
  const html = await page.text();
  const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
  deepEqual(urls.sort(), ["data:,", "redoc-init.js", "redoc.standalone.js"]);
  ok((await (await get("/docs/redoc-init.js")).text()).includes('Redoc.init("../openapi"'));
  const bundle = await get("/docs/redoc.standalone.js", { "accept-encoding": "gzip" });
  equal(bundle.status, 200);
  equal(bundle.headers.get("content-encoding"), "gzip");
  equal(bundle.headers.get("content-type"), "text/javascript; charset=utf-8");
  ok((await (await get("/docs/redoc.LICENSE")).text()).includes("MIT"));
});

Deno.test("index: JSON by default, a page for browsers, every operation either way", async () => {
  const asJson = await index.fetch(new Request("http://functions.local/index"));
  equal(asJson.status, 200);
  const body = await asJson.json();
  deepEqual(body.docs, { swagger_ui: "docs", redoc: "docs/redoc", openapi: "openapi" });
  deepEqual(
    body.endpoints.map((endpoint: { name: string }) => endpoint.name).sort(),
    documentedEndpoints().map(operationIdOfEndpoint).sort(),
  );
  const asPage = await index.fetch(
    new Request("http://functions.local/index", { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } }),
  );
  equal(asPage.headers.get("content-type"), "text/html; charset=utf-8");
  const html = await asPage.text();
  for (const path of operationPaths()) ok(html.includes(`<code>/functions/v1${path}</code>`), path);
  equal((await index.fetch(new Request("http://functions.local/index", { method: "POST" }))).status, 405);
});

/** Runs `visit` with a headless Chromium page that may reach only the local stack. */
async function withChromium(
  visit: (page: Page, seen: { requested: string[]; blocked: string[]; problems: string[] }) => Promise<void>,
): Promise<void> {
  const allowedHosts = new Set(["127.0.0.1", "localhost"]);
  const userDataDir = await Deno.makeTempDir({ prefix: "docs-chromium-" });
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const seen = { requested: [] as string[], blocked: [] as string[], problems: [] as string[] };
    await context.route("**/*", async (route) => {
      const url = new URL(route.request().url());
      if (allowedHosts.has(url.hostname)) {
        seen.requested.push(url.pathname);
        await route.continue();
      } else {
        seen.blocked.push(url.href);
        await route.abort("blockedbyclient");
      }
    });
    const page = context.pages()[0] ?? await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") seen.problems.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => seen.problems.push(`page error: ${error.message}`));
    await visit(page, seen);
    deepEqual(seen.blocked, [], "the page asked for nothing outside the local stack");
    deepEqual(seen.problems, [], `no script errors and no blocked content: ${seen.problems.join("; ")}`);
  } finally {
    await context.close();
    await Deno.remove(userDataDir, { recursive: true }).catch(() => {});
  }
}

/** Options of the browser tests: they need Chromium and the stack's timers and sockets outlive a test. */
const browserTest = {
  // ensure.mjs installs chromium when run as root on Debian (CI); elsewhere it may be missing.
  ignore: !existsSync(CHROMIUM) && !rootOnDebian,
  sanitizeOps: false,
  sanitizeResources: false,
};

Deno.test({
  name: "docs page: headless Chromium opens /functions/v1/docs on the stack and finds every function listed",
  ...browserTest,
  fn: async () => {
    const { api_url } = stackStatus();
    await withChromium(async (page, { requested }) => {
      const response = await page.goto(`${api_url}/functions/v1/docs`, { waitUntil: "load" });
      equal(response?.status(), 200);
      await page.waitForSelector(".opblock-summary-path", { timeout: 30_000 });
      const paths = operationPaths();
      // Swagger UI renders one .opblock per operation once the document has loaded.
      await page.locator(".opblock-summary-path").nth(paths.length - 1).waitFor({ timeout: 30_000 });
      const listed = await page.$$eval(
        ".opblock-summary-path",
        (elements) => elements.map((element) => element.getAttribute("data-path") ?? element.textContent ?? ""),
      );
      const names = listed.map((path) => path.trim()).sort();
      deepEqual(names, paths, "every operation is listed once");
      const folders = functionFolders();
      const missing = folders.filter((name) => !names.includes(`/${name}`));
      deepEqual(missing, [], `functions missing from the docs page: ${missing.join(", ")}`);
      equal(await page.title(), "Team activities API");
      ok(await page.locator(".info .title").innerText().then((text) => text.includes("Team activities API")));
      ok(await page.locator("button.authorize").count() > 0, "the auth schemes are offered");
      for (const path of ["/functions/v1/docs/swagger-ui-bundle.js", "/functions/v1/docs/swagger-ui.css"]) {
        ok(requested.includes(path), `${path} was served by the function`);
      }
      ok(requested.includes("/functions/v1/openapi"), "the document came from the openapi function");
    });
  },
});

Deno.test({
  name: "docs page: headless Chromium opens the ReDoc view, offline, and finds every operation",
  ...browserTest,
  fn: async () => {
    const { api_url } = stackStatus();
    await withChromium(async (page, { requested }) => {
      const response = await page.goto(`${api_url}/functions/v1/docs/redoc`, { waitUntil: "load" });
      equal(response?.status(), 200);
      const operationIds = documentedEndpoints().map(operationIdOfEndpoint).sort();
      // ReDoc gives each operation a section whose id ends in operation/<operationId>.
      await page.waitForSelector('[data-section-id$="operation/teamsCreate"]', { timeout: 60_000 });
      const sections = await page.$$eval(
        "[data-section-id]",
        (elements) => elements.map((element) => element.getAttribute("data-section-id") ?? ""),
      );
      const rendered = [...new Set(sections.map((id) => /operation\/([A-Za-z0-9]+)$/.exec(id)?.[1]).filter(Boolean))]
        .sort();
      deepEqual(rendered, operationIds, "every operation has its section");
      ok((await page.locator("h1").first().innerText()).includes("Team activities API"));
      ok(requested.includes("/functions/v1/docs/redoc.standalone.js"), "ReDoc came from the docs function");
      ok(requested.includes("/functions/v1/openapi"), "the document came from the openapi function");
      // The examples are shown: the customize request names the organization as the original API did.
      ok((await page.content()).includes("public_activity_id"));
    });
  },
});

Deno.test({
  name: "docs page: headless Chromium opens the index, which lists every operation and links to both views",
  ...browserTest,
  fn: async () => {
    const { api_url } = stackStatus();
    await withChromium(async (page) => {
      const response = await page.goto(`${api_url}/functions/v1/index`, { waitUntil: "load" });
      equal(response?.status(), 200);
      equal(response?.headers()["content-type"], "text/html; charset=utf-8");
      const rows = await page.$$eval(
        "tbody tr",
        (elements) =>
          elements.map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent?.trim() ?? "")),
      );
      const expected = documentedEndpoints().map((endpoint) => [endpoint.method, `/functions/v1${pathOf(endpoint)}`]);
      deepEqual(rows.map(([method, path]) => [method, path]).sort(), expected.sort());
      ok(rows.every((row) => row[2].length > 0), "each has a purpose");
      for (const [id, title] of [["redoc", "Team activities API (ReDoc)"], ["swagger-ui", "Team activities API"]]) {
        await page.goto(`${api_url}/functions/v1/index`, { waitUntil: "load" });
        await Promise.all([page.waitForURL(/\/docs/), page.click(`#${id}`)]);
        equal(await page.title(), title, `the ${id} link opens its view`);
      }
    });
  },
});
