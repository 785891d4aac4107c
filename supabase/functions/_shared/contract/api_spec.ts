/**
 * Every endpoint in one list: method, auth, inputs and answers as the same zod schemas the functions
 * validate with. The OpenAPI document and the typed frontend client are generated from it, so they cannot
 * drift from the code; a test fails when a function folder is missing here.
 */
import { z } from "zod";
import { ErrorCode } from "../core/errors.ts";
import { HealthOk } from "./health.ts";
import {
  ActivitiesQuery,
  CreateTeamInput,
  CustomizeActivityInput,
  DeleteTeamInput,
  GenerateActivitiesInput,
  Job,
  JobQuery,
  JobsQuery,
  Material,
  MaterialInput,
  MaterialsQuery,
  Organization,
  OrganizationQuery,
  PublicActivitiesQuery,
  PublicActivity,
  Quota,
  Team,
  TeamActivity,
  UpdateActivityStatusInput,
  UpdateTeamInput,
} from "./schemas.ts";

/** How a caller proves who it is. */
export type AuthScheme = "clerk" | "worker_secret" | "svix" | "none";

/** One operation of an edge function (most functions have exactly one). */
export interface Endpoint {
  name: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** The operation id and client method when a function has more than one (default: camelCase of name). */
  operationId?: string;
  /** A path under the function (`/redoc`), for a second view served by the same function. */
  subpath?: string;
  summary: string;
  description?: string;
  auth: AuthScheme;
  query?: z.ZodType;
  body?: z.ZodType;
  /** A multipart/form-data body (uploads), described as fields. */
  multipart?: Record<string, { type: "string" | "binary"; description: string; optional?: boolean }>;
  idempotencyKey?: boolean;
  success: { status: number; description: string; schema: z.ZodType };
  /** The error statuses this endpoint can answer, besides 405 and 500. */
  errors: number[];
  tag: string;
}

