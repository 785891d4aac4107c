/**
 * The Storage API's metadata statements on the real `storage.buckets` and `storage.objects` tables.
 * Requests run as the caller, like Supabase Storage does: a transaction with `set local role` and
 * `request.jwt.claims`, so the project's RLS policies decide; `"superuser"` is the server's own access
 * (Supabase's `asSuperUser()`), used where Supabase bypasses RLS too.
 */
import type postgres from "postgres";
import { ERRORS } from "./errors.ts";

/** A connection or a transaction. */
export type Db = postgres.Sql | postgres.TransactionSql;

/** Who the statements run as. */
export type Scope =
  | { role: "anon" | "authenticated" | "service_role"; claims: Record<string, unknown> }
  | "superuser";

/** Runs `fn` in one transaction as `scope`. */
export async function inScope<T>(
  sql: postgres.Sql,
  scope: Scope,
  fn: (tx: postgres.TransactionSql) => Promise<T>,
): Promise<T> {
  const result = await sql.begin(async (tx) => {
    if (scope !== "superuser") {
      // The role comes from a fixed list (see auth.ts), never from the token verbatim.
      await tx.unsafe(`set local role ${scope.role}`);
      await tx`select set_config('request.jwt.claims', ${JSON.stringify(scope.claims)}, true)`;
    }
    return await fn(tx);
  });
  return result as T;
}

const ROLLBACK = Symbol("rollback");

