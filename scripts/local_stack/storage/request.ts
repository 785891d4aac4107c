/** What the Storage API handlers share: their context, JSON bodies in and out, and name checks. */
import type postgres from "postgres";
import type { z } from "zod";
import { ERRORS, validationError } from "./errors.ts";

/** Everything a handler needs, built once by createStorageApi. */
export interface StorageContext {
  sql: postgres.Sql;
  /** Absolute folder that holds the buckets. */
  root: string;
  /** The HS256 key of the project's JWT secret. */
  key: Uint8Array;
  /** The project-wide upload limit; a bucket's own limit can only lower it. */
  fileSizeLimit: number;
}

/** A JSON answer. */
export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status });
}

type Issue = z.ZodError["issues"][number];

function describeIssue(issue: Issue, body: unknown): string {
  const path = issue.path.map(String);
  let value: unknown = body;
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
  if (value === undefined && path.length > 0) {
    const parent = ["body", ...path.slice(0, -1)].join("/");
    return `${parent} must have required property '${path[path.length - 1]}'`;
  }
  return `${["body", ...path].join("/")} ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`;
}

/** Parses and validates a JSON body; failures read like Fastify's schema validation errors. */
export async function readBody<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw validationError("body must be object");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(describeIssue(parsed.error.issues[0], body));
  return parsed.data;
}

/**
 * Supabase's bucket name rule (S3-safe characters, at most 100), plus "." and ".." which would name a
 * folder outside the bucket on disk.
 */
export function assertBucketName(name: string): void {
  const valid = name.length > 0 && name.length <= 100 && name !== "." && name !== ".." &&
    /^(\w|!|-|\.|\*|'|\(|\)| |&|\$|@|=|;|:|\+|,|\?)*$/.test(name);
  if (!valid) throw ERRORS.invalidBucketName();
}
