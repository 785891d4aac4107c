// POST /functions/v1/clerk-webhook: Clerk's Svix-signed events keep users, organizations and memberships in sync.
// Values that cannot be stored as sent (NUL characters, overlong names, times in the future) are stored
// cleaned, cut or clamped; the response and the log name each change.
import { applyDelivery, verifyDelivery } from "../_shared/domain/clerk_webhook.ts";
import { createHandler, json } from "../_shared/http/handler.ts";

const handler = createHandler({ name: "clerk-webhook", methods: ["POST"] }, async ({ request, log }) => {
  const delivery = await verifyDelivery(request);
  const { outcome, adjustments } = await applyDelivery(delivery);
  log.info("clerk event", { type: delivery.event.type.slice(0, 100), svix_id: delivery.svixId, outcome, adjustments });
  return json({ received: true, outcome, ...(adjustments.length > 0 ? { adjusted: adjustments } : {}) });
});

export default { fetch: handler };
