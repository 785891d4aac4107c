/**
 * Sends the HTTP requests queued by the local pg_net surface, as pg_net's background worker does: a
 * request is taken from net.http_request_queue (deleted in the same statement, so it is sent at most
 * once), sent with its timeout, and its outcome written to net._http_response. The queue is read when
 * a commit notifies `pg_net_local`, and every second as a safety net.
 */
import postgres from "postgres";

/** A running dispatcher; `stop()` waits for requests in flight. */
export interface PgNetDispatcher {
  stop(): Promise<void>;
}

interface QueuedRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Uint8Array | null;
  timeout_milliseconds: number;
}

/** Starts dispatching queued requests from the database at `url`. */
export async function startPgNetDispatcher(
  url: string,
  options: { batchSize?: number } = {},
): Promise<PgNetDispatcher> {
  const sql = postgres(url, { max: 3, onnotice: () => {}, connection: { application_name: "pg_net_local" } });
  const batchSize = options.batchSize ?? 200;
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let draining: Promise<void> | null = null;
  let again = false;

  async function send(request: QueuedRequest): Promise<void> {
    const started = Date.now();
    try {
      const response = await fetch(request.url, {
        method: request.method.toUpperCase(),
        headers: request.headers,
        body: request.body && request.method.toUpperCase() !== "GET" ? new Uint8Array(request.body) : undefined,
        signal: AbortSignal.timeout(request.timeout_milliseconds),
      });
      const content = await response.text();
      await sql`
        insert into net._http_response (id, status_code, content_type, headers, content, timed_out)
        values (${request.id}, ${response.status}, ${response.headers.get("content-type")},
                ${sql.json(Object.fromEntries(response.headers))}, ${content}, false)`;
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === "TimeoutError";
      const message = timedOut
        ? `Timeout of ${request.timeout_milliseconds} ms reached. Total time: ${Date.now() - started} ms`
        : `Couldn't connect to server: ${error instanceof Error ? error.message : String(error)}`;
      await sql`
        insert into net._http_response (id, timed_out, error_msg)
        values (${request.id}, ${timedOut}, ${message})`.catch(() => {});
    }
  }

  async function drainOnce(): Promise<number> {
    const taken = await sql<QueuedRequest[]>`
      delete from net.http_request_queue
      where id in (
        select id from net.http_request_queue order by id limit ${batchSize} for update skip locked
      )
      returning id, method, url, headers, body, timeout_milliseconds`;
    for (const request of taken) {
      const task = send(request).finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
    return taken.length;
  }

  function drain(): void {
    if (stopped) return;
    if (draining) {
      again = true;
      return;
    }
    draining = (async () => {
      try {
        do {
          again = false;
          while (!stopped && await drainOnce() === batchSize) {
            // a full batch: more may be waiting
          }
        } while (again && !stopped);
      } catch (error) {
        if (!stopped) {
          console.error(JSON.stringify({ level: "error", msg: "pg_net dispatch failed", error: String(error) }));
        }
      } finally {
        draining = null;
      }
    })();
  }

  const listener = await sql.listen("pg_net_local", () => drain());
  const timer = setInterval(drain, 1000);
  drain();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await listener.unlisten().catch(() => {});
      await draining;
      await Promise.allSettled([...inFlight]);
      await sql.end({ timeout: 5 });
    },
  };
}
