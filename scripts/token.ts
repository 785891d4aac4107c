/**
 * `npm run token -- --user <clerk user id> [--org <clerk org id>] [--role admin]`: prints a session token
 * from the local Clerk-like issuer, shaped like Clerk's v2 session token.
 */
import { parseArgs } from "node:util";
import { runMain, SetupError } from "./lib/errors.ts";
import { developerStack } from "./lib/paths.ts";
import { readRunningStack } from "./lib/stack_status.ts";
import { clerkIssuer, mintSessionToken } from "./local_stack/clerk/issuer.ts";

await runMain(async () => {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      user: { type: "string" },
      org: { type: "string" },
      role: { type: "string", default: "member" },
      ttl: { type: "string", default: "3600" },
      azp: { type: "string" },
      pending: { type: "boolean", default: false },
    },
  });
  if (!values.user) throw new SetupError("--user is required: npm run token -- --user user_123 --org org_123");
  const location = developerStack();
  const running = readRunningStack(location.dataDir);
  const issuer = running?.clerk_issuer ?? clerkIssuer(`http://127.0.0.1:${location.apiPort}`);
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new SetupError("--ttl must be a whole number of seconds");
  const token = await mintSessionToken(location.dataDir, {
    userId: values.user,
    orgId: values.org,
    orgRole: values.role,
    issuer,
    authorizedParty: values.azp,
    ttlSeconds: ttl,
    status: values.pending ? "pending" : undefined,
  });
  console.log(token);
});
