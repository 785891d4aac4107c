/**
 * The Clerk webhook: Svix signatures checked on the raw body, then users, organizations and memberships
 * applied idempotently (the same svix-id twice changes nothing; late events never resurrect deleted rows).
 */
import { Webhook, WebhookVerificationError } from "svix";
import { z } from "zod";
import { defineSettings } from "../core/config.ts";
import { asService, type Transaction } from "../db/connection.ts";
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

/** A Clerk id: we cannot change one to make it storable, so a malformed id is refused (400). */
const clerkId = () =>
  // deno-lint-ignore no-control-regex
  z.string().min(1).max(200).regex(/^[^\u0000-\u001f\u007f]+$/, { message: "Must not contain control characters" });

const Event = z.object({
  type: z.string().min(1).max(100),
  timestamp: z.number().optional(),
  data: z.record(z.string(), z.unknown()),
});

const UserData = z.object({
  id: clerkId(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  username: z.string().nullish(),
  primary_email_address_id: z.string().nullish(),
  email_addresses: z.array(z.object({ id: z.string(), email_address: z.string() })).nullish(),
  updated_at: z.number().nullish(),
});

const OrganizationData = z.object({
  id: clerkId(),
  name: z.string().nullish(),
  public_metadata: z.record(z.string(), z.unknown()).nullish(),
  updated_at: z.number().nullish(),
});

const DeletedData = z.object({ id: clerkId() });

const MembershipData = z.object({
  role: z.string().nullish(),
  organization: z.object({ id: clerkId() }),
  public_user_data: z.object({ user_id: clerkId() }),
  updated_at: z.number().nullish(),
});

/** A change made to an event's value so that it can be stored, reported in the log and the response. */
export interface Adjustment {
  field: string;
  change: string;
}

/**
 * Makes a text storable: drops control characters (Postgres cannot store NUL), normalizes to NFC, trims and
 * cuts to `max` characters, noting each change.
 */
export function storableText(
  value: string | null | undefined,
  max: number,
  field: string,
  adjustments: Adjustment[],
): string | null {
  if (value === null || value === undefined) return null;
  // deno-lint-ignore no-control-regex
  let text = value.replace(/[\u0000-\u001f\u007f]/g, "");
  if (text !== value) adjustments.push({ field, change: "control characters removed" });
  text = text.normalize("NFC").trim();
  const chars = [...text];
  if (chars.length > max) {
    text = chars.slice(0, max).join("").trim();
    adjustments.push({ field, change: `cut to ${max} characters (was ${chars.length})` });
  }
  return text;
}

/** Clerk times are milliseconds; one in the future (beyond a minute of clock skew) is clamped to now. */
function clampTime(value: number | null | undefined, field: string, adjustments: Adjustment[]): number | null {
  if (value === null || value === undefined) return null;
  const now = Date.now();
  if (!Number.isFinite(value) || value < 0) {
    adjustments.push({ field, change: "not a time: ignored" });
    return null;
  }
  if (value > now + 60_000) {
    adjustments.push({ field, change: "in the future: clamped to now" });
    return now;
  }
  return Math.floor(value);
}

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
    const issue = parsed.error.issues[0];
    const field = `data.${issue.path.join(".")}`;
    throw new ApiError(ErrorCode.invalidInput, `The ${type} event has an invalid ${field}: ${issue.message}`, {
      field,
    });
  }
  return parsed.data;
}

/** When the change happened: the object's updated_at, else the event's timestamp, else when Svix sent it. */
function eventTime(delivery: VerifiedDelivery, adjustments: Adjustment[], updatedAt?: number | null): Date {
  const updated = clampTime(updatedAt, "data.updated_at", adjustments);
  const sent = clampTime(delivery.sentAt.getTime(), "svix-timestamp", adjustments) ?? Date.now();
  return new Date(updated ?? clampTime(delivery.event.timestamp, "timestamp", adjustments) ?? sent);
}

function displayName(user: z.infer<typeof UserData>, adjustments: Adjustment[]): string | null {
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ");
  return storableText(name.trim() ? name : user.username, 200, "data.name", adjustments) || null;
}

function primaryEmail(user: z.infer<typeof UserData>, adjustments: Adjustment[]): string | null {
  const email = user.email_addresses?.find((e) => e.id === user.primary_email_address_id)?.email_address ?? null;
  const cleaned = storableText(email, 1000, "data.email_addresses", adjustments);
  if (cleaned !== null && [...cleaned].length > 320) {
    adjustments.push({ field: "data.email_addresses", change: "longer than 320 characters: not stored" });
    return null;
  }
  return cleaned || null;
}

