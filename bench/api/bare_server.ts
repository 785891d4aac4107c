/**
 * The baseline of the customization benchmark: a bare Deno handler doing one database round trip
 * (`Deno.serve` + postgres.js `select 1`), on a Worker thread so that it does not share the client loop's
 * event loop (the stack's functions do not either).
 */
import postgres from "postgres";
import type { Sql } from "../support/organizations.ts";

/** The functions' DB_POOL_SIZE default (supabase/functions/.env.example). */
export const FUNCTIONS_POOL_SIZE = 5;

interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
}

function runBareServerInWorker(): void {
  const scope = globalThis as unknown as WorkerScope;
  let sql: Sql | undefined;
  let server: Deno.HttpServer | undefined;
  scope.onmessage = async (event: MessageEvent) => {
    const message = event.data as { start?: { dbUrl: string; poolSize: number }; stop?: true };
    if (message.start) {
      const db = postgres(message.start.dbUrl, {
        prepare: false,
        max: message.start.poolSize,
        onnotice: () => {},
        connection: { application_name: "api-bench-bare" },
      });
      sql = db;
      server = Deno.serve({
        hostname: "127.0.0.1",
        port: 0,
        onListen: ({ port }) => scope.postMessage({ port }),
      }, async (request) => {
        await request.text();
        const [row] = await db`select 1 as ok`;
        return Response.json({ ok: row.ok });
      });
    }
    if (message.stop) {
      await server?.shutdown();
      await sql?.end({ timeout: 5 });
      scope.postMessage({ stopped: true });
    }
  };
}

/** Starts the bare handler; answers its URL and a stop function. */
export async function startBareServer(dbUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const worker = new Worker(import.meta.url, { type: "module", name: "api-bench-bare" });
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(`bare handler worker failed: ${event.message}`));
    });
  const listening = next();
  worker.postMessage({ start: { dbUrl, poolSize: FUNCTIONS_POOL_SIZE } });
  const { port } = await listening;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      const stopped = next();
      worker.postMessage({ stop: true });
      await stopped;
      worker.terminate();
    },
  };
}

if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== "undefined") {
  runBareServerInWorker();
}
