/**
 * Object routes of the local Storage API: upload, download, info, list and delete, following Supabase
 * Storage's handlers (src/http/routes/object/*.ts, src/storage/object.ts, src/storage/uploader.ts).
 */
import { rm } from "node:fs/promises";
import { z } from "zod";
import { type Caller, optionalCaller, requireCaller } from "./auth.ts";
import {
  findBucket,
  findObject,
  inScope,
  listFolder,
  mustFindBucket,
  type ObjectRow,
  type Owner,
  ownerOf,
  probeObjectWrite,
  type SavedObject,
  saveObject,
  type Scope,
  testPermission,
} from "./db.ts";
import { ERRORS } from "./errors.ts";
import { assertSafeKey, moveIntoPlace, objectFile, removeObjectFile, temporaryFile } from "./files.ts";
import { assertBucketName, json, readBody, type StorageContext } from "./request.ts";
import { receiveFile } from "./upload.ts";

/** Where an object is addressed: its bucket and its name inside the bucket. */
export interface ObjectAddress {
  bucket: string;
  name: string;
}

/** How an upload is authorized: the scope that must pass RLS, the owner recorded, whether to replace. */
export interface UploadGrant {
  scope: Scope;
  owner: Owner;
  upsert: boolean;
}

/**
 * Stores an upload like Supabase: bucket lookup, RLS and duplicate check before any byte is read, MIME
 * type then size limits while streaming to a temporary file, then the row and the file in one step.
 */
export async function storeUpload(
  context: StorageContext,
  request: Request,
  { bucket, name }: ObjectAddress,
  grant: UploadGrant,
): Promise<{ id: string; key: string }> {
  assertBucketName(bucket);
  const bucketRow = await mustFindBucket(context.sql, bucket);
  assertSafeKey(name);
  await testPermission(
    context.sql,
    grant.scope,
    (tx) => probeObjectWrite(tx, { bucket, name, owner: grant.owner, upsert: grant.upsert }),
  );

  const emptyFolder = name.endsWith(".emptyFolderPlaceholder");
  const bucketLimit = bucketRow.file_size_limit === null ? Infinity : Number(bucketRow.file_size_limit);
  const temporary = await temporaryFile(context.root);
  const version = crypto.randomUUID();
  const target = objectFile(context.root, bucket, name, version);
  let saved: SavedObject;
  try {
    const received = await receiveFile(request, temporary, {
      fileSizeLimit: emptyFolder ? 0 : Math.min(bucketLimit, context.fileSizeLimit),
      allowedMimeTypes: bucketRow.allowed_mime_types,
      emptyFolder,
    });
    const metadata = {
      eTag: received.eTag,
      size: received.size,
      mimetype: received.mimeType,
      cacheControl: received.cacheControl,
      lastModified: new Date().toISOString(),
      contentLength: received.size,
      httpStatusCode: 200,
    };
    saved = await inScope(context.sql, "superuser", async (tx) => {
      const row = await saveObject(tx, {
        bucket,
        name,
        owner: grant.owner,
        version,
        upsert: grant.upsert,
        metadata,
        userMetadata: received.userMetadata ?? null,
      });
      // Placed before commit: if the commit fails the catch below removes it, so no row lacks its bytes.
      await moveIntoPlace(temporary, target);
      return row;
    });
  } catch (error) {
    await rm(temporary, { force: true });
    await rm(target, { force: true });
    throw error;
  }
  // The replaced version is unreachable once the row points at the new one; a leftover file is harmless.
  await removeObjectFile(context.root, bucket, name, saved.previousVersion).catch((error) =>
    console.error("storage: could not remove a replaced version", error)
  );
  return { id: saved.id, key: `${bucket}/${name}` };
}

