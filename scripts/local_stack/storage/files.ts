/**
 * Object bytes on disk. Like Supabase's file backend, each upload is a new version file at
 * `root/<bucket>/<object name>/<version>`: a replaced object is never half-written, readers of the old
 * version are unaffected, and an object `a` can coexist with an object `a/b`.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, rename, rm, rmdir } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { ERRORS } from "./errors.ts";

/** Where uploads are written before they are complete; `#` cannot appear in a bucket name. */
const UPLOADS_IN_PROGRESS = "#uploads";

/** Rejects names that would leave the bucket folder or collide on disk; Supabase keys are S3 keys. */
export function assertSafeKey(name: string): void {
  const segments = name.split("/");
  const unsafe = name.length === 0 || name.length > 1024 ||
    // deno-lint-ignore no-control-regex
    /[\u0000-\u001f\u007f]/.test(name) ||
    segments.some((segment) => segment === "" || segment === "." || segment === "..");
  if (unsafe) throw ERRORS.invalidKey(name);
}

function inside(root: string, ...parts: string[]): string {
  const path = resolve(root, ...parts);
  if (!path.startsWith(root + sep)) throw ERRORS.invalidKey(parts.join("/"));
  return path;
}

/** The file holding one version of an object. */
export function objectFile(root: string, bucket: string, name: string, version: string): string {
  return inside(root, bucket, ...name.split("/"), version);
}

/** A fresh temporary file path for an upload in progress. */
export async function temporaryFile(root: string): Promise<string> {
  const dir = join(root, UPLOADS_IN_PROGRESS);
  await mkdir(dir, { recursive: true });
  return join(dir, crypto.randomUUID());
}

/** Moves a completed upload into place (same file system, so the rename is atomic). */
export async function moveIntoPlace(temporary: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  await rename(temporary, target);
}

/** Removes one version file and the folders it leaves empty, up to the bucket folder. */
export async function removeObjectFile(
  root: string,
  bucket: string,
  name: string,
  version: string | null,
): Promise<void> {
  if (!version) return;
  const bucketDir = inside(root, bucket);
  let path = objectFile(root, bucket, name, version);
  await rm(path, { force: true });
  path = dirname(path);
  while (path.startsWith(bucketDir + sep)) {
    if ((await readdir(path).catch(() => ["keep"])).length > 0) return;
    await rmdir(path).catch(() => {});
    path = dirname(path);
  }
}

/** Removes a bucket's folder and everything in it. */
export async function removeBucketFolder(root: string, bucket: string): Promise<void> {
  await rm(inside(root, bucket), { recursive: true, force: true });
}

/** What was written: its size and Supabase's S3-style ETag (the quoted MD5 of the bytes). */
export interface WrittenFile {
  size: number;
  eTag: string;
}

/**
 * Streams chunks into a new file, stopping as soon as more than `limit` bytes arrive, so nothing past the
 * limit is ever buffered or written. Throws Supabase's EntityTooLarge then; the caller removes the file.
 */
export async function writeLimited(
  chunks: AsyncIterable<Uint8Array>,
  path: string,
  limit: number,
): Promise<WrittenFile> {
  const hash = createHash("md5");
  const file = await Deno.open(path, { write: true, createNew: true });
  let size = 0;
  try {
    for await (const chunk of chunks) {
      size += chunk.length;
      if (size > limit) throw ERRORS.entityTooLarge();
      hash.update(chunk);
      let written = 0;
      while (written < chunk.length) written += await file.write(chunk.subarray(written));
    }
  } finally {
    file.close();
  }
  return { size, eTag: `"${hash.digest("hex")}"` };
}
