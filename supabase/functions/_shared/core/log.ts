/** JSON-line logs: one object per line with the request id and function; never secrets or file contents. */

/** Fields every line of one request carries. */
export interface LogContext {
  request_id?: string;
  function?: string;
  organization_id?: string;
}

type Level = "debug" | "info" | "warn" | "error";

/** Writes one JSON line. */
export function log(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields });
  if (level === "error" || level === "warn") console.error(line);
  else if (Deno.env.get("LOG_LEVEL") !== "silent") console.log(line);
}

/** A logger bound to one request's context. */
export function requestLogger(context: LogContext) {
  return {
    context,
    info: (message: string, fields: Record<string, unknown> = {}) => log("info", message, { ...context, ...fields }),
    warn: (message: string, fields: Record<string, unknown> = {}) => log("warn", message, { ...context, ...fields }),
    error: (message: string, fields: Record<string, unknown> = {}) => log("error", message, { ...context, ...fields }),
  };
}

/** The logger type handlers receive. */
export type RequestLogger = ReturnType<typeof requestLogger>;