/** POST (upload, `x-upsert` decides) and PUT (update, always upsert) on /object/:bucket/*. */
export async function handleUpload(
  context: StorageContext,
  request: Request,
  address: ObjectAddress,
): Promise<Response> {
  const caller = await requireCaller(request, context.key);
  const upsert = request.method === "PUT" || request.headers.get("x-upsert") === "true";
  const stored = await storeUpload(context, request, address, {
    scope: caller.scope,
    owner: ownerOf(caller.sub),
    upsert,
  });
  return json({ Id: stored.id, Key: stored.key });
}

function contentDisposition(download: string | null): string | null {
  if (download === null) return null;
  if (download === "") return "attachment;";
  const encoded = encodeURIComponent(download);
  return `attachment; filename=${encoded}; filename*=UTF-8''${encoded};`;
}

/** How the bytes of an object are answered: with a body or for HEAD, and what caching to announce. */
export interface ServeOptions {
  head: boolean;
  download: string | null;
  /** Signed URLs announce their expiry instead of the object's Cache-Control. */
  expires?: string;
}

/** Answers with an object's bytes and Supabase's headers (src/storage/renderer/renderer.ts). */
export async function serveObject(
  context: StorageContext,
  object: ObjectRow,
  options: ServeOptions,
): Promise<Response> {
  let file: Deno.FsFile;
  try {
    // A row written straight into the table (no version) has no bytes, like an object missing from S3.
    if (!object.version) throw new Deno.errors.NotFound(object.name);
    file = await Deno.open(objectFile(context.root, object.bucket_id, object.name, object.version));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    return Response.json(
      { error: "Not found", message: "The resource was not found", statusCode: "404" },
      { status: 400, headers: { "cache-control": "no-store" } },
    );
  }
  const { size } = await file.stat();
  const metadata = object.metadata ?? {};
  const mimetype = String(metadata.mimetype ?? "application/octet-stream");
  const headers = new Headers({
    "accept-ranges": "bytes",
    // Supabase never serves HTML from storage as HTML.
    "content-type": mimetype.includes("text/html") ? "text/plain" : mimetype,
    "content-length": String(size),
  });
  if (metadata.eTag) headers.set("etag", String(metadata.eTag));
  if (metadata.lastModified) {
    headers.set("last-modified", new Date(String(metadata.lastModified)).toUTCString());
  }
  if (options.expires) headers.set("expires", options.expires);
  else headers.set("cache-control", String(metadata.cacheControl ?? "no-cache"));
  const disposition = contentDisposition(options.download);
  if (disposition) headers.set("content-disposition", disposition);
  if (options.head) {
    file.close();
    return new Response(null, { headers });
  }
  return new Response(file.readable, { headers });
}

/** Which of Supabase's read routes was called: they differ in how the caller must authenticate. */
export type ReadRoute = "public" | "authenticated" | "any";

/**
 * Finds an object for a read route: public buckets are read without RLS, private ones as the caller;
 * unauthenticated callers only reach public buckets (Supabase's getObject and getObjectInfo).
 */
async function findReadable(
  context: StorageContext,
  request: Request,
  { bucket, name }: ObjectAddress,
  route: ReadRoute,
): Promise<ObjectRow> {
  assertBucketName(bucket);
  const caller: Caller | null = route === "authenticated"
    ? await requireCaller(request, context.key)
    : route === "any"
    ? await optionalCaller(request, context.key)
    : null;
  const bucketRow = await findBucket(context.sql, bucket);
  if (!bucketRow || (!bucketRow.public && (route === "public" || !caller))) {
    throw ERRORS.noSuchBucket();
  }
  const scope: Scope = bucketRow.public || !caller ? "superuser" : caller.scope;
  return await inScope(context.sql, scope, (tx) => findObject(tx, bucket, name));
}

/** GET and HEAD on /object/:bucket/*, /object/authenticated/... and /object/public/... */
export async function handleDownload(
  context: StorageContext,
  request: Request,
  address: ObjectAddress,
  route: ReadRoute,
): Promise<Response> {
  const object = await findReadable(context, request, address, route);
  return await serveObject(context, object, {
    head: request.method === "HEAD",
    download: new URL(request.url).searchParams.get("download"),
  });
}

