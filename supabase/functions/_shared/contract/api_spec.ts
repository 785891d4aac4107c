/**
 * Every endpoint in one list: method, auth, inputs and answers as the same zod schemas the functions
 * validate with. The OpenAPI document and the typed frontend client are generated from it, so they cannot
 * drift from the code; a test fails when a function folder is missing here.
 */
import { z } from "zod";
import { ErrorCode } from "../core/errors.ts";
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

/** One endpoint (one edge function). */
export interface Endpoint {
  name: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  summary: string;
  description?: string;
  auth: AuthScheme;
  query?: z.ZodType;
  body?: z.ZodType;
  /** A multipart/form-data body (uploads), described as fields. */
  multipart?: Record<string, { type: "string" | "binary"; description: string }>;
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
    summary: "Is the service up",
    auth: "none",
    success: {
      status: 200,
      description: "The database answers",
      schema: z.object({ status: z.literal("ok"), database: z.literal("ok"), time: z.string() }),
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
      description: "Applied, a duplicate, or an ignored event type",
      schema: z.object({ received: z.literal(true), outcome: z.enum(["applied", "duplicate", "ignored"]) }),
    },
    errors: [400, 401, 413],
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
      schema: z.object({ accepted: z.literal(true), started: z.boolean() }),
    },
    errors: [401],
    tag: "Jobs",
  },
  {
    name: "materials-upload",
    method: "POST",
    summary: "Upload a document (PDF, DOCX, PPTX, XLSX; 10 MB each, 50 MB per team)",
    auth: "clerk",
    multipart: {
      team_id: { type: "string", description: "The team (uuid)" },
      file: { type: "binary", description: "The document; its type is read from the bytes" },
    },
    success: {
      status: 201,
      description: "The material, processing; it becomes ready (or failed, with a reason) through a job",
      schema: z.object({ material: Material }),
    },
    errors: [400, 401, 404, 413, 415, 422],
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
    errors: [400, 401, 404, 409],
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
