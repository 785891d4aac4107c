/** An error the developer can fix: its message is one sentence naming the problem and the fix. */
export class SetupError extends Error {
  override name = "SetupError";
}

/** Runs main and turns a SetupError into one line on stderr and exit code 1. */
export async function runMain(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof SetupError) {
      console.error(`error: ${error.message}`);
      Deno.exit(1);
    }
    throw error;
  }
}
