// Clerk events that cannot be stored as sent are stored cleaned, cut or clamped (2xx, each change named);
// a stale event is reported as ignored, not applied.
import { deepEqual, equal, ok } from "node:assert/strict";
import { clerkEvents, postDelivery, signedDelivery, uniqueId } from "../support/clerk.ts";
import { withDb } from "../support/db.ts";

const NUL = String.fromCharCode(0);

async function deliver(type: string, data: Record<string, unknown>) {
  const response = await postDelivery(signedDelivery({ type, data }));
  return { status: response.status, body: await response.json() };
}

Deno.test("webhook: NUL characters and overlong names are stored cleaned and cut, with 200", async () => {
  const orgId = uniqueId("org");
  const org = await deliver("organization.created", {
    ...clerkEvents.organization(orgId),
    name: `Acme${NUL} ${"x".repeat(5000)}`,
  });
  equal(org.status, 200, JSON.stringify(org.body));
  equal(org.body.outcome, "applied");
  deepEqual(org.body.adjusted.map((a: { field: string }) => a.field), ["data.name", "data.name"]);
  const userId = uniqueId("user");
  const user = await deliver("user.created", {
    ...clerkEvents.user(userId),
    first_name: `Ada${NUL}`,
    last_name: "L".repeat(400),
    email_addresses: [{ id: `idn_${userId}`, email_address: `${"e".repeat(400)}@example.com` }],
  });
  equal(user.status, 200, JSON.stringify(user.body));
  equal(user.body.outcome, "applied");
  await withDb(async (sql) => {
    const [o] = await sql`select name from public.organizations where clerk_org_id = ${orgId}`;
    equal(o.name.length, 200);
    ok(o.name.startsWith("Acme xxx"), o.name.slice(0, 20));
    const [u] = await sql`select display_name, email from public.users where clerk_user_id = ${userId}`;
    equal([...u.display_name].length, 200);
    ok(u.display_name.startsWith("Ada LLL"));
    equal(u.email, null, "an email over 320 characters is not stored cut");
  });
});

Deno.test("webhook: an updated_at far in the future is clamped to now, so later events still apply", async () => {
  const orgId = uniqueId("org");
  const future = await deliver("organization.created", {
    ...clerkEvents.organization(orgId),
    name: "From the future",
    updated_at: 4_102_444_800_000 * 100,
  });
  equal(future.status, 200, JSON.stringify(future.body));
  equal(future.body.outcome, "applied");
  deepEqual(future.body.adjusted, [{ field: "data.updated_at", change: "in the future: clamped to now" }]);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const later = await deliver("organization.updated", { ...clerkEvents.organization(orgId), name: "Renamed" });
  equal(later.body.outcome, "applied");
  await withDb(async (sql) => {
    const [o] = await sql`select name, clerk_event_at from public.organizations where clerk_org_id = ${orgId}`;
    equal(o.name, "Renamed");
    ok(new Date(o.clerk_event_at).getTime() <= Date.now() + 60_000);
  });
});

Deno.test("webhook: a stale event is reported as ignored and changes nothing", async () => {
  const orgId = uniqueId("org");
  const now = Date.now();
  equal(
    (await deliver("organization.created", { ...clerkEvents.organization(orgId), name: "New", updated_at: now }))
      .body.outcome,
    "applied",
  );
  const stale = await deliver("organization.updated", {
    ...clerkEvents.organization(orgId),
    name: "Old",
    updated_at: now - 60_000,
  });
  equal(stale.status, 200);
  equal(stale.body.outcome, "ignored");
  const userId = uniqueId("user");
  equal((await deliver("user.created", { ...clerkEvents.user(userId), updated_at: now })).body.outcome, "applied");
  equal(
    (await deliver("user.updated", { ...clerkEvents.user(userId), first_name: "Old", updated_at: now - 1000 })).body
      .outcome,
    "ignored",
  );
  equal((await deliver("user.deleted", { id: userId })).body.outcome, "applied");
  equal((await deliver("user.deleted", { id: userId })).body.outcome, "ignored", "a second deletion is ignored");
  await withDb(async (sql) => {
    const [o] = await sql`select name from public.organizations where clerk_org_id = ${orgId}`;
    equal(o.name, "New");
  });
});

Deno.test("webhook: an id that cannot be stored is a 400 naming it, not a 500", async () => {
  const result = await deliver("user.created", { ...clerkEvents.user("user_x"), id: `user${NUL}x` });
  equal(result.status, 400, JSON.stringify(result.body));
  equal(result.body.error.details.field, "data.id");
});
