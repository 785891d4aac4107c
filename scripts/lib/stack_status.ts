/** Reads a running stack's status file, confirming that its process is alive. */
import { existsSync } from "node:fs";
import { SetupError } from "./errors.ts";
import { statusFile } from "./paths.ts";

/** The status a running stack writes (see scripts/start.ts). */
export interface RunningStack {
  api_url: string;
  db_url: string;
  anon_key: string;
  service_role_key: string;
  secret_key: string;
  publishable_key: string;
  jwks_url: string;
  clerk_issuer: string;
  clerk_webhook_secret: string;
  worker_secret: string;
  openai_base_url: string;
  fake_openai: boolean;
  functions: string[];
  data_dir: string;
  pid: number;
}

/** Whether a process with this id exists. */
export function processAlive(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

/** The running stack of a data folder, or null when none runs. */
export function readRunningStack(dataDir: string): RunningStack | null {
  const file = statusFile(dataDir);
  if (!existsSync(file)) return null;
  const status = JSON.parse(Deno.readTextFileSync(file)) as RunningStack;
  return processAlive(status.pid) ? status : null;
}

/** The running stack, or a SetupError telling how to start one. */
export function requireRunningStack(dataDir: string): RunningStack {
  const status = readRunningStack(dataDir);
  if (!status) throw new SetupError("the local stack is not running: start it with `npm start` in another terminal");
  return status;
}
