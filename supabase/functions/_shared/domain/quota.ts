/** Quotas as the caller sees them: per feature, for the current calendar month (UTC). */
import type { z } from "zod";
import type { Caller } from "../http/auth.ts";
import { asUser } from "../db/connection.ts";
import { claimsOf, type OrganizationRow, resolveOrganization } from "./organizations.ts";
import type { Quota } from "../contract/schemas.ts";
import { mapDatabaseErrors } from "../db/sql_errors.ts";

type QuotaJson = z.infer<typeof Quota>;

/** The organization and its quotas. */
export async function quotaStatus(
  caller: Caller,
  organizationId?: string,
): Promise<{ organization: OrganizationRow; quotas: QuotaJson[] }> {
  return await mapDatabaseErrors(() =>
    asUser(claimsOf(caller), async (tx) => {
      const organization = await resolveOrganization(tx, caller, organizationId);
      const rows = await tx<
        {
          feature: QuotaJson["feature"];
          monthly_limit: number;
          used: number;
          reserved: number;
          remaining: number;
          resets_at: Date;
        }[]
      >`select feature, monthly_limit, used, reserved, remaining, resets_at from public.quota_status(${organization.id})`;
      const quotas = rows.map((row) => ({
        feature: row.feature,
        limit: row.monthly_limit,
        used: row.used,
        reserved: row.reserved,
        remaining: row.remaining,
        resets_at: new Date(row.resets_at).toISOString(),
      }));
      return { organization, quotas };
    })
  );
}

/** A row of quota_status, as saving a customization returns it beside the activity. */
export interface QuotaRow {
  monthly_limit: number;
  used: number;
  remaining: number;
  resets_at: Date;
}

/** One feature's quota as responses show it after a customization. */
export function quotaJson(row: QuotaRow): Omit<QuotaJson, "feature" | "reserved"> {
  return {
    limit: row.monthly_limit,
    used: row.used,
    remaining: row.remaining,
    resets_at: new Date(row.resets_at).toISOString(),
  };
}
