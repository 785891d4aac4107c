/**
 * The OpenAPI 3.1 document of the API, generated from `ENDPOINTS` (api_spec.ts) and the zod schemas the
 * functions validate with (zod 4's JSON Schema output, draft 2020-12), so it cannot drift from the code.
 * Served by the `openapi` function and written to docs/openapi.json by `npm run openapi`.
 */
import { z } from "zod";
import { type Endpoint, ENDPOINTS, ErrorBody } from "./api_spec.ts";
import { EXAMPLES } from "./examples.ts";
import { HealthDegraded } from "./health.ts";
import * as schemas from "./schemas.ts";

/** The API's version, kept equal to package.json's (a test compares them). */
export const API_VERSION = "0.1.0";

/** The local stack's API URL: the default of the `supabase_url` server variable. */
export const LOCAL_API_URL = "http://127.0.0.1:54321";

/** An endpoint of the documentation itself, which api_spec.ts does not list. */
export interface DocumentationEndpoint extends Endpoint {
  /** The success body's media type (JSON unless given). */
  mediaType?: string;
}

/** What the index function answers (as JSON; as an HTML page to browsers). */
export const IndexResponse = z.object({
  name: z.string(),
  version: z.string(),
  docs: z.object({ swagger_ui: z.string(), redoc: z.string(), openapi: z.string() }),
  endpoints: z.array(
    z.object({ name: z.string(), method: z.string(), path: z.string(), summary: z.string() }),
  ),
});

/** The functions that document the API: this document, its two views, and the index of every endpoint. */
export const DOCUMENTATION_ENDPOINTS: DocumentationEndpoint[] = [
  {
    name: "index",
    method: "GET",
    summary: "Every endpoint with its method and purpose, and links to both documentation views",
    description: 'JSON by default (what `supabase.functions.invoke("index", {method: "GET"})` gets); an HTML ' +
      "page when the request prefers text/html (a browser). The original API's `GET /`.",
    auth: "none",
    success: { status: 200, description: "The index", schema: IndexResponse },
    errors: [],
    tag: "Documentation",
  },
  {
    name: "openapi",
    method: "GET",
    summary: "This OpenAPI 3.1 document",
    description: "Generated from the same zod schemas the functions validate with; also in docs/openapi.json.",
    auth: "none",
    success: {
      status: 200,
      description: "The OpenAPI document",
      schema: z.record(z.string(), z.unknown()),
    },
    errors: [],
    tag: "Documentation",
  },
  {
    name: "docs",
    method: "GET",
    operationId: "docsRedoc",
    subpath: "/redoc",
    summary: "The API reference as ReDoc (one long, searchable page)",
    description: "An HTML page rendering this document with ReDoc; its script is served by the docs function " +
      "under /docs/ (nothing from a CDN).",
    auth: "none",
    success: { status: 200, description: "The HTML page", schema: z.string() },
    mediaType: "text/html",
    errors: [404],
    tag: "Documentation",
  },
  {
    name: "docs",
    method: "GET",
    summary: "The API reference page (Swagger UI)",
    description: "An HTML page rendering this document; its scripts and styles are served by the function " +
      "itself under /docs/ (nothing from a CDN).",
    auth: "none",
    success: { status: 200, description: "The HTML page", schema: z.string() },
    mediaType: "text/html",
    errors: [404],
    tag: "Documentation",
  },
];

/** Every function the document lists: the API and its documentation. */
export function documentedEndpoints(): DocumentationEndpoint[] {
  return [...ENDPOINTS, ...DOCUMENTATION_ENDPOINTS];
}

