/** Input parsing with zod: bad input is a 400 that names the failing field; nothing runs on bad input. */
import { z } from "zod";
import { ApiError, ErrorCode } from "../core/errors.ts";

/** Bodies larger than this are refused before parsing (413). */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/** The dotted path of a zod issue, with an unknown key named as its own field. */
function fieldOf(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys" && issue.keys.length > 0) path.push(issue.keys[0]);
  return path.join(".") || "body";
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return "Unknown field";
  if (issue.code === "invalid_type" && issue.input === undefined) return "Required";
  return issue.message;
}

/** Throws a 400 naming the first failing field (all issues are in `details.issues`). */
export function invalidInput(error: z.ZodError): never {
  const issues = error.issues.slice(0, 10).map((issue) => ({ field: fieldOf(issue), message: messageOf(issue) }));
  const first = issues[0];
  throw new ApiError(ErrorCode.invalidInput, `Invalid ${first.field}: ${first.message}`, {
    field: first.field,
    issues,
  });
}

/** Parses a value with a schema or throws the 400. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) invalidInput(parsed.error);
  return parsed.data;
}

/** Reads a JSON body (at most `maxBytes`) and validates it. */
export async function parseJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  options: { maxBytes?: number } = {},
): Promise<z.infer<S>> {
  const bytes = await readAtMost(request, options.maxBytes ?? MAX_JSON_BODY_BYTES);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ApiError(ErrorCode.invalidInput, "The request body is not valid JSON", { field: "body" });
  }
  return parseWith(schema, value);
}

/**
 * Reads a request body into memory, failing with `tooLarge()` at once when its declared length is over
 * `maxBytes`, and otherwise as soon as the bytes read pass it (a declared length may lie or be absent).
 */
export async function readAtMost(
  request: Request,
  maxBytes: number,
  tooLarge: () => ApiError = () =>
    new ApiError(ErrorCode.payloadTooLarge, `The request body is larger than ${maxBytes} bytes`),
): Promise<Uint8Array<ArrayBuffer>> {
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of request.body) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Validates the query string (each parameter once; repeated parameters are refused). */
export function parseQuery<S extends z.ZodType>(url: URL, schema: S): z.infer<S> {
  const values: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (key in values) {
      throw new ApiError(ErrorCode.invalidInput, `Invalid ${key}: Given more than once`, { field: key });
    }
    values[key] = value;
  }
  return parseWith(schema, values);
}

/** A uuid field. */
export const uuid = () => z.uuid({ message: "Must be a UUID" });
