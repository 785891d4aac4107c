/**
 * The local Storage API: the part of Supabase Storage that `@supabase/storage-js` uses, with the same
 * routes under `/storage/v1`, the same JSON bodies and statuses, bytes in files under `root` and metadata
 * in the real `storage.buckets` / `storage.objects` tables, where the project's RLS policies apply.
 *
 * Routes (Supabase's, see supabase/storage src/http/routes):
 *   GET/POST /bucket, GET/PUT/DELETE /bucket/:id, POST /bucket/:id/empty
 *   POST/PUT/GET/HEAD/DELETE /object/:bucket/*, DELETE /object/:bucket
 *   GET/HEAD /object/authenticated/:bucket/*, GET/HEAD /object/public/:bucket/*
 *   GET /object/info/[authenticated/|public/]:bucket/*
 *   POST /object/list/:bucket
 *   POST /object/sign/:bucket/*, POST /object/sign/:bucket, GET/HEAD /object/sign/:bucket/*?token=
 *   POST /object/upload/sign/:bucket/*, PUT /object/upload/sign/:bucket/*?token=
 */
import type postgres from "postgres";
import { resolve } from "node:path";
import type { NewApiKeys } from "../secrets.ts";
import { exchangeNewApiKey } from "./api_keys.ts";
import { hmacKey } from "./auth.ts";
import {
  handleCreateBucket,
  handleDeleteBucket,
  handleEmptyBucket,
  handleGetBucket,
  handleListBuckets,
  handleUpdateBucket,
} from "./buckets.ts";
import { errorResponse } from "./errors.ts";
import {
  handleDownload,
  handleInfo,
  handleList,
  handleRemove,
  handleRemoveOne,
  handleUpload,
  type ObjectAddress,
  type ReadRoute,
} from "./objects.ts";
import type { StorageContext } from "./request.ts";
import {
  handleCreateSignedUpload,
  handleSign,
  handleSignedDownload,
  handleSignedUpload,
  handleSignMany,
} from "./signed.ts";

/** Supabase's default upload limit (the CLI's `file_size_limit = "50MiB"`). */
const DEFAULT_FILE_SIZE_LIMIT = 50 * 1024 * 1024;

/** What the Storage API needs from the stack. */
export interface StorageApiOptions {
  /** The database holding `storage.buckets` and `storage.objects` (connected as a superuser). */
  sql: postgres.Sql;
  /** The folder that holds object bytes, one sub-folder per bucket. */
  root: string;
  /** The project's JWT secret: verifies callers' tokens and signs signed-URL tokens. */
  jwtSecret: string;
  /** The stack's public URL; Supabase answers with paths only, which storage-js completes itself. */
  publicUrl: string;
  /** The project-wide upload limit in bytes; 50 MiB like Supabase when omitted. */
  fileSizeLimit?: number;
  /** The project's new API keys, accepted as the hosted gateway accepts them (see api_keys.ts). */
  newApiKeys?: NewApiKeys;
}

type Handler = (context: StorageContext, request: Request) => Promise<Response>;

/** Fastify's answer for an unknown route, which Supabase Storage gives too. */
function routeNotFound(method: string, path: string): Response {
  return Response.json(
    { message: `Route ${method}:${path} not found`, error: "Not Found", statusCode: 404 },
    { status: 404 },
  );
}

/** Splits `bucket/rest/of/name` (already URL-decoded) into an object address. */
function address(rest: string): ObjectAddress | null {
  const slash = rest.indexOf("/");
  if (slash <= 0 || slash === rest.length - 1) return null;
  return { bucket: rest.slice(0, slash), name: rest.slice(slash + 1) };
}

