/**
 * The errors of the local Storage API, shaped like Supabase Storage's (supabase/storage,
 * src/internal/errors/codes.ts and src/http/error-handler.ts).
 *
 * Supabase answers every client error with HTTP 400 and puts the meaningful status in the body's
 * `statusCode` string ("404", "409", "413", ...); only server faults use HTTP 500. storage-js surfaces the
 * HTTP status as `error.status` and the body's string as `error.statusCode`, so code must branch on
 * `statusCode` (or `code`), exactly as it must against hosted Supabase.
 */

/** A Storage API error: `statusCode` is the body's status, `error` the legacy name, `code` the new one. */
export class StorageApiError extends Error {
  override name = "StorageApiError";

  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly error: string = code,
  ) {
    super(message);
  }

  /** The HTTP status Supabase answers with: 500 for server faults, 400 for everything else. */
  get httpStatus(): number {
    return this.statusCode === 500 ? 500 : 400;
  }

  /** The body, in the property order Supabase's error schema serializes. */
  toJSON(): Record<string, string> {
    return {
      statusCode: String(this.statusCode),
      error: this.error,
      message: this.message,
      code: this.code,
    };
  }
}

function storageError(
  code: string,
  statusCode: number,
  message: string,
  error?: string,
): StorageApiError {
  return new StorageApiError(code, statusCode, message, error ?? code);
}

/** The errors this emulator answers with; names, codes and messages are Supabase's. */
export const ERRORS = {
  noSuchBucket: () => storageError("NoSuchBucket", 404, "Bucket not found", "Bucket not found"),
  noSuchKey: () => storageError("NoSuchKey", 404, "Object not found", "not_found"),
  invalidJwt: (message: string) => storageError("InvalidJWT", 400, message || "Invalid JWT"),
  accessDenied: (message: string) =>
    storageError(
      "AccessDenied",
      403,
      message || "Access denied",
      "Unauthorized",
    ),
  resourceAlreadyExists: () =>
    storageError(
      "ResourceAlreadyExists",
      409,
      "The resource already exists",
      "Duplicate",
    ),
  keyAlreadyExists: () =>
    storageError(
      "KeyAlreadyExists",
      409,
      "The resource already exists",
      "Duplicate",
    ),
  bucketAlreadyExists: () =>
    storageError(
      "BucketAlreadyExists",
      409,
      "The resource already exists",
      "Duplicate",
    ),
  bucketNotEmpty: () =>
    storageError(
      "ResourceNotEmpty",
      409,
      "The bucket you tried to delete is not empty",
    ),
  invalidMimeType: (mimeType: string) =>
    storageError(
      "InvalidMimeType",
      415,
      `mime type ${mimeType} is not supported`,
      "invalid_mime_type",
    ),
  entityTooLarge: (entity = "object") =>
    storageError(
      "EntityTooLarge",
      413,
      `The ${entity} exceeded the maximum allowed size`,
      "Payload too large",
    ),
  invalidKey: (key: string) => storageError("InvalidKey", 400, `Invalid key: ${key}`),
  invalidBucketName: () =>
    storageError(
      "InvalidBucketName",
      400,
      "Bucket name invalid",
      "Invalid Input",
    ),
  invalidSignature: () => storageError("InvalidSignature", 400, "Invalid signature"),
  invalidFileSizeLimit: () =>
    storageError(
      "InvalidRequest",
      400,
      "Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B",
    ),
  noContentProvided: () => storageError("InvalidRequest", 400, "No content provided"),
  relatedResourceNotFound: () =>
    storageError(
      "InvalidRequest",
      404,
      "The related resource does not exist",
    ),
  resourceLocked: () => storageError("ResourceLocked", 423, "The resource is locked"),
  invalidParameter: (message: string) => storageError("InvalidParameter", 400, message),
  databaseTimeout: () =>
    storageError(
      "DatabaseTimeout",
      544,
      "The connection to the database timed out",
    ),
  databaseError: (pgCode: string) => storageError("DatabaseError", 500, `database error, code: ${pgCode}`),
  internalError: () => storageError("InternalError", 500, "Internal server error"),
};

/**
 * A request that fails schema validation, worded like Fastify's validator ("body must have required
 * property 'prefix'"); Supabase's routes validate bodies with JSON schemas before any handler runs.
 */
export function validationError(message: string): StorageApiError {
  return new StorageApiError("InvalidRequest", 400, message, "Bad Request");
}

interface PgErrorLike {
  code: string;
  message: string;
}

function isPgError(error: unknown): error is PgErrorLike {
  return error instanceof Error && error.name === "PostgresError" &&
    typeof (error as { code?: unknown }).code === "string";
}

/** Maps a Postgres error the way Supabase's DBError.fromDBError does (src/storage/database/errors.ts). */
export function fromDatabaseError(error: unknown): StorageApiError | null {
  if (!isPgError(error)) return null;
  switch (error.code) {
    case "42501":
      return ERRORS.accessDenied(
        error.message.includes("row-level security") ? "new row violates row-level security policy" : error.message,
      );
    case "23505":
      return ERRORS.resourceAlreadyExists();
    case "23503":
      return ERRORS.relatedResourceNotFound();
    case "55P03":
      return ERRORS.resourceLocked();
    case "57014":
      return ERRORS.databaseTimeout();
    case "22P02":
      return ERRORS.invalidParameter(error.message);
    default:
      return ERRORS.databaseError(error.code);
  }
}

/** Turns any thrown value into Supabase's error answer; unexpected errors are logged, never shown. */
export function errorResponse(error: unknown): Response {
  let known = error instanceof StorageApiError ? error : fromDatabaseError(error);
  if (!known) {
    console.error("storage: unexpected error", error);
    known = ERRORS.internalError();
  } else if (known.httpStatus === 500) {
    console.error("storage: server error", error);
  }
  const status = known.statusCode === 544 ? 544 : known.httpStatus;
  return Response.json(known.toJSON(), { status });
}
