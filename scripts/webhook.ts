/**
 * `npm run webhook -- <event type> '<data json>'`: sends one Svix-signed Clerk event to the running local
 * stack's clerk-webhook function, exactly as Clerk would, and prints the answer.
 * Example: npm run webhook -- organization.created '{"id":"org_123","name":"Acme","public_metadata":{"plan":"paid"}}'
 */
import { runMain, SetupError } from "./lib/errors.ts";
import { developerStack } from "./lib/paths.ts";
import { requireRunningStack } from "./lib/stack_status.ts";
import { signClerkDelivery } from "./local_stack/clerk/issuer.ts";

await runMain(async () => {
  const [type, json] = Deno.args;
  if (!type || !json) {
    throw new SetupError(
      'give an event type and its data: npm run webhook -- user.created \'{"id":"user_123"}\'',
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new SetupError("the event data is not valid JSON: quote it in single quotes");
  }
  const stack = requireRunningStack(developerStack().dataDir);
  const delivery = signClerkDelivery(stack.clerk_webhook_secret, {
    object: "event",
    type,
    timestamp: Date.now(),
    data,
  });
  const response = await fetch(`${stack.api_url}/functions/v1/clerk-webhook`, {
    method: "POST",
    headers: delivery.headers,
    body: delivery.body,
  });
  console.log(`${response.status} ${await response.text()}`);
  if (!response.ok) Deno.exit(1);
});