/** Runs `fn` as `scope` and rolls it back: proves RLS and constraints would let the write through. */
export async function testPermission(
  sql: postgres.Sql,
  scope: Scope,
  fn: (tx: postgres.TransactionSql) => Promise<unknown>,
): Promise<void> {
  try {
    await inScope(sql, scope, async (tx) => {
      await fn(tx);
      throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
}

/** A bucket row as stored. */
export interface BucketRow {
  id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  public: boolean;
  file_size_limit: string | number | null;
  allowed_mime_types: string[] | null;
  created_at: Date;
  updated_at: Date;
}

/** A bucket as Supabase's bucket schema serializes it (a null owner becomes ""). */
export function bucketJson(row: BucketRow): Record<string, unknown> {
  return {
    id: row.id,
    name: row.name,
    owner: row.owner ?? "",
    public: row.public,
    file_size_limit: row.file_size_limit === null ? null : Number(row.file_size_limit),
    allowed_mime_types: row.allowed_mime_types,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The bucket with this id, or null. */
export async function findBucket(db: Db, id: string): Promise<BucketRow | null> {
  const [row] = await db<BucketRow[]>`
    select id, name, owner, owner_id, public, file_size_limit, allowed_mime_types, created_at, updated_at
    from storage.buckets where id = ${id}`;
  return row ?? null;
}

/** The bucket with this id; Supabase's NoSuchBucket when the caller cannot see it. */
export async function mustFindBucket(db: Db, id: string): Promise<BucketRow> {
  const row = await findBucket(db, id);
  if (!row) throw ERRORS.noSuchBucket();
  return row;
}

/** An object row as stored. */
export interface ObjectRow {
  id: string;
  bucket_id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  version: string | null;
  metadata: Record<string, unknown> | null;
  user_metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  last_accessed_at: Date;
}

/** The object, visible to the transaction's role; Supabase's NoSuchKey otherwise. */
export async function findObject(db: Db, bucket: string, name: string): Promise<ObjectRow> {
  const [row] = await db<ObjectRow[]>`
    select id, bucket_id, name, owner, owner_id, version, metadata, user_metadata, created_at, updated_at,
      last_accessed_at
    from storage.objects where bucket_id = ${bucket} and name = ${name}`;
  if (!row) throw ERRORS.noSuchKey();
  return row;
}

/** Who wrote an object: `owner` only takes a UUID `sub`, `owner_id` takes any. */
export interface Owner {
  owner: string | null;
  owner_id: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-5][0-9a-f]{3}-[089ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** The owner columns for a JWT subject, as Supabase fills them. */
export function ownerOf(sub: unknown): Owner {
  if (typeof sub !== "string" || sub === "") return { owner: null, owner_id: null };
  return { owner: UUID.test(sub) ? sub : null, owner_id: sub };
}

/**
 * The insert (or upsert) an upload will make, without metadata. Run under testPermission before any byte
 * is read, it raises RLS denials, duplicates and unknown buckets the way Supabase's canUpload does.
 */
export async function probeObjectWrite(
  db: Db,
  object: { bucket: string; name: string; owner: Owner; upsert: boolean },
): Promise<void> {
  const { bucket, name, owner, upsert } = object;
  if (upsert) {
    await db`
      insert into storage.objects (bucket_id, name, version, owner, owner_id)
      values (${bucket}, ${name}, '1', ${owner.owner}, ${owner.owner_id})
      on conflict (bucket_id, name) do update
      set version = excluded.version, owner = excluded.owner, owner_id = excluded.owner_id`;
    return;
  }
  try {
    await db`
      insert into storage.objects (bucket_id, name, version, owner, owner_id)
      values (${bucket}, ${name}, '1', ${owner.owner}, ${owner.owner_id})`;
  } catch (error) {
    if ((error as { code?: string }).code === "23505") throw ERRORS.keyAlreadyExists();
    throw error;
  }
}

/** The row written for a completed upload, and the version it replaced. */
export interface SavedObject {
  id: string;
  previousVersion: string | null;
}

/**
 * Records a completed upload. Serialized per object with an advisory lock, as Supabase does; a plain
 * upload that lost a race to another one gets KeyAlreadyExists instead of overwriting it.
 */
export async function saveObject(
  tx: postgres.TransactionSql,
  object: {
    bucket: string;
    name: string;
    owner: Owner;
    version: string;
    upsert: boolean;
    metadata: Record<string, unknown>;
    userMetadata: Record<string, unknown> | null;
  },
): Promise<SavedObject> {
  const { bucket, name, owner, version, metadata, userMetadata } = object;
  await tx`select pg_advisory_xact_lock(hashtext(${`${bucket}/${name}`}))`;
  const [current] = await tx<{ version: string | null }[]>`
    select version from storage.objects where bucket_id = ${bucket} and name = ${name} for update`;
  if (current && !object.upsert) throw ERRORS.keyAlreadyExists();
  const [row] = await tx<{ id: string }[]>`
    insert into storage.objects (bucket_id, name, owner, owner_id, version, metadata, user_metadata)
    values (${bucket}, ${name}, ${owner.owner}, ${owner.owner_id}, ${version}, ${
    tx.json(metadata as postgres.JSONValue)
  },
      ${userMetadata ? tx.json(userMetadata as postgres.JSONValue) : null})
    on conflict (bucket_id, name) do update
    set owner = excluded.owner, owner_id = excluded.owner_id, version = excluded.version,
      metadata = excluded.metadata, user_metadata = excluded.user_metadata, updated_at = now()
    returning id`;
  return { id: row.id, previousVersion: current?.version ?? null };
}

/** One entry of a folder listing, as Supabase's `storage.search` returns it. */
export interface ListEntry {
  name: string;
  id: string | null;
  updated_at: Date | null;
  created_at: Date | null;
  last_accessed_at: Date | null;
  metadata: Record<string, unknown> | null;
  user_metadata: Record<string, unknown> | null;
}

/** The options storage-js sends with `list()`. */
export interface ListOptions {
  prefix: string;
  search: string;
  limit: number;
  offset: number;
  column: "name" | "updated_at" | "created_at" | "last_accessed_at";
  order: "asc" | "desc";
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Lists one folder level like Supabase's `storage.search`: names relative to the prefix, sub-folders as
 * entries with null ids, case-insensitive prefix and search matching, only rows the role can see.
 */
export async function listFolder(db: Db, bucket: string, options: ListOptions): Promise<ListEntry[]> {
  const pattern = `${escapeLike((options.prefix + options.search).toLowerCase())}%`;
  const rows = await db<ObjectRow[]>`
    select id, name, updated_at, created_at, last_accessed_at, metadata, user_metadata
    from storage.objects
    where bucket_id = ${bucket} and lower(name) like ${pattern} escape '\\'`;
  const folders = new Map<string, ListEntry>();
  const files: ListEntry[] = [];
  for (const row of rows) {
    const rest = row.name.slice(options.prefix.length);
    const slash = rest.indexOf("/");
    if (slash >= 0) {
      const name = rest.slice(0, slash);
      folders.set(name, {
        name,
        id: null,
        updated_at: null,
        created_at: null,
        last_accessed_at: null,
        metadata: null,
        user_metadata: null,
      });
    } else {
      files.push({ ...row, name: rest });
    }
  }
  const direction = options.order === "desc" ? -1 : 1;
  let entries: ListEntry[];
  if (options.column === "name") {
    // Supabase walks lower(name) in byte order, so a folder sorts as "name/" among the files.
    const key = (entry: ListEntry) => (entry.id === null ? `${entry.name}/` : entry.name).toLowerCase();
    entries = [...folders.values(), ...files].sort((a, b) => direction * compareText(key(a), key(b)));
  } else {
    const column = options.column;
    const sortedFolders = [...folders.values()].sort((a, b) => direction * compareText(a.name, b.name));
    const sortedFiles = files.sort((a, b) => direction * ((a[column]?.getTime() ?? 0) - (b[column]?.getTime() ?? 0)));
    entries = [...sortedFolders, ...sortedFiles];
  }
  return entries.slice(options.offset, options.offset + options.limit);
}
