/** The health report: what the product needs to work, each part checked and explained. */
import { z } from "zod";

/** One part: whether it works, and in words what was found (what to do when it does not). */
export const HealthCheck = z.object({ ok: z.boolean(), detail: z.string() });

/** The parts jobs and requests need, in the order a deploy sets them up. */
export const HEALTH_CHECKS = ["database", "pg_net", "cron", "worker_secrets", "storage", "ai", "clerk"] as const;

/** The name of one part. */
export type HealthCheckName = (typeof HEALTH_CHECKS)[number];

const checks = z.object(
  Object.fromEntries(HEALTH_CHECKS.map((name) => [name, HealthCheck])) as {
    [K in HealthCheckName]: typeof HealthCheck;
  },
);

/** `ok` (200) when every part works; `degraded` (503) names the parts that do not in `missing`. */
export const HealthReport = z.object({
  status: z.enum(["ok", "degraded"]),
  checks,
  missing: z.array(z.enum(HEALTH_CHECKS)),
  time: z.string(),
});

/** A health report. */
export type HealthReport = z.infer<typeof HealthReport>;

/** The 200 answer: every check passed. */
export const HealthOk = HealthReport.extend({
  status: z.literal("ok"),
  missing: z.array(z.enum(HEALTH_CHECKS)).max(0),
});

/** The 503 answer: `missing` names what is not in place. */
export const HealthDegraded = HealthReport.extend({ status: z.literal("degraded") });
