// The OpenAPI document, in process: every endpoint with its method, inputs, answers and auth; every schema
// valid JSON Schema 2020-12 with its references resolving.
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import Ajv2020Module from "npm:ajv@8.20.0/dist/2020.js";
import addFormatsModule from "npm:ajv-formats@3.0.1";
import { type Endpoint, ENDPOINTS } from "./api_spec.ts";
import {
  API_VERSION,
  documentedEndpoints,
  openApiDocument,
  operationIdOf,
  operationIdOfEndpoint,
  pathOf,
} from "./openapi.ts";

// deno-lint-ignore no-explicit-any
type Json = any;

// deno-lint-ignore no-explicit-any
const Ajv2020 = ((Ajv2020Module as any).default ?? Ajv2020Module) as any;
// deno-lint-ignore no-explicit-any
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as any;

const doc: Json = openApiDocument();

function operationOf(which: Endpoint | string): Json {
  const endpoint = typeof which === "string"
    ? documentedEndpoints().find((candidate) => candidate.name === which && !candidate.operationId)!
    : which;
  const item = doc.paths[pathOf(endpoint)];
  ok(item, `no path ${pathOf(endpoint)}`);
  const operation = item[endpoint.method.toLowerCase()];
  ok(operation, `no ${endpoint.method} ${pathOf(endpoint)}`);
  return operation;
}