/** Like find-my-way, static prefixes (`public/`, `sign/`, ...) win over `/object/:bucket/*`. */
function objectRoute(method: string, rest: string): Handler | null {
  const read = method === "GET" || method === "HEAD";
  const under = (prefix: string) => (rest.startsWith(prefix) ? rest.slice(prefix.length) : null);
  const download = (path: string | null, route: ReadRoute): Handler | null => {
    const target = path === null ? null : address(path);
    return target && read ? (context, request) => handleDownload(context, request, target, route) : null;
  };
  const info = (path: string | null, route: ReadRoute): Handler | null => {
    const target = path === null ? null : address(path);
    return target && method === "GET" ? (context, request) => handleInfo(context, request, target, route) : null;
  };

  const listing = under("list/");
  if (listing !== null && method === "POST" && listing && !listing.includes("/")) {
    return (context, request) => handleList(context, request, listing);
  }
  const uploadSign = under("upload/sign/");
  if (uploadSign !== null) {
    const target = address(uploadSign);
    if (target && method === "POST") return (context, request) => handleCreateSignedUpload(context, request, target);
    if (target && method === "PUT") return (context, request) => handleSignedUpload(context, request, target);
    return null;
  }
  const sign = under("sign/");
  if (sign !== null) {
    const target = address(sign);
    if (target && method === "POST") return (context, request) => handleSign(context, request, target);
    if (target && read) return (context, request) => handleSignedDownload(context, request, target);
    if (!target && sign && !sign.includes("/") && method === "POST") {
      return (context, request) => handleSignMany(context, request, sign);
    }
    return null;
  }
  const infoPath = under("info/");
  if (infoPath !== null) {
    const authenticated = infoPath.startsWith("authenticated/");
    const isPublic = infoPath.startsWith("public/");
    if (authenticated) return info(infoPath.slice("authenticated/".length), "authenticated");
    if (isPublic) return info(infoPath.slice("public/".length), "public");
    return info(infoPath, "any");
  }
  if (under("public/") !== null) return download(under("public/"), "public");
  if (under("authenticated/") !== null) return download(under("authenticated/"), "authenticated");

  const target = address(rest);
  if (target) {
    if (method === "POST" || method === "PUT") return (context, request) => handleUpload(context, request, target);
    if (method === "DELETE") return (context, request) => handleRemoveOne(context, request, target);
    return download(rest, "any");
  }
  if (rest && !rest.includes("/") && method === "DELETE") {
    return (context, request) => handleRemove(context, request, rest);
  }
  return null;
}

function bucketRoute(method: string, rest: string): Handler | null {
  if (rest === "") {
    if (method === "GET") return handleListBuckets;
    if (method === "POST") return handleCreateBucket;
    return null;
  }
  const [id, action, ...extra] = rest.split("/");
  if (extra.length > 0 || !id) return null;
  if (action === "empty" && method === "POST") return (context, request) => handleEmptyBucket(context, request, id);
  if (action !== undefined) return null;
  if (method === "GET") return (context, request) => handleGetBucket(context, request, id);
  if (method === "PUT") return (context, request) => handleUpdateBucket(context, request, id);
  if (method === "DELETE") return (context, request) => handleDeleteBucket(context, request, id);
  return null;
}

function route(method: string, path: string): Handler | null {
  // Fastify decodes route parameters; storage-js sends names unencoded and fetch percent-encodes them.
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  const [, top, ...rest] = decoded.split("/");
  if (top === "bucket") return bucketRoute(method, rest.join("/").replace(/\/$/, ""));
  if (top === "object") return objectRoute(method, rest.join("/"));
  return null;
}

/** Creates the handler of one Storage API request; `path` is the URL path after `/storage/v1`. */
export function createStorageApi(options: StorageApiOptions): (request: Request, path: string) => Promise<Response> {
  const context: StorageContext = {
    sql: options.sql,
    root: resolve(options.root),
    key: hmacKey(options.jwtSecret),
    fileSizeLimit: options.fileSizeLimit ?? DEFAULT_FILE_SIZE_LIMIT,
  };
  return async (incoming, path) => {
    const handler = route(incoming.method, path);
    if (!handler) return routeNotFound(incoming.method, path);
    const request = options.newApiKeys ? await exchangeNewApiKey(incoming, options.newApiKeys, context.key) : incoming;
    if (request instanceof Response) return request;
    try {
      return await handler(context, request);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