/** A function's name as a method or operation id: `teams-create` -> `teamsCreate`. */
export function operationIdOf(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** An operation's id and client method: its own, or its function's name in camelCase. */
export function operationIdOfEndpoint(endpoint: Endpoint): string {
  return endpoint.operationId ?? operationIdOf(endpoint.name);
}

/** An operation's path under /functions/v1. */
export function pathOf(endpoint: Endpoint): string {
  return `/${endpoint.name}${endpoint.subpath ?? ""}`;
}

function pascalCase(name: string): string {
  const camel = operationIdOf(name);
  return camel[0].toUpperCase() + camel.slice(1);
}

type JsonSchema = Record<string, unknown>;

/** What each error status means, as a reusable response (`#/components/responses/<name>`). */
const ERROR_RESPONSES: Record<number, { name: string; description: string }> = {
  400: {
    name: "InvalidInput",
    description: "`invalid_input`: `details.field` names the first failing field, `details.issues` lists them all",
  },
  401: {
    name: "Unauthorized",
    description: "`unauthorized`: missing or invalid credentials (Clerk session token, Svix signature or worker " +
      "secret, as the operation requires)",
  },
  403: {
    name: "Forbidden",
    description: "`forbidden` (not an admin, or not a member of the active organization) or `plan_required` " +
      "(a paid feature on the free plan)",
  },
  404: { name: "NotFound", description: "`not_found`: also for other organizations' ids" },
  405: { name: "MethodNotAllowed", description: "`method_not_allowed`: the `Allow` header names the method to use" },
  409: { name: "Conflict", description: "`conflict`: the change is not allowed in the current state" },
  413: { name: "PayloadTooLarge", description: "`payload_too_large`: the body or file is over its limit" },
  415: { name: "UnsupportedMediaType", description: "`unsupported_media_type`: not a PDF, DOCX, PPTX or XLSX file" },
  422: {
    name: "Unprocessable",
    description: "`unprocessable`: an unreadable file, or an Idempotency-Key reused with another body",
  },
  429: {
    name: "QuotaExceeded",
    description: "`quota_exceeded`: the monthly quota is spent; `details` has `limit`, `used` and `resets_at`",
  },
  500: {
    name: "InternalError",
    description: "`internal_error`: `details.request_id` identifies the request in the logs; no internals",
  },
  502: { name: "AiFailed", description: "`ai_failed`: the AI's answer was unusable; nothing was spent" },
  503: {
    name: "ServiceUnavailable",
    description: "`service_unavailable`: a service we depend on did not answer; nothing was spent",
  },
};

/** Error statuses whose body is not the shared error shape. */
const SPECIAL_ERROR_BODIES: Record<string, Record<number, { name: string; description: string; schema: z.ZodType }>> = {
  clerkWebhookStatus: {
    503: {
      name: "ClerkWebhookUnavailable",
      description: "CLERK_WEBHOOK_SIGNING_SECRET is not set: deliveries cannot be verified",
      schema: z.object({ status: z.literal("unavailable"), signing_secret_configured: z.literal(false) }),
    },
  },
  health: {
    503: {
      name: "HealthUnavailable",
      description: "A part is missing or broken: `missing` names it, its check's `detail` says what to do",
      schema: HealthDegraded,
    },
  },
};

const TAG_DESCRIPTIONS: Record<string, string> = {
  Service: "Liveness of the service and its database",
  Identity: "Users, organizations and memberships, synced from Clerk",
  Teams: "An organization's teams and their profiles",
  Catalog: "The catalog of public activities",
  Quotas: "Monthly quotas per organization and feature",
  Activities: "Activities customized or generated for a team",
  Jobs: "Long work (generation, document processing) that the frontend polls",
  Materials: "Documents a team uploads; summarized and used in generation",
  Documentation: "This document, its two views (Swagger UI and ReDoc) and the index of every endpoint",
};

const SECURITY_SCHEMES = {
  clerkSession: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "A Clerk session token (`await clerk.session.getToken()`; locally `npm run token`). supabase-js " +
      "sends it when created with `accessToken`. Membership is always checked in the database.",
  },
  workerSecret: {
    type: "apiKey",
    in: "header",
    name: "x-worker-secret",
    description: "The shared secret the database sends through pg_net (Vault `worker_secret`, `WORKER_SECRET`)",
  },
  svixId: { type: "apiKey", in: "header", name: "svix-id", description: "Svix: the delivery's id" },
  svixTimestamp: {
    type: "apiKey",
    in: "header",
    name: "svix-timestamp",
    description: "Svix: unix seconds when the delivery was signed (accepted within 5 minutes)",
  },
  svixSignature: {
    type: "apiKey",
    in: "header",
    name: "svix-signature",
    description: "Svix: `v1,<base64 HMAC-SHA256 of <svix-id>.<svix-timestamp>.<body>>` with the signing secret",
  },
};

const SECURITY: Record<Endpoint["auth"], Record<string, string[]>[]> = {
  clerk: [{ clerkSession: [] }],
  worker_secret: [{ workerSecret: [] }],
  svix: [{ svixId: [], svixTimestamp: [], svixSignature: [] }],
  none: [],
};

