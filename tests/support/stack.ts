/** The local stack the tests run against: `npm test` starts a throw-away one and names it in LOCAL_STACK_DIR. */
import { join } from "node:path";
import { developerStack, statusFile } from "../../scripts/lib/paths.ts";
import type { RunningStack } from "../../scripts/lib/stack_status.ts";

/** What a running stack records about itself (`npm run status -- --json` prints part of it). */
export type StackStatus = RunningStack;

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
