// POST /functions/v1/clerk-webhook: Clerk's Svix-signed events keep users, organizations and memberships in sync.
import { applyDelivery, verifyDelivery } from "../_shared/domain/clerk_webhook.ts";
import { createHandler, json } from "../_shared/http/handler.ts";

const handler = createHandler({ name: "clerk-webhook", methods: ["POST"] }, async ({ request, log }) => {
  const delivery = await verifyDelivery(request);
  const outcome = await applyDelivery(delivery);
  log.info("clerk event", { type: delivery.event.type, svix_id: delivery.svixId, outcome });
  return json({ received: true, outcome });
});

export default { fetch: handler };
