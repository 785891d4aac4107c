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

/** The value at a zod issue's path in the input, and whether it is there at all. */
function valueAt(input: unknown, path: PropertyKey[]): { present: boolean; value?: unknown } {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return { present: false };
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return { present: true, value };
}

/** The JSON type of a value as messages name it: string, number, boolean, null, array or object. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** What an issue expected, as a short phrase (a type, or one of the allowed values). */
function expectedOf(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === "invalid_type") return issue.expected;
  if (issue.code === "invalid_value") return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  return undefined;
}

/** One issue for people: the field, what was expected and what was received. */
function describe(
  issue: z.core.$ZodIssue,
  input: unknown,
): { field: string; message: string; expected?: string; received?: string } {
  const field = fieldOf(issue);
  if (issue.code === "unrecognized_keys") return { field, message: "Unknown field" };
  const expected = expectedOf(issue);
  const at = valueAt(input, issue.path);
  if (issue.code === "invalid_type") {
    if (!at.present || at.value === undefined) {
      return { field, message: `Required: expected ${expected}`, expected, received: "nothing" };
    }
    const received = jsonTypeOf(at.value);
    const said = issue.message.startsWith("Invalid input") ? `Expected ${expected}` : issue.message;
    return { field, message: `${said}, received ${received}`, expected, received };
  }
  if (issue.code === "invalid_value" && at.present) {
    const received = typeof at.value === "string" ? JSON.stringify(at.value.slice(0, 50)) : jsonTypeOf(at.value);
    return { field, message: `Expected ${expected}, received ${received}`, expected, received };
  }
  return { field, message: issue.message, ...(expected ? { expected } : {}) };
}

/** Throws a 400 naming the first failing field, what it expected and what it received (all in `details.issues`). */
export function invalidInput(error: z.ZodError, input?: unknown): never {
  const issues = error.issues.slice(0, 10).map((issue) => describe(issue, input));
  const first = issues[0];
  throw new ApiError(ErrorCode.invalidInput, `Invalid ${first.field}: ${first.message}`, {
    field: first.field,
    ...(first.expected ? { expected: first.expected } : {}),
    ...(first.received ? { received: first.received } : {}),
    issues,
  });
}

/**
 * Throws a 400 naming the first string (or key) that holds a NUL character: Postgres text cannot store one,
 * so it is refused here rather than failing in the database.
 */
export function refuseNulCharacters(value: unknown, path: string[] = []): void {
  if (typeof value === "string") {
    if (value.includes("\u0000")) {
      const field = path.join(".") || "body";
      throw new ApiError(ErrorCode.invalidInput, `Invalid ${field}: Must not contain NUL characters`, {
        field,
        received: "a string with a NUL character",
      });
    }
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [key, item] of Object.entries(value)) {
    refuseNulCharacters(key, [...path, "(key)"]);
    refuseNulCharacters(item, [...path, key]);
  }
}

/** Parses a value with a schema or throws the 400. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  refuseNulCharacters(value);
  const parsed = schema.safeParse(value);
  if (!parsed.success) invalidInput(parsed.error, value);
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