function resolve(value: Json): Json {
  if (!value?.$ref) return value;
  const target = value.$ref.replace(/^#\//, "").split("/").reduce((node: Json, key: string) => node?.[key], doc);
  ok(target, `unresolved ${value.$ref}`);
  return target;
}

Deno.test("openapi: every endpoint is a path with its method, operation id, tag and summary", () => {
  const endpoints = documentedEndpoints();
  const operations = Object.values(doc.paths).flatMap((item) => Object.keys(item as object));
  equal(operations.length, endpoints.length);
  equal(new Set(endpoints.map(operationIdOfEndpoint)).size, endpoints.length, "operation ids are unique");
  for (const endpoint of endpoints) {
    const item = doc.paths[pathOf(endpoint)];
    const operation = item[endpoint.method.toLowerCase()];
    ok(operation, `${pathOf(endpoint)} ${endpoint.method}`);
    equal(operation.operationId, operationIdOfEndpoint(endpoint));
    deepEqual(operation.tags, [endpoint.tag]);
    equal(operation.summary, endpoint.summary);
  }
  equal(operationIdOf("activities-generate-custom"), "activitiesGenerateCustom");
  ok(doc.paths["/openapi"].get && doc.paths["/docs"].get, "the documentation functions are listed too");
  ok(doc.paths["/docs/redoc"].get && doc.paths["/index"].get, "and the ReDoc view and the index");
  ok(doc.paths["/clerk-webhook"].get && doc.paths["/clerk-webhook"].post, "the webhook answers its status on GET");
});

Deno.test("openapi: success and every error status, 405 and 500 included, with the shared error body", () => {
  for (const endpoint of documentedEndpoints()) {
    const responses = operationOf(endpoint).responses;
    const expected = [endpoint.success.status, ...endpoint.errors, 405, 500].map(String).sort();
    deepEqual(Object.keys(responses).sort(), [...new Set(expected)], endpoint.name);
    for (const status of new Set([...endpoint.errors, 405, 500])) {
      const response = resolve(responses[status]);
      ok(response.description, `${endpoint.name} ${status} has a description`);
      ok(response.headers["x-request-id"], `${endpoint.name} ${status} documents x-request-id`);
      const schema = response.content["application/json"].schema;
      if (endpoint.name === "health" && status === 503) {
        equal(schema.$ref, "#/components/schemas/HealthUnavailable");
      } else if (endpoint.operationId === "clerkWebhookStatus" && status === 503) {
        equal(schema.$ref, "#/components/schemas/ClerkWebhookUnavailable");
      } else {
        equal(schema.$ref, "#/components/schemas/ErrorBody", `${endpoint.name} ${status}`);
      }
    }
  }
  const errorBody = doc.components.schemas.ErrorBody;
  deepEqual(errorBody.required, ["error"]);
  deepEqual(errorBody.properties.error.required, ["code", "message"]);
  ok(errorBody.properties.error.properties.code.enum.includes("quota_exceeded"));
  ok(resolve({ $ref: "#/components/responses/MethodNotAllowed" }).headers.allow, "405 documents Allow");
});

Deno.test("openapi: the auth scheme of each endpoint (Clerk bearer JWT, worker secret, Svix headers, none)", () => {
  const schemes = doc.components.securitySchemes;
  deepEqual(schemes.clerkSession, { ...schemes.clerkSession, type: "http", scheme: "bearer", bearerFormat: "JWT" });
  deepEqual([schemes.workerSecret.type, schemes.workerSecret.in, schemes.workerSecret.name], [
    "apiKey",
    "header",
    "x-worker-secret",
  ]);
  for (const endpoint of ENDPOINTS) {
    const security = operationOf(endpoint).security;
    const expected = {
      clerk: [{ clerkSession: [] }],
      worker_secret: [{ workerSecret: [] }],
      svix: [{ svixId: [], svixTimestamp: [], svixSignature: [] }],
      none: [],
    }[endpoint.auth];
    deepEqual(security, expected, endpoint.name);
    for (const requirement of security) for (const name of Object.keys(requirement)) ok(schemes[name], name);
  }
  deepEqual(
    ["svixId", "svixTimestamp", "svixSignature"].map((name) => schemes[name].name),
    ["svix-id", "svix-timestamp", "svix-signature"],
  );
  deepEqual(operationOf("openapi").security, []);
  deepEqual(operationOf("docs").security, []);
});

Deno.test("openapi: the Idempotency-Key header exactly where the endpoint accepts one", () => {
  const keyed = ENDPOINTS.filter((endpoint) => endpoint.idempotencyKey).map((endpoint) => endpoint.name);
  deepEqual(keyed.sort(), ["activities-customize", "activities-generate-custom"]);
  for (const endpoint of ENDPOINTS) {
    const parameters = (operationOf(endpoint).parameters ?? []).map(resolve);
    const header = parameters.find((p: Json) => p.in === "header" && p.name === "Idempotency-Key");
    equal(Boolean(header), Boolean(endpoint.idempotencyKey), endpoint.name);
    if (header) equal(header.required, false);
  }
});

Deno.test("openapi: query schemas become query parameters, JSON bodies and the multipart upload are described", () => {
  const jobsGet = operationOf("jobs-get");
  deepEqual(jobsGet.parameters.map((p: Json) => [p.name, p.in, p.required]), [["job_id", "query", true]]);
  equal(jobsGet.parameters[0].schema.format, "uuid");
  equal(jobsGet.requestBody, undefined);

  const catalog = operationOf("public-activities-list").parameters;
  const limit = catalog.find((p: Json) => p.name === "limit");
  deepEqual([limit.required, limit.schema.default, limit.schema.maximum], [false, 20, 100]);
  equal(catalog.find((p: Json) => p.name === "category").schema.$ref, "#/components/schemas/ActivityCategory");

  for (const endpoint of ENDPOINTS) {
    const operation = operationOf(endpoint);
    const queryNames = (operation.parameters ?? []).filter((p: Json) => p.in === "query").map((p: Json) => p.name);
    if (endpoint.query) ok(queryNames.length > 0, `${endpoint.name} has query parameters`);
    else equal(queryNames.length, 0, endpoint.name);
    if (endpoint.body) {
      const schema = resolve(operation.requestBody.content["application/json"].schema);
      equal(schema.type, "object", endpoint.name);
    }
  }
  const create = resolve(operationOf("teams-create").requestBody.content["application/json"].schema);
  deepEqual(create.required.sort(), ["name", "profile"]);
  equal(create.additionalProperties, false, "unknown fields are refused (strict objects)");

  const upload = operationOf("materials-upload").requestBody;
  equal(upload.required, true);
  const form = upload.content["multipart/form-data"].schema;
  deepEqual(form.required, ["team_id", "file"]);
  equal(form.properties.file.format, "binary");
  equal(form.properties.team_id.type, "string");
  equal(operationOf("docs").responses[200].content["text/html"].schema.type, "string");
});

Deno.test("openapi: every schema is valid JSON Schema 2020-12 and every reference resolves", () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const id = "https://team-activities.local/openapi.json";
  ajv.addSchema({ ...doc, $id: id });
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    ok(ajv.validateSchema(schema), `${name}: ${JSON.stringify(ajv.errors)}`);
    ok(ajv.getSchema(`${id}#/components/schemas/${name}`), `${name} compiles (its references resolve)`);
  }
  const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((match) => match[1]);
  ok(refs.length > 50);
  for (const ref of new Set(refs)) resolve({ $ref: ref });
  const team = ajv.getSchema(`${id}#/components/schemas/TeamsCreateResponse`);
  ok(!team({ team: { id: "not-a-uuid" } }), "a wrong body fails the schema");
  throws(() => resolve({ $ref: "#/components/schemas/Nope" }));
});