/** The shared error body. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(Object.values(ErrorCode) as [string, ...string[]]),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

const QuotaShort = Quota.omit({ feature: true, reserved: true });

/** The API. */
export const ENDPOINTS: Endpoint[] = [
  {
    name: "health",
    method: "GET",
    summary: "Is every part the product needs in place",
    description: "Checks the database, pg_net, the cron schedules, the Vault entries the database uses to call " +
      "the worker, the materials bucket and the AI key; each check has `ok` and a `detail` in words.",
    auth: "none",
    success: {
      status: 200,
      description: "Every check passed",
      schema: HealthOk,
    },
    errors: [503],
    tag: "Service",
  },
  {
    name: "clerk-webhook",
    method: "POST",
    summary: "Clerk events (users, organizations, memberships)",
    description: "Called by Clerk through Svix. The same svix-id twice changes nothing.",
    auth: "svix",
    body: z.object({ type: z.string(), data: z.record(z.string(), z.unknown()), timestamp: z.number().optional() }),
    success: {
      status: 200,
      description:
        "Applied, a duplicate, or ignored (an unknown event type or a stale event); `adjusted` names values stored cleaned, cut or clamped",
      schema: z.object({
        received: z.literal(true),
        outcome: z.enum(["applied", "duplicate", "ignored"]),
        adjusted: z.array(z.object({ field: z.string(), change: z.string() })).optional(),
      }),
    },
    errors: [400, 401, 413],
    tag: "Identity",
  },
  {
    name: "clerk-webhook",
    method: "GET",
    operationId: "clerkWebhookStatus",
    summary: "Whether the webhook can verify Clerk's deliveries (its signing secret is set)",
    description: "As the original API's /api/webhooks/clerk/health: 200 when deliveries can be verified, 503 when " +
      "CLERK_WEBHOOK_SIGNING_SECRET is missing.",
    auth: "none",
    success: {
      status: 200,
      description: "Ready to receive Clerk's events",
      schema: z.object({ status: z.literal("ok"), signing_secret_configured: z.literal(true) }),
    },
    errors: [503],
    tag: "Identity",
  },
  {
    name: "teams-create",
    method: "POST",
    summary: "Create a team",
    auth: "clerk",
    body: CreateTeamInput,
    success: { status: 201, description: "The team", schema: z.object({ team: Team }) },
    errors: [400, 401, 403, 404, 413],
    tag: "Teams",
  },
  {
    name: "teams-list",
    method: "GET",
    summary: "List an organization's teams",
    auth: "clerk",
    query: OrganizationQuery,
    success: { status: 200, description: "The teams, oldest first", schema: z.object({ teams: z.array(Team) }) },
    errors: [400, 401, 403, 404],
    tag: "Teams",
  },
  {
    name: "teams-update",
    method: "PATCH",
    summary: "Rename a team or change its profile",
    auth: "clerk",
    body: UpdateTeamInput,
    success: { status: 200, description: "The team", schema: z.object({ team: Team }) },
    errors: [400, 401, 404, 413],
    tag: "Teams",
  },
  {
    name: "teams-delete",
    method: "DELETE",
    summary: "Delete a team with its activities, jobs and materials (admins only)",
    auth: "clerk",
    body: DeleteTeamInput,
    success: {
      status: 200,
      description: "Deleted",
      schema: z.object({ deleted: z.literal(true), team_id: z.uuid(), removed_files: z.number().int() }),
    },
    errors: [400, 401, 403, 404],
    tag: "Teams",
  },
  {
    name: "public-activities-list",
    method: "GET",
    summary: "Browse the activity catalog",
    auth: "clerk",
    query: PublicActivitiesQuery,
    success: {
      status: 200,
      description: "One page, by title; pass next_cursor back as cursor",
      schema: z.object({ activities: z.array(PublicActivity), next_cursor: z.string().nullable() }),
    },
    errors: [400, 401],
    tag: "Catalog",
  },
  {
    name: "quota-status",
    method: "GET",
    summary: "This month's quotas",
    auth: "clerk",
    query: OrganizationQuery,
    success: {
      status: 200,
      description: "Per feature: limit, used, reserved, remaining, resets_at",
      schema: z.object({ organization: Organization, quotas: z.array(Quota) }),
    },
    errors: [400, 401, 403, 404],
    tag: "Quotas",
  },
  {
    name: "activities-customize",
    method: "POST",
    summary: "Customize a catalog activity for a team (real time, monthly quota)",
    auth: "clerk",
    body: CustomizeActivityInput,
    idempotencyKey: true,
    success: {
      status: 201,
      description: "The activity and the quota after it",
      schema: z.object({ activity: TeamActivity, quota: QuotaShort }),
    },
    errors: [400, 401, 404, 409, 413, 422, 429, 502, 503],
    tag: "Activities",
  },
  {
    name: "activities-generate-custom",
    method: "POST",
    summary: "Generate three activities from requirements and materials (paid plan; a job)",
    auth: "clerk",
    body: GenerateActivitiesInput,
    idempotencyKey: true,
    success: {
      status: 202,
      description: "The job; poll jobs-get or watch the jobs table",
      schema: z.object({ job_id: z.uuid(), status: Job.shape.status }),
    },
    errors: [400, 401, 403, 404, 409, 413, 422, 429],
    tag: "Activities",
  },
  {
    name: "activities-list",
    method: "GET",
    summary: "A team's activities",
    auth: "clerk",
    query: ActivitiesQuery,
    success: { status: 200, description: "Newest first", schema: z.object({ activities: z.array(TeamActivity) }) },
    errors: [400, 401, 404],
    tag: "Activities",
  },
  {
    name: "activities-update-status",
    method: "PATCH",
    summary: "Move an activity: suggested → planned → completed, or archived",
    auth: "clerk",
    body: UpdateActivityStatusInput,
    success: { status: 200, description: "The activity", schema: z.object({ activity: TeamActivity }) },
    errors: [400, 401, 404, 409],
    tag: "Activities",
  },
  {
    name: "jobs-get",
    method: "GET",
    summary: "A job's status and progress (and its activities once it succeeded)",
    auth: "clerk",
    query: JobQuery,
    success: {
      status: 200,
      description: "The job",
      schema: z.object({ job: Job, activities: z.array(TeamActivity).optional() }),
    },
    errors: [400, 401, 404],
    tag: "Jobs",
  },
  {
    name: "jobs-list",
    method: "GET",
    summary: "A team's jobs",
    auth: "clerk",
    query: JobsQuery,
    success: { status: 200, description: "Newest first", schema: z.object({ jobs: z.array(Job) }) },
    errors: [400, 401, 404],
    tag: "Jobs",
  },
  {
    name: "jobs-worker",
    method: "POST",
    summary: "Wake the worker (called by the database through pg_net)",
    auth: "worker_secret",
    success: {
      status: 202,
      description: "Accepted; due jobs are processed in the background",
      schema: z.object({
        accepted: z.literal(true),
        started: z.boolean(),
        /**
         * Why no drain started (`draining`: one already runs; `budget_spent`: the wall-clock budget;
         * `cpu_budget_spent`: the CPU budget, the wake-up is passed on; `shutting_down`), or null.
         */
        reason: z.string().nullable(),
        /** The worker instance that answered. */
        worker: z.string(),
      }),
    },
    errors: [401],
    tag: "Jobs",
  },
  {
    name: "materials-upload",
    method: "POST",
    summary: "Upload a document (PDF, DOCX, PPTX, XLSX; 10 MB each, 50 MB per team)",
    description:
      "The caller's membership, the team when the URL names it (`?team_id=`, which must agree with the form's) and the declared Content-Length are checked before the body is read. One `file` part only.",
    auth: "clerk",
    multipart: {
      team_id: { type: "string", description: "The team (uuid)" },
      organization_id: {
        type: "string",
        description: "Optional: the session's active organization (our uuid or Clerk's org_... id); another " +
          "organization is refused with 403",
        optional: true,
      },
      file: { type: "binary", description: "The document; its type is read from the bytes" },
    },
    success: {
      status: 201,
      description:
        "The material, processing; it becomes ready (or failed, with a reason) through a job. The same file already summarized in the organization is ready at once (no AI call, no material_summary unit)",
      schema: z.object({ material: Material }),
    },
    errors: [400, 401, 403, 404, 413, 415, 422, 429],
    tag: "Materials",
  },
  {
    name: "materials-list",
    method: "GET",
    summary: "A team's materials",
    auth: "clerk",
    query: MaterialsQuery,
    success: { status: 200, description: "Newest first", schema: z.object({ materials: z.array(Material) }) },
    errors: [400, 401, 404],
    tag: "Materials",
  },
  {
    name: "materials-download",
    method: "GET",
    summary: "A signed URL to download a material (valid 60 s)",
    auth: "clerk",
    query: MaterialInput,
    success: {
      status: 200,
      description: "The URL",
      schema: z.object({ url: z.string(), expires_in: z.number().int(), filename: z.string() }),
    },
    errors: [400, 401, 404],
    tag: "Materials",
  },
  {
    name: "materials-retry",
    method: "POST",
    summary: "Process a failed material again (its summary or extraction failed)",
    auth: "clerk",
    body: MaterialInput,
    success: {
      status: 202,
      description: "Queued again; the material is processing",
      schema: z.object({ material: Material }),
    },
    errors: [400, 401, 404, 409, 429],
    tag: "Materials",
  },
  {
    name: "materials-delete",
    method: "DELETE",
    summary: "Delete a material (its file, row and reserved bytes; cancels its pending job)",
    auth: "clerk",
    body: MaterialInput,
    success: {
      status: 200,
      description: "Deleted",
      schema: z.object({ deleted: z.literal(true), material_id: z.uuid() }),
    },
    errors: [400, 401, 404],
    tag: "Materials",
  },
];