/** What applying a delivery did: applied, a duplicate svix-id, or ignored (an unknown type or a stale event). */
export type DeliveryOutcome = "applied" | "duplicate" | "ignored";

/** The outcome and any changes made to store the event. */
export interface DeliveryResult {
  outcome: DeliveryOutcome;
  adjustments: Adjustment[];
}

/** Whether the row now carries this event's time (an upsert skips stale events silently). */
async function carriesEvent(tx: Transaction, table: "users" | "organizations", clerkId: string, at: Date) {
  const column = table === "users" ? "clerk_user_id" : "clerk_org_id";
  const [row] = await tx.unsafe<{ applied: boolean }[]>(
    `select deleted_at is null and clerk_event_at = $2 as applied from public.${table} where ${column} = $1`,
    [clerkId, at],
  );
  return row?.applied === true;
}

/** Whether the row exists and is already deleted (a second deletion changes nothing). */
async function alreadyDeleted(tx: Transaction, table: "users" | "organizations", clerkId: string) {
  const column = table === "users" ? "clerk_user_id" : "clerk_org_id";
  const [row] = await tx.unsafe<{ deleted: boolean }[]>(
    `select deleted_at is not null as deleted from public.${table} where ${column} = $1`,
    [clerkId],
  );
  return row?.deleted === true;
}

/** Applies a verified delivery in one transaction with its svix-id, so a failure is retried whole. */
export async function applyDelivery(delivery: VerifiedDelivery): Promise<DeliveryResult> {
  const { data } = delivery.event;
  const adjustments: Adjustment[] = [];
  const type = storableText(delivery.event.type, 100, "type", adjustments) ?? "";
  const outcome = await mapDatabaseErrors(() =>
    asService(async (tx): Promise<DeliveryOutcome> => {
      const [{ first }] = await tx`select public.record_webhook_event(${delivery.svixId}, ${type}) as first`;
      if (!first) return "duplicate";
      switch (type) {
        case "user.created":
        case "user.updated": {
          const user = parseData(UserData, data, type);
          const at = eventTime(delivery, adjustments, user.updated_at);
          await tx`select public.clerk_upsert_user(${user.id}, ${primaryEmail(user, adjustments)},
                    ${displayName(user, adjustments)}, ${at})`;
          return await carriesEvent(tx, "users", user.id, at) ? "applied" : "ignored";
        }
        case "user.deleted": {
          const { id } = parseData(DeletedData, data, type);
          if (await alreadyDeleted(tx, "users", id)) return "ignored";
          await tx`select public.clerk_delete_user(${id}, ${eventTime(delivery, adjustments)})`;
          return "applied";
        }
        case "organization.created":
        case "organization.updated": {
          const org = parseData(OrganizationData, data, type);
          const plan = org.public_metadata?.plan === "paid" ? "paid" : "free";
          const at = eventTime(delivery, adjustments, org.updated_at);
          await tx`select public.clerk_upsert_organization(${org.id},
                    ${storableText(org.name, 200, "data.name", adjustments) ?? ""}, ${plan}, ${at})`;
          return await carriesEvent(tx, "organizations", org.id, at) ? "applied" : "ignored";
        }
        case "organization.deleted": {
          const { id } = parseData(DeletedData, data, type);
          if (await alreadyDeleted(tx, "organizations", id)) return "ignored";
          await tx`select public.clerk_delete_organization(${id}, ${eventTime(delivery, adjustments)})`;
          return "applied";
        }
        case "organizationMembership.created":
        case "organizationMembership.updated":
        case "organizationMembership.deleted": {
          const membership = parseData(MembershipData, data, type);
          const deleted = type === "organizationMembership.deleted";
          // A removal is dated by the event (its data still carries the last update's time), so a creation
          // arriving late never outranks it.
          const at = deleted
            ? eventTime(delivery, adjustments)
            : eventTime(delivery, adjustments, membership.updated_at);
          const role = storableText(membership.role, 100, "data.role", adjustments) ?? "org:member";
          const [{ applied }] = await tx<{ applied: boolean }[]>`
            select public.clerk_upsert_membership(${membership.organization.id},
              ${membership.public_user_data.user_id}, ${role}, ${at}, ${deleted}) as applied`;
          return applied ? "applied" : "ignored";
        }
        default:
          return "ignored";
      }
    })
  );
  return { outcome, adjustments };
}