const REQUEST_ID_HEADER = { $ref: "#/components/headers/RequestId" };
const SCHEMA_REF = "#/components/schemas/";
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Names the schemas: exported ones by their export name, the endpoints' inline ones after the endpoint. */
function nameSchemas(endpoints: Endpoint[]): Map<z.ZodType, string> {
  const names = new Map<z.ZodType, string>();
  for (const [name, value] of Object.entries(schemas)) {
    if (value instanceof z.ZodType) names.set(value, name);
  }
  names.set(ErrorBody, "ErrorBody");
  const name = (schema: z.ZodType | undefined, fallback: string) => {
    if (schema && !names.has(schema)) names.set(schema, fallback);
  };
  for (const endpoint of endpoints) {
    const base = pascalCase(operationIdOfEndpoint(endpoint));
    name(endpoint.query, `${base}Query`);
    name(endpoint.body, `${base}Body`);
    name(endpoint.success.schema, `${base}Response`);
    const specials = SPECIAL_ERROR_BODIES[operationIdOfEndpoint(endpoint)] ?? {};
    for (const special of Object.values(specials)) name(special.schema, special.name);
  }
  return names;
}

/** JSON Schemas (draft 2020-12) of every named schema, referring to each other by `$ref`. */
function componentSchemas(names: Map<z.ZodType, string>): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of names) registry.add(schema, { id });
  const { schemas: converted } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    // Requests are described as the caller sends them (defaults optional); responses carry no transforms,
    // and as inputs their objects stay open to fields added later.
    io: "input",
    uri: (id) => `${SCHEMA_REF}${id}`,
    unrepresentable: "any",
    override: ({ jsonSchema }) => {
      // z.number().int() states the safe-integer range, which says nothing to an API reader.
      if (jsonSchema.minimum === -MAX_SAFE && jsonSchema.maximum === MAX_SAFE) {
        delete jsonSchema.minimum;
        delete jsonSchema.maximum;
      }
    },
  });
  const components: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(converted)) {
    const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
    components[id] = rest;
  }
  return components;
}

function ref(names: Map<z.ZodType, string>, schema: z.ZodType): JsonSchema {
  return { $ref: `${SCHEMA_REF}${names.get(schema)}` };
}

function queryParameters(
  components: Record<string, JsonSchema>,
  id: string,
  example: Record<string, string> | undefined,
): JsonSchema[] {
  const query = components[id];
  const properties = (query.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((query.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: "query",
    required: required.has(name),
    schema,
    ...(example?.[name] !== undefined ? { example: example[name] } : {}),
  }));
}

function requestBody(endpoint: Endpoint, names: Map<z.ZodType, string>): JsonSchema | undefined {
  const example = EXAMPLES[operationIdOfEndpoint(endpoint)];
  if (endpoint.multipart) {
    const properties: Record<string, JsonSchema> = {};
    for (const [field, spec] of Object.entries(endpoint.multipart)) {
      properties[field] = spec.type === "binary"
        ? {
          type: "string",
          format: "binary",
          contentMediaType: "application/octet-stream",
          description: spec.description,
        }
        : { type: "string", description: spec.description };
    }
    return {
      required: true,
      content: {
        "multipart/form-data": {
          ...(example?.multipart ? { example: example.multipart } : {}),
          schema: {
            type: "object",
            properties,
            required: Object.entries(endpoint.multipart).filter(([, spec]) => !spec.optional).map(([field]) => field),
            additionalProperties: false,
          },
        },
      },
    };
  }
  if (!endpoint.body) return undefined;
  const json = { schema: ref(names, endpoint.body), ...(example?.body ? { example: example.body } : {}) };
  return { required: true, content: { "application/json": json } };
}

function responses(endpoint: DocumentationEndpoint, names: Map<z.ZodType, string>): Record<string, unknown> {
  const mediaType = endpoint.mediaType ?? "application/json";
  const example = EXAMPLES[operationIdOfEndpoint(endpoint)];
  const out: Record<string, unknown> = {
    [endpoint.success.status]: {
      description: endpoint.success.description,
      headers: { "x-request-id": REQUEST_ID_HEADER },
      content: {
        [mediaType]: {
          schema: mediaType === "application/json" ? ref(names, endpoint.success.schema) : { type: "string" },
          ...(example ? { example: example.response } : {}),
        },
      },
    },
  };
  const statuses = [...new Set([...endpoint.errors, 405, 500])].sort((a, b) => a - b);
  for (const status of statuses) {
    const special = SPECIAL_ERROR_BODIES[operationIdOfEndpoint(endpoint)]?.[status];
    if (special) {
      out[status] = {
        description: special.description,
        headers: { "x-request-id": REQUEST_ID_HEADER },
        content: { "application/json": { schema: ref(names, special.schema) } },
      };
    } else if (ERROR_RESPONSES[status]) {
      out[status] = { $ref: `#/components/responses/${ERROR_RESPONSES[status].name}` };
    } else {
      throw new Error(`Cannot document ${endpoint.name}: no description for error status ${status}`);
    }
  }
  return out;
}

