import { equal, ok } from "node:assert/strict";
import { Webhook } from "svix";
import { verifyDelivery, webhookSettings, webhookStatus } from "./clerk_webhook.ts";
import { ApiError } from "../core/errors.ts";

const SECRET = `whsec_${btoa("0123456789abcdef0123456789abcdef")}`;
Deno.env.set("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
webhookSettings.refresh();

function delivery(body: string, options: { secret?: string; sentAt?: Date; id?: string } = {}): Request {
  const id = options.id ?? "msg_1";
  const sentAt = options.sentAt ?? new Date();
  return new Request("http://localhost/clerk-webhook", {
    method: "POST",
    body,
    headers: {
      "svix-id": id,
      "svix-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
      "svix-signature": new Webhook(options.secret ?? SECRET).sign(id, sentAt, body),
    },
  });
}

async function refusal(request: Request): Promise<ApiError> {
  try {
    await verifyDelivery(request);
  } catch (error) {
    ok(error instanceof ApiError);
    return error;
  }
  throw new Error("expected a refusal");
}

const body = JSON.stringify({ type: "user.created", timestamp: 1, data: { id: "user_1" } });

Deno.test("a correctly signed delivery verifies and parses", async () => {
  const verified = await verifyDelivery(delivery(body));
  equal(verified.svixId, "msg_1");
  equal(verified.event.type, "user.created");
});

Deno.test("another secret, an old timestamp or a changed body is refused with 401", async () => {
  equal((await refusal(delivery(body, { secret: `whsec_${btoa("another secret, 32 bytes long!!")}` }))).status, 401);
  equal((await refusal(delivery(body, { sentAt: new Date(Date.now() - 6 * 60_000) }))).status, 401);
  const signed = delivery(body);
  const tampered = new Request(signed.url, {
    method: "POST",
    headers: signed.headers,
    body: body.replace("user_1", "user_2"),
  });
  equal((await refusal(tampered)).status, 401);
});

Deno.test("a signed body that is not a Clerk event is refused with 400", async () => {
  equal((await refusal(delivery("[]"))).status, 400);
  equal((await refusal(delivery("not json"))).status, 400);
});

Deno.test("GET clerk-webhook answers 200 when deliveries can be verified, 503 without the signing secret", async () => {
  const { default: webhookFunction } = await import("../../clerk-webhook/index.ts");
  const ready = await webhookFunction.fetch(new Request("http://functions.local/clerk-webhook"));
  equal(ready.status, 200);
  equal(JSON.stringify(await ready.json()), JSON.stringify({ status: "ok", signing_secret_configured: true }));
  Deno.env.delete("CLERK_WEBHOOK_SIGNING_SECRET");
  webhookSettings.refresh();
  try {
    equal(webhookStatus().ready, false);
    const missing = await webhookFunction.fetch(new Request("http://functions.local/clerk-webhook"));
    equal(missing.status, 503);
    const body = await missing.json();
    equal(body.signing_secret_configured, false);
    equal(body.status, "unavailable");
  } finally {
    Deno.env.set("CLERK_WEBHOOK_SIGNING_SECRET", SECRET);
    webhookSettings.refresh();
  }
});
