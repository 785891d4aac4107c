/**
 * Reads an upload's body the way Supabase's Uploader does (src/storage/uploader.ts): a raw body with its
 * Content-Type, or multipart/form-data whose string fields come before the first file part (storage-js
 * sends `cacheControl` and `metadata` first). The bytes go straight to a temporary file.
 */
import { ERRORS } from "./errors.ts";
import { writeLimited } from "./files.ts";
import { multipartBoundary, MultipartReader } from "./multipart.ts";

/** Supabase caps user metadata at 1 MiB; other form fields are tiny. */
const MAX_FIELD_BYTES = 1024 * 1024;
const MAX_FIELDS = 10;

/** What an upload carried besides its bytes. */
export interface ReceivedFile {
  size: number;
  eTag: string;
  mimeType: string;
  cacheControl: string;
  userMetadata?: Record<string, unknown>;
}

/** Limits that apply to one upload. */
export interface UploadLimits {
  fileSizeLimit: number;
  allowedMimeTypes: string[] | null;
  /** Supabase restricts `.emptyFolderPlaceholder` objects to 0 bytes and skips the MIME check. */
  emptyFolder: boolean;
}

/** Supabase's MIME check: `type/*` wildcards, exact `type/subtype` otherwise, parameters not stripped. */
export function assertAllowedMimeType(mimeType: string, allowed: string[]): void {
  const [type, subtype] = mimeType.split("/");
  if (subtype === undefined) throw ERRORS.invalidMimeType(mimeType);
  const ok = allowed.some((entry) => {
    const [allowedType, allowedSubtype] = entry.split("/");
    return allowedType === type && (allowedSubtype === "*" || allowedSubtype === subtype);
  });
  if (!ok) throw ERRORS.invalidMimeType(mimeType);
}

function parseMetadata(json: string | undefined): Record<string, unknown> | undefined {
  if (!json) return undefined;
  try {
    const value = JSON.parse(json);
    return value && typeof value === "object" ? value : undefined;
  } catch {
    return undefined; // Supabase ignores metadata it cannot parse
  }
}

function decodeBase64Metadata(header: string | null): Record<string, unknown> | undefined {
  if (!header) return undefined;
  try {
    const bytes = Uint8Array.from(atob(header), (c) => c.charCodeAt(0));
    return parseMetadata(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

async function readField(reader: MultipartReader): Promise<string> {
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  for await (const chunk of reader.content()) {
    size += chunk.length;
    if (size > MAX_FIELD_BYTES) throw ERRORS.entityTooLarge("user_metadata");
    chunks.push(chunk.slice());
  }
  return new TextDecoder().decode(await new Blob(chunks).arrayBuffer());
}

function checkLimits(mimeType: string, limits: UploadLimits): void {
  if (!limits.emptyFolder && limits.allowedMimeTypes?.length) {
    assertAllowedMimeType(mimeType, limits.allowedMimeTypes);
  }
}

async function receiveMultipart(
  request: Request,
  boundary: string,
  target: string,
  limits: UploadLimits,
): Promise<ReceivedFile> {
  if (!request.body) throw ERRORS.noContentProvided();
  const reader = new MultipartReader(request.body, boundary);
  try {
    const fields = new Map<string, string>();
    while (true) {
      const part = await reader.nextPart();
      if (!part) throw ERRORS.noContentProvided();
      if (part.filename === undefined) {
        if (fields.size >= MAX_FIELDS) throw ERRORS.noContentProvided();
        fields.set(part.name, await readField(reader));
        continue;
      }
      // Like busboy: the part's type without parameters, text/plain when the part names none.
      const partType = (part.contentType ?? "text/plain").split(";")[0].trim().toLowerCase();
      const mimeType = fields.get("contentType") || partType;
      checkLimits(mimeType, limits);
      const written = await writeLimited(reader.content(), target, limits.fileSizeLimit);
      const cacheTime = fields.get("cacheControl");
      return {
        ...written,
        mimeType,
        cacheControl: cacheTime ? `max-age=${cacheTime}` : "no-cache",
        userMetadata: parseMetadata(fields.get("metadata") ?? fields.get("userMetadata")),
      };
    }
  } finally {
    // Whatever follows the file part (or the rest of a refused body) is not read.
    await reader.cancel();
  }
}

async function receiveRaw(request: Request, target: string, limits: UploadLimits): Promise<ReceivedFile> {
  const mimeType = request.headers.get("content-type") || "application/octet-stream";
  checkLimits(mimeType, limits);
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  try {
    if (declared > limits.fileSizeLimit) throw ERRORS.entityTooLarge();
    const body = request.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    const written = await writeLimited(body, target, limits.fileSizeLimit);
    return {
      ...written,
      mimeType,
      cacheControl: request.headers.get("cache-control") ?? "no-cache",
      userMetadata: decodeBase64Metadata(request.headers.get("x-metadata")),
    };
  } finally {
    await request.body?.cancel().catch(() => {});
  }
}

/**
 * Writes the uploaded bytes to `target` and returns what the upload declared. MIME type is checked before
 * any byte is stored and size both from Content-Length and while streaming; on failure `target` may hold
 * a partial file that the caller removes.
 */
export async function receiveFile(
  request: Request,
  target: string,
  limits: UploadLimits,
): Promise<ReceivedFile> {
  const contentType = request.headers.get("content-type") ?? "";
  if (contentType.toLowerCase().startsWith("multipart/form-data")) {
    const boundary = multipartBoundary(contentType);
    if (!boundary) throw ERRORS.noContentProvided();
    return await receiveMultipart(request, boundary, target, limits);
  }
  return await receiveRaw(request, target, limits);
}
