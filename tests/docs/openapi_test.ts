// The OpenAPI document as a frontend developer meets it: valid against the official OpenAPI 3.1 schema,
// listing every function folder, committed up to date in docs/openapi.json, and served by the openapi
// function of the running stack; the docs function embeds the installed Swagger UI unchanged.
import { deepEqual, equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { Validator } from "npm:@seriousme/openapi-schema-validator@2.11.0";
import { openApiDocument } from "../../supabase/functions/_shared/contract/openapi.ts";
import { REDOC_ASSETS, REDOC_VERSION } from "../../supabase/functions/docs/redoc_assets.ts";
import { SWAGGER_UI_ASSETS, SWAGGER_UI_VERSION } from "../../supabase/functions/docs/swagger_ui_assets.ts";
import { ROOT } from "../../scripts/lib/paths.ts";
import { stackStatus } from "../support/stack.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

/** Every folder of supabase/functions but `_shared` (and hidden ones): each is a deployed function. */
function functionFolders(): string[] {
  return [...Deno.readDirSync(join(ROOT, "supabase", "functions"))]
    .filter((entry) => entry.isDirectory && !entry.name.startsWith("_") && !entry.name.startsWith("."))
    .map((entry) => entry.name)
    .sort();
}

async function validate(document: unknown): Promise<{ valid: boolean; errors?: unknown }> {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(document) as Record<string, unknown>);
  if (result.valid) equal(validator.version, "3.1");
  return result;
}

Deno.test("openapi document: valid against the OpenAPI 3.1 schema (and a broken copy is not)", async () => {
  const document: Json = openApiDocument({ projectUrl: "https://abc.supabase.co" });
  const result = await validate(document);
  ok(result.valid, JSON.stringify(result.errors, null, 2));

  const broken = structuredClone(document);
  delete broken.paths["/teams-create"].post.responses["201"].description;
  equal((await validate(broken)).valid, false, "a response without a description is refused");
  const wrongVersion = { ...structuredClone(document), openapi: "3.1" };
  equal((await validate(wrongVersion)).valid, false, "a malformed version is refused");
});

Deno.test("openapi document: lists every folder of supabase/functions but _shared", () => {
  const folders = functionFolders();
  ok(folders.includes("teams-create") && folders.includes("openapi") && folders.includes("docs"));
  // A function may serve a second view under its path (docs/redoc): the first segment names the function.
  const paths = [
    ...new Set(Object.keys(openApiDocument().paths as Record<string, unknown>).map((path) => path.split("/")[1])),
  ].sort();
  const missing = folders.filter((name) => !paths.includes(name));
  deepEqual(missing, [], `functions missing from the OpenAPI document: ${missing.join(", ")}`);
  deepEqual(paths, folders, "and nothing that is not a function");
});

Deno.test("openapi document: docs/openapi.json is up to date (run `npm run openapi` if not)", async () => {
  const file = join(ROOT, "docs", "openapi.json");
  const committed = JSON.parse(await Deno.readTextFile(file));
  deepEqual(committed, openApiDocument(), "docs/openapi.json is out of date: run `npm run openapi`");
});

Deno.test("openapi document: the openapi function serves it, with this project as the first server", async () => {
  const { api_url } = stackStatus();
  const response = await fetch(`${api_url}/functions/v1/openapi`);
  equal(response.status, 200);
  ok(response.headers.get("content-type")?.startsWith("application/json"));
  ok(response.headers.get("x-request-id"));
  const served: Json = await response.json();
  equal(served.servers[0].url, `${api_url}/functions/v1`);
  deepEqual(served, openApiDocument({ projectUrl: api_url }));
  const post = await fetch(`${api_url}/functions/v1/openapi`, { method: "POST" });
  equal(post.status, 405);
  equal((await post.json()).error.code, "method_not_allowed");
});

async function gunzipBase64(base64: string): Promise<Uint8Array> {
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test("docs assets: the embedded Swagger UI is the installed swagger-ui-dist, unchanged", async () => {
  const dist = join(ROOT, "node_modules", "swagger-ui-dist");
  const installed = JSON.parse(await Deno.readTextFile(join(dist, "package.json"))).version;
  equal(SWAGGER_UI_VERSION, installed, "swagger-ui-dist changed: run `npm run openapi`");
  ok(SWAGGER_UI_ASSETS["swagger-ui-bundle.js"] && SWAGGER_UI_ASSETS["swagger-ui.css"]);
  for (const [name, asset] of Object.entries(SWAGGER_UI_ASSETS)) {
    const expected = await Deno.readFile(join(dist, name));
    const embedded = await gunzipBase64(asset.gzipBase64);
    equal(embedded.byteLength, expected.byteLength, `${name}: run \`npm run openapi\``);
    ok(embedded.every((byte, i) => byte === expected[i]), `${name} differs: run \`npm run openapi\``);
    equal(asset.size, expected.byteLength);
  }
});

Deno.test("docs assets: the embedded ReDoc is the installed redoc's standalone bundle, with no CDN reference", async () => {
  const dist = join(ROOT, "node_modules", "redoc");
  const installed = JSON.parse(await Deno.readTextFile(join(dist, "package.json"))).version;
  equal(REDOC_VERSION, installed, "redoc changed: run `npm run openapi`");
  const original = await Deno.readTextFile(join(dist, "bundles", "redoc.standalone.js"));
  const embedded = new TextDecoder().decode(await gunzipBase64(REDOC_ASSETS["redoc.standalone.js"].gzipBase64));
  ok(original.includes("https://cdn.redoc.ly/"), "the package's bundle loads its logo from a CDN");
  ok(!embedded.includes("https://cdn.redoc.ly/"), "the embedded one does not");
  equal(
    embedded,
    original.replaceAll("https://cdn.redoc.ly/redoc/logo-mini.svg", embedded.match(/data:image\/svg\+xml,[^"]*/)![0]),
  );
  ok(new TextDecoder().decode(await gunzipBase64(REDOC_ASSETS["redoc.LICENSE"].gzipBase64)).includes("MIT"));
});
