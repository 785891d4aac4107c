/**
 * Signed URLs of the local Storage API, following Supabase Storage (src/storage/object.ts signObjectUrl,
 * signObjectUrls, signUploadObjectUrl, verifyObjectSignature; routes getSignedURL(s), getSignedObject,
 * getSignedUploadURL, uploadSignedObject). Tokens are HS256 JWTs signed with the project's JWT secret.
 */
import { z } from "zod";
import { requireCaller, signToken, verifyToken } from "./auth.ts";
import { findObject, inScope, ownerOf, probeObjectWrite, testPermission } from "./db.ts";
import { ERRORS, validationError } from "./errors.ts";
import { type ObjectAddress, serveObject, storeUpload } from "./objects.ts";
import { assertBucketName, json, readBody, type StorageContext } from "./request.ts";

/** Supabase's default lifetime of a signed upload URL (UPLOAD_SIGNED_URL_EXPIRATION_TIME). */
const UPLOAD_URL_SECONDS = 2 * 60 * 60;

const signBody = z.object({ expiresIn: z.number().int().min(1) });
const signManyBody = z.object({ expiresIn: z.number().int().min(1), paths: z.array(z.string()).min(1) });

/** POST /object/sign/:bucket/*: a download URL for an object the caller can read. */
export async function handleSign(
  context: StorageContext,
  request: Request,
  { bucket, name }: ObjectAddress,
): Promise<Response> {
  const caller = await requireCaller(request, context.key);
  const { expiresIn } = await readBody(request, signBody);
  assertBucketName(bucket);
  await inScope(context.sql, caller.scope, (tx) => findObject(tx, bucket, name));
  const url = `${bucket}/${name}`;
  const token = await signToken({ url }, context.key, expiresIn);
  return json({ signedURL: `/object/sign/${url}?token=${token}` });
}

/** POST /object/sign/:bucket with `{paths}`: one entry per path, an error for those the caller cannot read. */
export async function handleSignMany(
  context: StorageContext,
  request: Request,
  bucket: string,
): Promise<Response> {
  const caller = await requireCaller(request, context.key);
  const { expiresIn, paths } = await readBody(request, signManyBody);
  assertBucketName(bucket);
  const rows = await inScope(context.sql, caller.scope, (tx) =>
    tx<{ name: string }[]>`
      select name from storage.objects where bucket_id = ${bucket} and name = any(${tx.array(paths)})`);
  const found = new Set(rows.map((row) => row.name));
  const signed = await Promise.all(paths.map(async (path) => {
    if (!found.has(path)) {
      return { error: "Either the object does not exist or you do not have access to it", path, signedURL: null };
    }
    const url = `${bucket}/${path}`;
    const token = await signToken({ url }, context.key, expiresIn);
    return { error: null, path, signedURL: `/object/sign/${url}?token=${token}` };
  }));
  return json(signed);
}

function queryToken(request: Request): string {
  const token = new URL(request.url).searchParams.get("token");
  if (token === null) throw validationError("querystring must have required property 'token'");
  return token;
}

/** Verifies a signed URL's token for this exact object; Supabase's InvalidJWT / InvalidSignature otherwise. */
async function verifySignedUrl(context: StorageContext, request: Request, { bucket, name }: ObjectAddress) {
  const payload = await verifyToken(queryToken(request), context.key, ERRORS.invalidJwt);
  if (payload.url !== `${bucket}/${name}`) throw ERRORS.invalidSignature();
  return payload;
}

/** GET /object/sign/:bucket/*?token=: the object's bytes, no other authentication. */
export async function handleSignedDownload(
  context: StorageContext,
  request: Request,
  address: ObjectAddress,
): Promise<Response> {
  const payload = await verifySignedUrl(context, request, address);
  assertBucketName(address.bucket);
  const object = await inScope(context.sql, "superuser", (tx) => findObject(tx, address.bucket, address.name));
  return await serveObject(context, object, {
    head: request.method === "HEAD",
    download: new URL(request.url).searchParams.get("download"),
    expires: new Date(Number(payload.exp) * 1000).toUTCString(),
  });
}

/** POST /object/upload/sign/:bucket/*: a token to upload one object, issued only if the caller could. */
export async function handleCreateSignedUpload(
  context: StorageContext,
  request: Request,
  { bucket, name }: ObjectAddress,
): Promise<Response> {
  const caller = await requireCaller(request, context.key);
  const upsert = request.headers.get("x-upsert") === "true";
  assertBucketName(bucket);
  await testPermission(
    context.sql,
    caller.scope,
    (tx) => probeObjectWrite(tx, { bucket, name, owner: ownerOf(caller.sub), upsert }),
  );
  const url = `${bucket}/${name}`;
  const claims = { ...(caller.sub === undefined ? {} : { owner: caller.sub }), url, upsert };
  const token = await signToken(claims, context.key, UPLOAD_URL_SECONDS);
  return json({ url: `/object/upload/sign/${url}?token=${token}`, token });
}

/** PUT /object/upload/sign/:bucket/*?token=: the upload, authorized by the token alone. */
export async function handleSignedUpload(
  context: StorageContext,
  request: Request,
  address: ObjectAddress,
): Promise<Response> {
  const payload = await verifySignedUrl(context, request, address);
  const stored = await storeUpload(context, request, address, {
    scope: "superuser",
    owner: ownerOf(payload.owner),
    upsert: payload.upsert === true,
  });
  return json({ Key: stored.key });
}
