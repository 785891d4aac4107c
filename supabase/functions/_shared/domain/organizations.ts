/** Which organization a request acts in: the one it names, or the session's active one. */
import type { Caller } from "../http/auth.ts";
import type { Transaction } from "../db/connection.ts";
import { ApiError, ErrorCode } from "../core/errors.ts";

/** An organization the caller belongs to. */
export interface OrganizationRow {
  id: string;
  clerk_org_id: string;
  name: string;
  plan: "free" | "paid";
}

/**
 * Resolves the organization inside a user transaction, so RLS decides: an id the caller cannot see is
 * "not found", whether it exists or not; without an id, the session's active organization (Clerk id).
 */
export async function resolveOrganization(
  tx: Transaction,
  caller: Caller,
  organizationId?: string,
): Promise<OrganizationRow> {
  if (organizationId) {
    const [org] = await tx<OrganizationRow[]>`
      select id, clerk_org_id, name, plan from public.organizations
      where id = ${organizationId} and deleted_at is null`;
    if (!org) throw new ApiError(ErrorCode.notFound, "No such organization", { resource: "organization" });
    return org;
  }
  if (!caller.orgId) {
    throw new ApiError(
      ErrorCode.invalidInput,
      "Choose an organization: send organization_id or make an organization active in the session",
      { field: "organization_id" },
    );
  }
  const [org] = await tx<OrganizationRow[]>`
    select id, clerk_org_id, name, plan from public.organizations
    where clerk_org_id = ${caller.orgId} and deleted_at is null`;
  if (!org) {
    throw new ApiError(ErrorCode.forbidden, "You are not a member of the session's active organization", {
      clerk_org_id: caller.orgId,
    });
  }
  return org;
}

/** The claims a user transaction runs with (what PostgREST would set from the token). */
export function claimsOf(caller: Caller): Record<string, unknown> & { sub: string } {
  return { ...caller.claims, sub: caller.userId };
}

/**
 * Checks an `organization_id` a client sent beside a team (as the original API's bodies do): it may be our
 * uuid or Clerk's `org_...` id, and must name the session's active organization, which is the one used;
 * anything else is refused (403) rather than silently ignored. The team must belong to that organization.
 */
export async function confirmNamedOrganization(
  tx: Transaction,
  caller: Caller,
  options: { named: string | undefined; teamOrganizationId: string },
): Promise<void> {
  const named = options.named?.trim();
  if (named === undefined) return;
  const [active] = caller.orgId
    ? await tx<{ id: string; clerk_org_id: string }[]>`
        select id, clerk_org_id from public.organizations where clerk_org_id = ${caller.orgId} and deleted_at is null`
    : [];
  if (!active) {
    throw new ApiError(
      ErrorCode.forbidden,
      "organization_id must name the session's active organization, and the session has none: make the " +
        "organization active in Clerk, or leave organization_id out",
      { field: "organization_id" },
    );
  }
  if (named.toLowerCase() !== active.id && named !== active.clerk_org_id) {
    throw new ApiError(
      ErrorCode.forbidden,
      "organization_id names another organization than the session's active one: the session token's " +
        "organization is the one used; switch organizations in Clerk, or leave organization_id out",
      { field: "organization_id", active_organization_id: active.id, active_clerk_org_id: active.clerk_org_id },
    );
  }
  if (options.teamOrganizationId !== active.id) {
    throw new ApiError(ErrorCode.notFound, "No such team in the session's active organization", {
      resource: "team",
      field: "team_id",
    });
  }
}