/** GET on /object/info/...: the object's metadata as Supabase's InfoRenderer answers it. */
export async function handleInfo(
  context: StorageContext,
  request: Request,
  address: ObjectAddress,
  route: ReadRoute,
): Promise<Response> {
  const object = await findReadable(context, request, address, route);
  const metadata = object.metadata ?? {};
  return json({
    id: object.id,
    name: object.name,
    version: object.version,
    bucket_id: object.bucket_id,
    size: metadata.size ?? null,
    content_type: metadata.mimetype ?? null,
    cache_control: metadata.cacheControl ?? null,
    etag: metadata.eTag ?? null,
    metadata: object.user_metadata,
    last_modified: object.updated_at,
    created_at: object.created_at,
  });
}

/** An object row as Supabase's object schema serializes it (null strings become ""). */
function objectJson(row: ObjectRow): Record<string, unknown> {
  return {
    name: row.name,
    bucket_id: row.bucket_id,
    owner: row.owner ?? "",
    owner_id: row.owner_id ?? "",
    version: row.version ?? "",
    id: row.id,
    updated_at: row.updated_at,
    created_at: row.created_at,
    last_accessed_at: row.last_accessed_at,
    metadata: row.metadata,
    user_metadata: row.user_metadata,
  };
}

const removeBody = z.object({ prefixes: z.array(z.string()).min(1) });

/** DELETE /object/:bucket with `{prefixes}`: deletes what RLS lets the caller delete, returns those rows. */
export async function handleRemove(
  context: StorageContext,
  request: Request,
  bucket: string,
): Promise<Response> {
  const caller = await requireCaller(request, context.key);
  const { prefixes } = await readBody(request, removeBody);
  assertBucketName(bucket);
  const rows = await inScope(context.sql, caller.scope, (tx) =>
    tx<ObjectRow[]>`
      delete from storage.objects where bucket_id = ${bucket} and name = any(${tx.array(prefixes)})
      returning *`);
  for (const row of rows) await removeObjectFile(context.root, bucket, row.name, row.version);
  return json(rows.map(objectJson));
}

/** DELETE /object/:bucket/*: deletes one object, NoSuchKey when the caller cannot. */
export async function handleRemoveOne(
  context: StorageContext,
  request: Request,
  { bucket, name }: ObjectAddress,
): Promise<Response> {
  const caller = await requireCaller(request, context.key);
  assertBucketName(bucket);
  const [row] = await inScope(context.sql, caller.scope, (tx) =>
    tx<ObjectRow[]>`
      delete from storage.objects where bucket_id = ${bucket} and name = ${name} returning *`);
  if (!row) throw ERRORS.noSuchKey();
  await removeObjectFile(context.root, bucket, row.name, row.version);
  return json({ message: "Successfully deleted" });
}

const listBody = z.object({
  prefix: z.string(),
  limit: z.number().int().min(1).optional(),
  offset: z.number().int().min(0).optional(),
  sortBy: z.object({
    column: z.enum(["name", "updated_at", "created_at", "last_accessed_at"]),
    order: z.enum(["asc", "desc"]).optional(),
  }).optional(),
  search: z.string().optional(),
});

/** POST /object/list/:bucket: one folder level, as the caller sees it. */
export async function handleList(
  context: StorageContext,
  request: Request,
  bucket: string,
): Promise<Response> {
  const caller = await requireCaller(request, context.key);
  const body = await readBody(request, listBody);
  assertBucketName(bucket);
  // Supabase treats the prefix as a folder.
  const prefix = body.prefix.length > 0 && !body.prefix.endsWith("/") ? `${body.prefix}/` : body.prefix;
  const entries = await inScope(context.sql, caller.scope, (tx) =>
    listFolder(tx, bucket, {
      prefix,
      search: body.search ?? "",
      limit: body.limit ?? 100,
      offset: body.offset ?? 0,
      column: body.sortBy?.column ?? "name",
      order: body.sortBy?.order ?? "asc",
    }));
  return json(entries);
}
