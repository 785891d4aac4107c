// POST /functions/v1/clerk-webhook: Clerk's Svix-signed events keep users, organizations and memberships in sync.
// Values that cannot be stored as sent (NUL characters, overlong names, times in the future) are stored
// cleaned, cut or clamped; the response and the log name each change.
// GET: whether deliveries can be verified (200, or 503 without CLERK_WEBHOOK_SIGNING_SECRET).
import { applyDelivery, verifyDelivery, webhookStatus } from "../_shared/domain/clerk_webhook.ts";
import { createHandler, json } from "../_shared/http/handler.ts";

const handler = createHandler({ name: "clerk-webhook", methods: ["POST", "GET"] }, async ({ request, log }) => {
  if (request.method === "GET") {
    const status = webhookStatus();
    return json(status.body, status.ready ? 200 : 503);
  }
  const delivery = await verifyDelivery(request);
  const { outcome, adjustments } = await applyDelivery(delivery);
  log.info("clerk event", { type: delivery.event.type.slice(0, 100), svix_id: delivery.svixId, outcome, adjustments });
  return json({ received: true, outcome, ...(adjustments.length > 0 ? { adjusted: adjustments } : {}) });
});

export default { fetch: handler };
