/** `npm run status [-- --json]`: the running local stack's URLs and keys (like `supabase status -o json`). */
import { parseArgs } from "node:util";
import { runMain } from "./lib/errors.ts";
import { developerStack } from "./lib/paths.ts";
import { requireRunningStack } from "./lib/stack_status.ts";

await runMain(async () => {
  const { values } = parseArgs({ args: Deno.args, options: { json: { type: "boolean", default: false } } });
  const stack = requireRunningStack(developerStack().dataDir);
  const summary = {
    api_url: stack.api_url,
    db_url: stack.db_url,
    anon_key: stack.anon_key,
    service_role_key: stack.service_role_key,
    secret_key: stack.secret_key,
    publishable_key: stack.publishable_key,
    jwks_url: stack.jwks_url,
    clerk_issuer: stack.clerk_issuer,
    clerk_webhook_secret: stack.clerk_webhook_secret,
    functions_url: `${stack.api_url}/functions/v1`,
    storage_url: `${stack.api_url}/storage/v1`,
  };
  if (values.json) {
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  const width = Math.max(...Object.keys(summary).map((key) => key.length));
  for (const [key, value] of Object.entries(summary)) console.log(`${key.padEnd(width)}  ${value}`);
  await Promise.resolve();
});
