/** Clerk, as tests meet it: session tokens from the local issuer and Svix-signed webhook deliveries. */
import {
  mintSessionToken,
  type SessionTokenOptions,
  signClerkDelivery,
  type SignedDelivery,
} from "../../scripts/local_stack/clerk/issuer.ts";
import { stackStatus } from "./stack.ts";

/** A session token for a user, signed by the test stack's issuer. */
export async function sessionToken(
  userId: string,
  options: Omit<SessionTokenOptions, "userId" | "issuer"> & { issuer?: string } = {},
): Promise<string> {
  const status = stackStatus();
  return await mintSessionToken(status.data_dir, { issuer: status.clerk_issuer, ...options, userId });
}

/** A unique suffix for Clerk-like ids. */
export function uniqueId(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;
}

/** One webhook delivery: the body and Svix's headers, signed with the stack's secret (or another). */
export function signedDelivery(
  event: { type: string; data: Record<string, unknown>; timestamp?: number },
  options: { svixId?: string; sentAt?: Date; secret?: string } = {},
): SignedDelivery {
  return signClerkDelivery(
    options.secret ?? stackStatus().clerk_webhook_secret,
    { object: "event", timestamp: Date.now(), ...event },
    { svixId: options.svixId ?? uniqueId("msg"), sentAt: options.sentAt },
  );
}

/** Posts a delivery to the clerk-webhook function as Clerk would (no user token). */
export async function postDelivery(delivery: SignedDelivery): Promise<Response> {
  return await fetch(`${stackStatus().api_url}/functions/v1/clerk-webhook`, {
    method: "POST",
    headers: delivery.headers,
    body: delivery.body,
  });
}

/** Sends one signed event and fails unless it was accepted. */
export async function sendEvent(type: string, data: Record<string, unknown>): Promise<void> {
  const response = await postDelivery(signedDelivery({ type, data }));
  const text = await response.text();
  if (response.status !== 200) throw new Error(`clerk-webhook answered ${response.status}: ${text}`);
}

/** Clerk's event payloads, reduced to what we read. */
export const clerkEvents = {
  user: (id: string, email = `${id}@example.com`) => ({
    id,
    first_name: "Test",
    last_name: id.slice(-6),
    primary_email_address_id: `idn_${id}`,
    email_addresses: [{ id: `idn_${id}`, email_address: email }],
    updated_at: Date.now(),
  }),
  organization: (id: string, plan: "free" | "paid" = "free") => ({
    id,
    name: `Org ${id.slice(-6)}`,
    public_metadata: plan === "paid" ? { plan: "paid" } : {},
    updated_at: Date.now(),
  }),
  membership: (orgId: string, userId: string, role: "org:admin" | "org:member" = "org:member") => ({
    id: uniqueId("orgmem"),
    role,
    organization: { id: orgId },
    public_user_data: { user_id: userId },
    updated_at: Date.now(),
  }),
};

/** A member of an organization, with a session token whose active organization is it. */
export interface TestMember {
  userId: string;
  token: string;
}

/** An organization made through signed webhooks, with an admin and a member. */
export interface TestOrganization {
  clerkOrgId: string;
  admin: TestMember;
  member: TestMember;
}

/** Creates an organization, an admin and a member through the Clerk webhook, as production would. */
export async function createOrganization(plan: "free" | "paid" = "free"): Promise<TestOrganization> {
  const clerkOrgId = uniqueId("org");
  const adminId = uniqueId("user");
  const memberId = uniqueId("user");
  await sendEvent("organization.created", clerkEvents.organization(clerkOrgId, plan));
  await sendEvent("user.created", clerkEvents.user(adminId));
  await sendEvent("user.created", clerkEvents.user(memberId));
  await sendEvent("organizationMembership.created", clerkEvents.membership(clerkOrgId, adminId, "org:admin"));
  await sendEvent("organizationMembership.created", clerkEvents.membership(clerkOrgId, memberId, "org:member"));
  return {
    clerkOrgId,
    admin: { userId: adminId, token: await sessionToken(adminId, { orgId: clerkOrgId, orgRole: "admin" }) },
    member: { userId: memberId, token: await sessionToken(memberId, { orgId: clerkOrgId, orgRole: "member" }) },
  };
}