function operation(
  endpoint: DocumentationEndpoint,
  names: Map<z.ZodType, string>,
  components: Record<string, JsonSchema>,
): JsonSchema {
  const example = EXAMPLES[operationIdOfEndpoint(endpoint)]?.query;
  const parameters: JsonSchema[] = endpoint.query
    ? queryParameters(components, names.get(endpoint.query)!, example)
    : [];
  if (endpoint.idempotencyKey) parameters.push({ $ref: "#/components/parameters/IdempotencyKey" });
  const body = requestBody(endpoint, names);
  return {
    operationId: operationIdOfEndpoint(endpoint),
    summary: endpoint.summary,
    ...(endpoint.description ? { description: endpoint.description } : {}),
    tags: [endpoint.tag],
    security: SECURITY[endpoint.auth],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: responses(endpoint, names),
  };
}

/** Drops component schemas nothing refers to (query schemas became parameters; unused exports). */
function pruneSchemas(document: JsonSchema, components: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const refsIn = (value: unknown) =>
    [...JSON.stringify(value).matchAll(/#\/components\/schemas\/([A-Za-z0-9_.-]+)/g)].map((match) => match[1]);
  const kept = new Set<string>();
  const pending = refsIn(document);
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (kept.has(id)) continue;
    kept.add(id);
    pending.push(...refsIn(components[id]));
  }
  return Object.fromEntries(
    Object.entries(components).filter(([id]) => kept.has(id)).sort(([a], [b]) => a < b ? -1 : 1),
  );
}

function errorResponseComponents(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, { name, description }] of Object.entries(ERROR_RESPONSES)) {
    out[name] = {
      description: `${status}: ${description}`,
      headers: {
        "x-request-id": REQUEST_ID_HEADER,
        ...(status === "405" ? { allow: { description: "The allowed method", schema: { type: "string" } } } : {}),
      },
      content: { "application/json": { schema: { $ref: `${SCHEMA_REF}ErrorBody` } } },
    };
  }
  return out;
}

const DESCRIPTION = [
  "The backend of a team-building app: teams, a catalog of activities, AI customization within a monthly",
  "quota, and (paid plan) three activities generated from a team's requirements and documents.",
  "",
  "Each path is an edge function: call it with `supabase.functions.invoke(name, {method, body})` and the",
  "user's Clerk session token (supabase-js created with `accessToken`), or with the typed client in",
  "`supabase/functions/_shared/contract/client.ts`. Every response carries an `x-request-id` header; every error has",
  'one shape: `{"error": {"code", "message", "details"}}`.',
].join("\n");

/** Options of the generated document. */
export interface OpenApiOptions {
  /** The project serving the document (`SUPABASE_URL`): listed as the first server. */
  projectUrl?: string;
}

/** The OpenAPI 3.1 document of every function. */
export function openApiDocument(options: OpenApiOptions = {}): JsonSchema {
  const endpoints = documentedEndpoints();
  const names = nameSchemas(endpoints);
  const allSchemas = componentSchemas(names);
  const paths: Record<string, unknown> = {};
  for (const endpoint of endpoints) {
    const item = (paths[pathOf(endpoint)] ??= {}) as Record<string, unknown>;
    item[endpoint.method.toLowerCase()] = operation(endpoint, names, allSchemas);
  }
  const tags = [...new Set(endpoints.map((endpoint) => endpoint.tag))].map((name) => ({
    name,
    ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}),
  }));
  const servers = [
    ...(options.projectUrl
      ? [{ url: `${options.projectUrl.replace(/\/+$/, "")}/functions/v1`, description: "This project" }]
      : []),
    {
      url: "{supabase_url}/functions/v1",
      description: "A Supabase project, or the local stack (`npm start`)",
      variables: {
        supabase_url: {
          default: LOCAL_API_URL,
          description: "The project's URL (https://<project-ref>.supabase.co) or the local stack's API URL",
        },
      },
    },
  ];
  const components = {
    schemas: {} as Record<string, JsonSchema>,
    responses: errorResponseComponents(),
    parameters: {
      IdempotencyKey: {
        name: "Idempotency-Key",
        in: "header",
        required: false,
        description: "A retry with the same key and body replays the first answer without spending again; the " +
          "same key with another body is a 422. Keys are kept 24 hours.",
        schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x21-\\x7e]+$" },
      },
    },
    headers: {
      RequestId: { description: "The request's id, as the logs show it", schema: { type: "string" } },
    },
    securitySchemes: SECURITY_SCHEMES,
  };
  const document: JsonSchema = {
    openapi: "3.1.1",
    info: { title: "Team activities API", version: API_VERSION, description: DESCRIPTION },
    servers,
    tags,
    paths,
    components,
  };
  components.schemas = pruneSchemas({ paths, components }, allSchemas);
  return document;
}
