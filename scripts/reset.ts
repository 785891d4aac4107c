/** `npm run reset`: wipes the local database and stored files (keys and secrets are kept). */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runMain, SetupError } from "./lib/errors.ts";
import { developerStack } from "./lib/paths.ts";
import { stopCluster } from "./lib/postgres.ts";
import { readRunningStack } from "./lib/stack_status.ts";

await runMain(async () => {
  const { dataDir } = developerStack();
  if (readRunningStack(dataDir)) {
    throw new SetupError("the local stack is running: stop it with Ctrl-C, then run `npm run reset` again");
  }
  const pgdata = join(dataDir, "postgres");
  if (existsSync(pgdata)) {
    const real = await Deno.realPath(pgdata);
    await stopCluster(real);
    await Deno.remove(real, { recursive: true });
    if (real !== pgdata) await Deno.remove(pgdata);
  }
  for (const name of ["storage", "seeded", "stack.json"]) {
    await Deno.remove(join(dataDir, name), { recursive: true }).catch(() => {});
  }
  console.log("Local database wiped: the next `npm start` creates it again, with the migrations and the seed.");
});
