/**
 * Database errors to API errors. Our SQL functions raise SQLSTATE P0001 with a snake_case code as the
 * message, a JSON object as the detail and a sentence for people as the hint; constraint violations that
 * input validation should have caught become 400s; anything else is unexpected and stays a 500.
 */
import { ApiError, ErrorCode, type ErrorCodeValue } from "../core/errors.ts";
import { isConnectionError } from "./connection.ts";

/** The fields of a postgres.js error we read. */
interface PostgresError {
  code?: string;
  message?: string;
  detail?: string;
  hint?: string;
  constraint_name?: string;
  column_name?: string;
}

const DOMAIN_CODES: Record<string, ErrorCodeValue> = {
  not_found: ErrorCode.notFound,
  forbidden: ErrorCode.forbidden,
  invalid_input: ErrorCode.invalidInput,
  plan_required: ErrorCode.planRequired,
  quota_exceeded: ErrorCode.quotaExceeded,
  storage_limit_exceeded: ErrorCode.payloadTooLarge,
  idempotency_key_reused: ErrorCode.unprocessable,
  invalid_transition: ErrorCode.conflict,
  team_limit_exceeded: ErrorCode.conflict,
};

function parseDetail(detail: string | undefined): Record<string, unknown> {
  if (!detail) return {};
  try {
    const value = JSON.parse(detail);
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/** The public details of a domain error: what the client may see. */
function publicDetails(code: string, detail: Record<string, unknown>): Record<string, unknown> {
  if (code === "quota_exceeded" || code === "plan_required") {
    const { feature, plan, limit, used, reserved, resets_at } = detail;
    return { feature, plan, limit, used, reserved, resets_at };
  }
  if (code === "invalid_input") return { field: detail.field };
  if (code === "not_found") return { resource: detail.resource };
  return detail;
}

/** The ApiError for a database error, or null when it is not one we expect. */
export function apiErrorFromDatabase(error: unknown): ApiError | null {
  if (!error || typeof error !== "object") return null;
  if (isConnectionError(error)) {
    return new ApiError(
      ErrorCode.unavailable,
      "The database is briefly unavailable: try again shortly (with the same Idempotency-Key, if you sent one)",
      {
        retryable: true,
      },
      { retryAfterSeconds: 2 },
    );
  }
  const pg = error as PostgresError;
  if (pg.code === "P0001" && pg.message && pg.message in DOMAIN_CODES) {
    const detail = parseDetail(pg.detail);
    const message = pg.hint ? pg.hint.replace(/\.$/, "") : pg.message.replaceAll("_", " ");
    return new ApiError(DOMAIN_CODES[pg.message], message, publicDetails(pg.message, detail));
  }
  if (pg.code === "23514" || pg.code === "22P02" || pg.code === "22001" || pg.code === "23502") {
    return new ApiError(ErrorCode.invalidInput, "The input breaks a rule of the data", {
      field: pg.column_name ?? pg.constraint_name?.replace(/_check$/, "").replace(/^[a-z_]+?_/, "") ?? "body",
    });
  }
  if (pg.code === "22021" || pg.code === "22P05") {
    // A NUL character (or bytes that are not UTF-8) in a text value: input validation should refuse it first.
    return new ApiError(ErrorCode.invalidInput, "The input holds a character that cannot be stored (NUL)", {
      field: pg.column_name ?? "body",
    });
  }
  if (pg.code === "23503") {
    // A row it refers to is gone, e.g. the team was deleted while a material was being uploaded to it.
    const table = /table "(\w+)"/.exec(pg.detail ?? "")?.[1] ??
      (/team_id/.test(pg.constraint_name ?? "") ? "teams" : undefined);
    const resource = table ? table.replace(/^public\./, "").replace(/s$/, "") : "resource";
    return new ApiError(ErrorCode.notFound, `The ${resource} was deleted meanwhile`, { resource });
  }
  return null;
}

/** Runs database work and turns expected database errors into ApiErrors. */
export async function mapDatabaseErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw apiErrorFromDatabase(error) ?? error;
  }
}
