/** Where the local stack keeps its files and which ports it uses. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Postgres 15 binaries (Debian's layout unless PG_BIN says otherwise). */
export const PG_BIN = Deno.env.get("PG_BIN") ?? "/usr/lib/postgresql/15/bin";

/** One local stack: its data folder and ports. */
export interface StackLocation {
  dataDir: string;
  dbPort: number;
  apiPort: number;
}

/** The developer's stack (`npm start`), or the one named by LOCAL_STACK_DIR. */
export function developerStack(): StackLocation {
  return {
    dataDir: Deno.env.get("LOCAL_STACK_DIR") ?? join(ROOT, ".local", "dev"),
    dbPort: Number(Deno.env.get("LOCAL_DB_PORT") ?? 54322),
    apiPort: Number(Deno.env.get("LOCAL_API_PORT") ?? 54321),
  };
}

/** The status file a running stack writes once it serves requests. */
export function statusFile(dataDir: string): string {
  return join(dataDir, "stack.json");
}
