/** The local stack the tests run against: `npm test` starts a throw-away one and names it in LOCAL_STACK_DIR. */
import { developerStack, statusFile } from "../../scripts/lib/paths.ts";
import { readRunningStack, type RunningStack } from "../../scripts/lib/stack_status.ts";

/** What a running stack records about itself (`npm run status -- --json` prints part of it). */
export type StackStatus = RunningStack;

let cached: StackStatus | undefined;

/** The running stack's status (the same values `npm run status -- --json` prints). */
export function stackStatus(): StackStatus {
  if (cached) return cached;
  const { dataDir } = developerStack();
  const running = readRunningStack(dataDir);
  if (!running) {
    throw new Error(`No running local stack: ${statusFile(dataDir)} is missing; run the tests with \`npm test\``);
  }
  cached = running;
  return cached;
}
