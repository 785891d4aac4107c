/**
 * Bucket routes of the local Storage API, run as the caller like Supabase's (src/http/routes/bucket/*.ts,
 * src/storage/storage.ts): without bucket policies only service_role sees or changes buckets.
 */
import { z } from "zod";
import { requireCaller } from "./auth.ts";
import { bucketJson, type BucketRow, findBucket, inScope, mustFindBucket, type ObjectRow, ownerOf } from "./db.ts";
import { ERRORS } from "./errors.ts";
import { removeBucketFolder, removeObjectFile } from "./files.ts";
import { assertBucketName, json, readBody, type StorageContext } from "./request.ts";

const BUCKET_COLUMNS = "id, name, owner, owner_id, public, file_size_limit, allowed_mime_types, created_at, updated_at";

/** Supabase's "20GB / 20MB / 30KB / 3B" sizes (decimal units). */
function parseFileSize(value: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(gb|mb|kb|b)$/i.exec(value);
  if (!match) throw ERRORS.invalidFileSizeLimit();
  const amount = Number(Number.parseFloat(match[1]).toPrecision(3));
  const unit = { gb: 1e9, mb: 1e6, kb: 1e3, b: 1 }[match[2].toLowerCase() as "gb" | "mb" | "kb" | "b"];
  return amount * unit;
}

function fileSizeLimit(context: StorageContext, value: number | string | null | undefined) {
  if (value === undefined || value === null) return value;
  const bytes = typeof value === "string" ? parseFileSize(value) : value;
  if (bytes > context.fileSizeLimit) throw ERRORS.entityTooLarge();
  return bytes;
}

function allowedMimeTypes(value: string[] | null | undefined) {
  if (!value) return value;
  const types = value.filter((type) => type);
  for (const type of types) {
    const valid = type.length <= 1000 &&
      /^([a-zA-Z0-9\-+.]+)\/([a-zA-Z0-9\-+.]+)(;\s*charset=[a-zA-Z0-9\-]+)?$|\*$/.test(type);
    if (!valid) throw ERRORS.invalidMimeType(type);
  }
  return types;
}

const bucketSettings = {
  public: z.boolean().optional(),
  file_size_limit: z.union([z.number().int().min(0), z.string()]).nullable().optional(),
  allowed_mime_types: z.array(z.string()).nullable().optional(),
};
const createBody = z.object({ name: z.string(), id: z.string().optional(), ...bucketSettings });
const updateBody = z.object(bucketSettings);

/** GET /bucket: the buckets the caller can see, with storage-js's listing options. */
export async function handleListBuckets(context: StorageContext, request: Request): Promise<Response> {
  const caller = await requireCaller(request, context.key);
  const query = new URL(request.url).searchParams;
  const column = ["id", "name", "created_at", "updated_at"].find((c) => c === query.get("sortColumn")) ?? "name";
  const order = query.get("sortOrder")?.toLowerCase() === "desc" ? "desc" : "asc";
  const search = query.get("search") ?? "";
  const limit = query.has("limit") ? Number(query.get("limit")) : null;
  const offset = Number(query.get("offset") ?? 0);
  const rows = await inScope(context.sql, caller.scope, (tx) =>
    tx.unsafe<BucketRow[]>(
      `select ${BUCKET_COLUMNS} from storage.buckets where name ilike '%' || $1 || '%'
       order by ${column} ${order} limit $2 offset $3`,
      [search, limit, offset],
    ));
  return json(rows.map(bucketJson));
}

/** GET /bucket/:id */
export async function handleGetBucket(context: StorageContext, request: Request, id: string): Promise<Response> {
  const caller = await requireCaller(request, context.key);
  const row = await inScope(context.sql, caller.scope, (tx) => mustFindBucket(tx, id));
  return json(bucketJson(row));
}