Deno.test("openapi: the server is the Supabase functions URL, the local stack by default, this project first", () => {
  const [server] = doc.servers;
  equal(server.url, "{supabase_url}/functions/v1");
  equal(server.variables.supabase_url.default, "http://127.0.0.1:54321");
  const served: Json = openApiDocument({ projectUrl: "https://abc.supabase.co/" });
  deepEqual(served.servers[0], { url: "https://abc.supabase.co/functions/v1", description: "This project" });
  deepEqual(served.servers.slice(1), doc.servers);
  deepEqual({ ...served, servers: [] }, { ...doc, servers: [] });
});

Deno.test("openapi: 3.1, its version is package.json's, and the output is stable", async () => {
  equal(doc.openapi, "3.1.1");
  const pkg = JSON.parse(await Deno.readTextFile(new URL("../../../../package.json", import.meta.url)));
  equal(API_VERSION, pkg.version);
  equal(doc.info.version, pkg.version);
  equal(JSON.stringify(openApiDocument()), JSON.stringify(doc));
  const tags = doc.tags.map((tag: Json) => tag.name);
  for (const endpoint of documentedEndpoints()) ok(tags.includes(endpoint.tag), endpoint.tag);
});

/** Objects whose shape the server does not own, each with the reason. */
const OPEN_OBJECTS: Record<string, string> = {
  "/components/schemas/ErrorBody/properties/error/properties/details": "each error code has its own details",
  "/components/schemas/ClerkWebhookBody/properties/data": "Clerk's event payload, one shape per event type",
  "/components/schemas/OpenapiResponse": "an OpenAPI document, described by the OpenAPI specification",
};

function untypedObjects(node: Json, path: string, found: string[]): string[] {
  if (Array.isArray(node)) node.forEach((child, i) => untypedObjects(child, `${path}/${i}`, found));
  if (!node || typeof node !== "object" || Array.isArray(node)) return found;
  const isObject = node.type === "object" || (Array.isArray(node.type) && node.type.includes("object"));
  const open = node.additionalProperties === undefined || node.additionalProperties === true ||
    (typeof node.additionalProperties === "object" && Object.keys(node.additionalProperties).length === 0);
  if (isObject && !node.properties && open) found.push(path);
  for (const [key, child] of Object.entries(node)) {
    // Examples are values, not schemas.
    if (key !== "example" && key !== "examples") untypedObjects(child, `${path}/${key}`, found);
  }
  return found;
}

Deno.test("openapi: no untyped object where the server knows the shape (activity content, progress, result)", () => {
  deepEqual(untypedObjects(doc, "", []).sort(), Object.keys(OPEN_OBJECTS).sort());
  const activity = doc.components.schemas.TeamActivity;
  equal(activity.properties.content.$ref, "#/components/schemas/ActivityContent");
  const content = doc.components.schemas.ActivityContent;
  equal(content.properties.steps.items.$ref, "#/components/schemas/ActivityStep");
  ok(content.required.includes("debrief_questions"));
  equal(doc.components.schemas.Material.properties.key_points.type, "array");
  equal(doc.components.schemas.Job.properties.progress.$ref, "#/components/schemas/JobProgress");
  // The checker itself finds an open object.
  deepEqual(untypedObjects({ a: { type: "object" }, b: { type: "object", properties: {} } }, "", []), ["/a"]);
});
