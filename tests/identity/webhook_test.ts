// The Clerk webhook: Svix signatures, idempotent replays, ordering, and access that follows membership.
import { deepEqual, equal } from "node:assert/strict";
import { call, clientFor } from "../support/api.ts";
import {
  clerkEvents,
  createOrganization,
  postDelivery,
  sendEvent,
  sessionToken,
  signedDelivery,
  uniqueId,
} from "../support/clerk.ts";
import { countRows, withDb } from "../support/db.ts";

// deno-lint-ignore no-explicit-any
async function status(response: Response): Promise<{ status: number; body: Record<string, any> }> {
  return { status: response.status, body: await response.json() };
}

Deno.test("webhook: a forged signature, a stale timestamp and a modified body are refused and change nothing", async () => {
  const userId = uniqueId("user");
  const event = { type: "user.created", data: clerkEvents.user(userId) };

  const forged = await status(await postDelivery(signedDelivery(event, { secret: `whsec_${btoa("x".repeat(24))}` })));
  equal(forged.status, 401);
  equal(forged.body.error.code, "unauthorized");

  const stale = await status(await postDelivery(signedDelivery(event, { sentAt: new Date(Date.now() - 10 * 60_000) })));
  equal(stale.status, 401);
  equal(stale.body.error.message, "Webhook signature rejected: message timestamp too old");

  const future = await status(
    await postDelivery(signedDelivery(event, { sentAt: new Date(Date.now() + 10 * 60_000) })),
  );
  equal(future.status, 401);

  const delivery = signedDelivery(event);
  const modified = await status(
    await postDelivery({ ...delivery, body: delivery.body.replace(userId, uniqueId("user")) }),
  );
  equal(modified.status, 401);

  equal(await countRows("public.users", "clerk_user_id = $1", userId), 0);
  equal(await countRows("public.webhook_events", "svix_id = $1", delivery.headers["svix-id"]), 0);
});

Deno.test("webhook: missing Svix headers and a signed body that is not an event get 400", async () => {
  const delivery = signedDelivery({ type: "user.created", data: clerkEvents.user(uniqueId("user")) });
  for (const header of ["svix-id", "svix-timestamp", "svix-signature"]) {
    const headers = { ...delivery.headers };
    delete headers[header];
    const result = await status(await postDelivery({ ...delivery, headers }));
    equal(result.status, 400, header);
    equal(result.body.error.details.field, header);
  }
  const notEvent = signedDelivery({ type: "", data: {} });
  equal((await status(await postDelivery(notEvent))).status, 400);
  const missingData = signedDelivery({ type: "user.created", data: { first_name: "No id" } });
  const missing = await status(await postDelivery(missingData));
  equal(missing.status, 400);
  equal(missing.body.error.details.field, "data.id");
});

Deno.test("webhook: the same delivery replayed 5 times leaves one row", async () => {
  const userId = uniqueId("user");
  const delivery = signedDelivery({ type: "user.created", data: clerkEvents.user(userId) });
  const outcomes: string[] = [];
  for (let i = 0; i < 5; i++) {
    const result = await status(await postDelivery(delivery));
    equal(result.status, 200);
    outcomes.push(result.body.outcome);
  }
  deepEqual(outcomes, ["applied", "duplicate", "duplicate", "duplicate", "duplicate"]);
  equal(await countRows("public.users", "clerk_user_id = $1", userId), 1);
  equal(await countRows("public.webhook_events", "svix_id = $1", delivery.headers["svix-id"]), 1);
});

Deno.test("webhook: concurrent replays of one delivery apply it once", async () => {
  const orgId = uniqueId("org");
  const delivery = signedDelivery({ type: "organization.created", data: clerkEvents.organization(orgId) });
  const results = await Promise.all(Array.from({ length: 5 }, async () => await status(await postDelivery(delivery))));
  deepEqual(results.map((r) => r.status), [200, 200, 200, 200, 200]);
  equal(results.filter((r) => r.body.outcome === "applied").length, 1);
  equal(await countRows("public.organizations", "clerk_org_id = $1", orgId), 1);
});

Deno.test("webhook: a membership deletion removes access at once", async () => {
  const org = await createOrganization();
  const member = clientFor(org.member.token);
  const before = await call(member, "teams-list", { method: "GET" });
  equal(before.status, 200);
  const organizationId = (await call(member, "quota-status", { method: "GET" })).body.organization as { id: string };

  await sendEvent("organizationMembership.deleted", clerkEvents.membership(org.clerkOrgId, org.member.userId));

  const viaSession = await call(member, "teams-list", { method: "GET" });
  equal(viaSession.status, 403);
  equal((viaSession.body.error as { code: string }).code, "forbidden");
  const viaId = await call(member, "teams-list", { method: "GET", query: { organization_id: organizationId.id } });
  equal(viaId.status, 404);
  // The admin still has access.
  equal((await call(clientFor(org.admin.token), "teams-list", { method: "GET" })).status, 200);
});

Deno.test("webhook: events arriving out of order do not resurrect deleted rows", async () => {
  const userId = uniqueId("user");
  const created = clerkEvents.user(userId);
  await sendEvent("user.created", created);
  await sendEvent("user.deleted", { id: userId, deleted: true, object: "user" });
  // A retry of an update made before the deletion arrives late.
  await sendEvent("user.updated", { ...created, first_name: "Late", updated_at: created.updated_at + 1 });
  equal(await countRows("public.users", "clerk_user_id = $1 and deleted_at is not null", userId), 1);

  const org = await createOrganization();
  const token = await sessionToken(org.member.userId, { orgId: org.clerkOrgId });
  const membership = clerkEvents.membership(org.clerkOrgId, org.member.userId);
  await sendEvent("organizationMembership.deleted", membership);
  // The creation of that membership, delivered late, must not give access back.
  await sendEvent("organizationMembership.created", { ...membership, updated_at: membership.updated_at - 1000 });
  equal((await call(clientFor(token), "teams-list", { method: "GET" })).status, 403);

  await sendEvent("organization.deleted", { id: org.clerkOrgId, deleted: true, object: "organization" });
  await sendEvent("organization.updated", clerkEvents.organization(org.clerkOrgId, "paid"));
  equal(await countRows("public.organizations", "clerk_org_id = $1 and deleted_at is not null", org.clerkOrgId), 1);
  equal((await call(clientFor(org.admin.token), "teams-list", { method: "GET" })).status, 403);
});

Deno.test("webhook: the plan comes from the organization's public metadata, free by default", async () => {
  const org = await createOrganization("free");
  const admin = clientFor(org.admin.token);
  const plan = async () =>
    ((await call(admin, "quota-status", { method: "GET" })).body.organization as { plan: string }).plan;
  equal(await plan(), "free");
  await sendEvent("organization.updated", clerkEvents.organization(org.clerkOrgId, "paid"));
  equal(await plan(), "paid");
  await sendEvent("organization.updated", {
    ...clerkEvents.organization(org.clerkOrgId),
    public_metadata: { plan: "gold" },
  });
  equal(await plan(), "free");
});

Deno.test("webhook: unknown event types are acknowledged and ignored", async () => {
  const delivery = signedDelivery({ type: "session.created", data: { id: uniqueId("sess") } });
  const result = await status(await postDelivery(delivery));
  equal(result.status, 200);
  equal(result.body.outcome, "ignored");
  await withDb(async (sql) => {
    const [row] = await sql`select event_type from public.webhook_events where svix_id = ${
      delivery.headers["svix-id"]
    }`;
    equal(row.event_type, "session.created");
  });
});