/** POST /bucket */
export async function handleCreateBucket(context: StorageContext, request: Request): Promise<Response> {
  const caller = await requireCaller(request, context.key);
  const body = await readBody(request, createBody);
  assertBucketName(body.name);
  const id = body.id || body.name;
  assertBucketName(id);
  const limit = fileSizeLimit(context, body.file_size_limit) ?? null;
  const mimeTypes = allowedMimeTypes(body.allowed_mime_types) ?? null;
  const owner = ownerOf(caller.sub);
  try {
    await inScope(context.sql, caller.scope, (tx) =>
      tx`
        insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types)
        values (${id}, ${body.name}, ${owner.owner}, ${owner.owner_id}, ${body.public ?? false}, ${limit},
          ${mimeTypes})`);
  } catch (error) {
    if ((error as { code?: string }).code === "23505") throw ERRORS.bucketAlreadyExists();
    throw error;
  }
  return json({ name: body.name });
}

/** PUT /bucket/:id: changes only the settings present in the body. */
export async function handleUpdateBucket(context: StorageContext, request: Request, id: string): Promise<Response> {
  const caller = await requireCaller(request, context.key);
  const body = await readBody(request, updateBody);
  assertBucketName(id);
  const changes: Record<string, unknown> = {};
  if (body.public !== undefined) changes.public = body.public;
  const limit = fileSizeLimit(context, body.file_size_limit);
  if (limit !== undefined) changes.file_size_limit = limit;
  const mimeTypes = allowedMimeTypes(body.allowed_mime_types);
  if (mimeTypes !== undefined) changes.allowed_mime_types = mimeTypes;
  const updated = await inScope(context.sql, caller.scope, (tx) => {
    const columns = Object.keys(changes);
    return columns.length === 0
      ? tx`update storage.buckets set id = id where id = ${id} returning id`
      : tx`update storage.buckets set ${tx(changes, ...columns)}, updated_at = now() where id = ${id} returning id`;
  });
  if (updated.length === 0) throw ERRORS.noSuchBucket();
  return json({ message: "Successfully updated" });
}

/** DELETE /bucket/:id: only an empty bucket, and only if RLS lets the caller delete it. */
export async function handleDeleteBucket(context: StorageContext, request: Request, id: string): Promise<Response> {
  const caller = await requireCaller(request, context.key);
  assertBucketName(id);
  if (!(await findBucket(context.sql, id))) throw ERRORS.noSuchBucket();
  const [{ count }] = await context.sql<{ count: number }[]>`
    select count(*)::int as count from storage.objects where bucket_id = ${id}`;
  if (count > 0) throw ERRORS.bucketNotEmpty();
  const deleted = await inScope(
    context.sql,
    caller.scope,
    (tx) => tx`delete from storage.buckets where id = ${id} returning id`,
  );
  if (deleted.length === 0) throw ERRORS.noSuchBucket();
  await removeBucketFolder(context.root, id);
  return json({ message: "Successfully deleted" });
}

/** POST /bucket/:id/empty: deletes every object, AccessDenied for those the caller may see but not delete. */
export async function handleEmptyBucket(context: StorageContext, request: Request, id: string): Promise<Response> {
  const caller = await requireCaller(request, context.key);
  assertBucketName(id);
  await inScope(context.sql, caller.scope, (tx) => mustFindBucket(tx, id));
  while (true) {
    const deleted = await inScope(context.sql, caller.scope, async (tx) => {
      const visible = await tx<{ id: string; name: string }[]>`
        select id, name from storage.objects where bucket_id = ${id} order by name limit 1000`;
      if (visible.length === 0) return null;
      const rows = await tx<ObjectRow[]>`
        delete from storage.objects where id = any(${tx.array(visible.map((row) => row.id))}::uuid[]) returning *`;
      if (rows.length !== visible.length) {
        const gone = new Set(rows.map((row) => row.name));
        const kept = visible.filter((row) => !gone.has(row.name)).map((row) => row.name);
        throw ERRORS.accessDenied(
          `Cannot delete: ${kept.join(" ,")}, you may have SELECT but not DELETE permissions`,
        );
      }
      return rows;
    });
    if (!deleted) break;
    for (const row of deleted) await removeObjectFile(context.root, id, row.name, row.version);
  }
  return json({ message: "Successfully emptied" });
}
