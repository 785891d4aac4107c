/**
 * The Clerk webhook: Svix signatures checked on the raw body, then users, organizations and memberships
 * applied idempotently (the same svix-id twice changes nothing; late events never resurrect deleted rows).
 */
import { Webhook, WebhookVerificationError } from "svix";
import { z } from "zod";
import { defineSettings } from "../core/config.ts";
import { asService } from "../db/connection.ts";
import { ApiError, ErrorCode } from "../core/errors.ts";
import { mapDatabaseErrors } from "../db/sql_errors.ts";
import { readAtMost } from "../http/validate.ts";

/** The webhook's signing secret (whsec_...). */
export const webhookSettings = defineSettings({
  CLERK_WEBHOOK_SIGNING_SECRET: z.string().startsWith("whsec_"),
});

/** The webhook's readiness, as the original API's /api/webhooks/clerk/health answered it. */
export function webhookStatus(): {
  ready: boolean;
  body: { status: "ok" | "unavailable"; signing_secret_configured: boolean };
} {
  let ready = true;
  try {
    webhookSettings();
  } catch {
    ready = false;
  }
  return { ready, body: { status: ready ? "ok" : "unavailable", signing_secret_configured: ready } };
}

/** Largest webhook body accepted (Clerk's events are a few KB). */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

let verifier: { secret: string; webhook: Webhook } | undefined;

function webhook(): Webhook {
  const secret = webhookSettings().CLERK_WEBHOOK_SIGNING_SECRET;
  if (verifier?.secret !== secret) verifier = { secret, webhook: new Webhook(secret) };
  return verifier.webhook;
}

const Event = z.object({
  type: z.string().min(1).max(100),
  timestamp: z.number().int().optional(),
  data: z.record(z.string(), z.unknown()),
});

const UserData = z.object({
  id: z.string().min(1).max(200),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  username: z.string().nullish(),
  primary_email_address_id: z.string().nullish(),
  email_addresses: z.array(z.object({ id: z.string(), email_address: z.string() })).nullish(),
  updated_at: z.number().int().nullish(),
});

const OrganizationData = z.object({
  id: z.string().min(1).max(200),
  name: z.string().max(200).nullish(),
  public_metadata: z.record(z.string(), z.unknown()).nullish(),
  updated_at: z.number().int().nullish(),
});

const DeletedData = z.object({ id: z.string().min(1).max(200) });

const MembershipData = z.object({
  role: z.string().max(100).nullish(),
  organization: z.object({ id: z.string().min(1).max(200) }),
  public_user_data: z.object({ user_id: z.string().min(1).max(200) }),
  updated_at: z.number().int().nullish(),
});

/** Svix's three headers, or a 400 naming the missing one. */
function svixHeaders(request: Request): Record<"svix-id" | "svix-timestamp" | "svix-signature", string> {
  const headers = {
    "svix-id": request.headers.get("svix-id"),
    "svix-timestamp": request.headers.get("svix-timestamp"),
    "svix-signature": request.headers.get("svix-signature"),
  };
  for (const [name, value] of Object.entries(headers)) {
    if (!value) throw new ApiError(ErrorCode.invalidInput, `Missing the ${name} header`, { field: name });
  }
  return headers as Record<keyof typeof headers, string>;
}

/** A verified webhook delivery. */
export interface VerifiedDelivery {
  svixId: string;
  sentAt: Date;
  event: z.infer<typeof Event>;
}

/** Verifies the signature and timestamp (Svix's 5 minute tolerance) of the raw body; 401 when they fail. */
export async function verifyDelivery(request: Request): Promise<VerifiedDelivery> {
  const headers = svixHeaders(request);
  const bytes = await readAtMost(
    request,
    MAX_WEBHOOK_BYTES,
    () => new ApiError(ErrorCode.payloadTooLarge, "The webhook body is too large"),
  );
  const body = new TextDecoder().decode(bytes);
  try {
    webhook().verify(body, headers);
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      throw new ApiError(ErrorCode.unauthorized, `Webhook signature rejected: ${error.message.toLowerCase()}`);
    }
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ApiError(ErrorCode.invalidInput, "The webhook body is not valid JSON", { field: "body" });
  }
  const event = Event.safeParse(parsed);
  if (!event.success) {
    throw new ApiError(ErrorCode.invalidInput, "The webhook body is not a Clerk event", { field: "type" });
  }
  return { svixId: headers["svix-id"], sentAt: new Date(Number(headers["svix-timestamp"]) * 1000), event: event.data };
}

function parseData<S extends z.ZodType>(schema: S, data: unknown, type: string): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const field = `data.${parsed.error.issues[0].path.join(".")}`;
    throw new ApiError(ErrorCode.invalidInput, `The ${type} event is missing ${field}`, { field });
  }
  return parsed.data;
}

/** When the change happened: the object's updated_at, else the event's timestamp, else when Svix sent it. */
function eventTime(delivery: VerifiedDelivery, updatedAt?: number | null): Date {
  return new Date(updatedAt ?? delivery.event.timestamp ?? delivery.sentAt.getTime());
}

function displayName(user: z.infer<typeof UserData>): string | null {
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ").trim();
  return name || user.username || null;
}

/** What applying a delivery did. */
export type DeliveryOutcome = "applied" | "duplicate" | "ignored";

/** Applies a verified delivery in one transaction with its svix-id, so a failure is retried whole. */
export async function applyDelivery(delivery: VerifiedDelivery): Promise<DeliveryOutcome> {
  const { type, data } = delivery.event;
  return await mapDatabaseErrors(() =>
    asService(async (tx) => {
      const [{ first }] = await tx`select public.record_webhook_event(${delivery.svixId}, ${type}) as first`;
      if (!first) return "duplicate";
      switch (type) {
        case "user.created":
        case "user.updated": {
          const user = parseData(UserData, data, type);
          const email = user.email_addresses?.find((e) => e.id === user.primary_email_address_id)?.email_address ??
            null;
          await tx`select public.clerk_upsert_user(${user.id}, ${email}, ${displayName(user)},
                    ${eventTime(delivery, user.updated_at)})`;
          return "applied";
        }
        case "user.deleted": {
          const { id } = parseData(DeletedData, data, type);
          await tx`select public.clerk_delete_user(${id}, ${eventTime(delivery)})`;
          return "applied";
        }
        case "organization.created":
        case "organization.updated": {
          const org = parseData(OrganizationData, data, type);
          const plan = org.public_metadata?.plan === "paid" ? "paid" : "free";
          await tx`select public.clerk_upsert_organization(${org.id}, ${org.name ?? ""}, ${plan},
                    ${eventTime(delivery, org.updated_at)})`;
          return "applied";
        }
        case "organization.deleted": {
          const { id } = parseData(DeletedData, data, type);
          await tx`select public.clerk_delete_organization(${id}, ${eventTime(delivery)})`;
          return "applied";
        }
        case "organizationMembership.created":
        case "organizationMembership.updated":
        case "organizationMembership.deleted": {
          const membership = parseData(MembershipData, data, type);
          const deleted = type === "organizationMembership.deleted";
          // A removal is dated by the event (its data still carries the last update's time), so a creation
          // arriving late never outranks it.
          const at = deleted ? eventTime(delivery) : eventTime(delivery, membership.updated_at);
          await tx`select public.clerk_upsert_membership(${membership.organization.id},
                    ${membership.public_user_data.user_id}, ${membership.role ?? "org:member"}, ${at}, ${deleted})`;
          return "applied";
        }
        default:
          return "ignored";
      }
    })
  );
}
