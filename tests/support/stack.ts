/** The local stack the tests run against: `npm test` starts a throw-away one and names it in LOCAL_STACK_DIR. */
import { join } from "node:path";
import { developerStack, statusFile } from "../../scripts/lib/paths.ts";

/** What `npm run status -- --json` prints for a running stack. */
export interface StackStatus {
  api_url: string;
  db_url: string;
  anon_key: string;
  service_role_key: string;
  jwks_url: string;
  clerk_issuer: string;
  clerk_webhook_secret: string;
  worker_secret: string;
  openai_base_url: string;
  fake_openai: boolean;
  data_dir: string;
}

let cached: StackStatus | undefined;

/** Reads the running stack's status file (the same values `npm run status -- --json` prints). */
export function stackStatus(): StackStatus {
  if (cached) return cached;
  const file = statusFile(developerStack().dataDir);
  try {
    cached = JSON.parse(Deno.readTextFileSync(file)) as StackStatus;
  } catch {
    throw new Error(`No running local stack: ${file} is missing; run the tests with \`npm test\``);
  }
  return cached;
}

/** A path inside the stack's data folder. */
export function stackPath(...parts: string[]): string {
  return join(stackStatus().data_dir, ...parts);
}
