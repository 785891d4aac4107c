/**
 * The API's request and response shapes, as zod schemas: the functions validate with them, and the
 * OpenAPI document is generated from them.
 */
import { z } from "zod";
import { ActivityContent, ActivityStep, WorkMode } from "./activity.ts";

// The activity content schema (validated AI output) is published as is: one source for server and clients.
export { ActivityContent, ActivityStep, WorkMode };

const id = () => z.uuid({ message: "Must be a UUID" });
const text = (max: number) => z.string().trim().min(1, { message: "Must not be empty" }).max(max);
const textList = z.array(text(200)).max(20);

/** A team's profile, which prompts use to shape activities. */
export const TeamProfile = z.strictObject({
  size: z.number().int().min(1).max(10_000),
  work_mode: WorkMode,
  industry: text(120).nullable().optional(),
  goals: textList.optional(),
  interests: textList.optional(),
  notes: z.string().max(2000).nullable().optional(),
});

/** POST teams-create. */
export const CreateTeamInput = z.strictObject({
  name: text(120),
  profile: TeamProfile,
  organization_id: id().optional(),
});

/** GET teams-list and quota-status. */
export const OrganizationQuery = z.strictObject({
  organization_id: id().optional(),
});

/** PATCH teams-update: fields present replace the stored ones; null clears an optional one (lists to empty). */
export const UpdateTeamInput = z.strictObject({
  team_id: id(),
  name: text(120).optional(),
  profile: TeamProfile.extend({ goals: textList.nullable(), interests: textList.nullable() }).partial().optional(),
}).refine((input) => input.name !== undefined || input.profile !== undefined, {
  message: "Send name or profile",
  path: ["name"],
});

/** DELETE teams-delete. */
export const DeleteTeamInput = z.strictObject({ team_id: id() });

/** A team, as every endpoint returns it. */
export const Team = z.object({
  id: z.uuid(),
  organization_id: z.uuid(),
  name: z.string(),
  profile: z.object({
    size: z.number().int(),
    work_mode: WorkMode,
    industry: z.string().nullable(),
    goals: z.array(z.string()),
    interests: z.array(z.string()),
    notes: z.string().nullable(),
  }),
  created_at: z.string(),
  updated_at: z.string(),
});

/** Catalog categories. */
export const ActivityCategory = z.enum([
  "icebreaker",
  "communication",
  "problem_solving",
  "creativity",
  "trust",
  "remote_friendly",
  "wellbeing",
  "strategy",
]);

const minutes = z.coerce.number({ message: "Must be a number of minutes" }).int().min(5).max(480);

/** GET public-activities-list. */
export const PublicActivitiesQuery = z.strictObject({
  category: ActivityCategory.optional(),
  work_mode: WorkMode.optional(),
  min_duration: minutes.optional(),
  max_duration: minutes.optional(),
  group_size: z.coerce.number({ message: "Must be a number" }).int().min(2).max(500).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  limit: z.coerce.number({ message: "Must be a number" }).int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
}).refine((q) => q.min_duration === undefined || q.max_duration === undefined || q.min_duration <= q.max_duration, {
  message: "Must not be above max_duration",
  path: ["min_duration"],
});

/** A catalog activity. */
export const PublicActivity = z.object({
  id: z.uuid(),
  slug: z.string(),
  title: z.string(),
  summary: z.string(),
  category: ActivityCategory,
  duration_minutes: z.number().int(),
  min_group_size: z.number().int(),
  max_group_size: z.number().int(),
  work_modes: z.array(WorkMode),
  objectives: z.array(z.string()),
  materials: z.array(z.string()),
  preparation: z.string(),
  steps: z.array(z.string()),
  facilitation_tips: z.array(z.string()),
  debrief_questions: z.array(z.string()),
  tags: z.array(z.string()),
});

/** An organization as responses show it: our id and Clerk's. */
export const Organization = z.object({
  id: z.uuid(),
  clerk_org_id: z.string(),
  name: z.string(),
  plan: z.enum(["free", "paid"]),
});

/** One feature's quota for the current calendar month (UTC). */
export const Quota = z.object({
  feature: z.enum(["customization", "custom_generation", "material_summary"]),
  limit: z.number().int(),
  used: z.number().int(),
  reserved: z.number().int(),
  remaining: z.number().int(),
  resets_at: z.string(),
});

/**
 * An organization as the original API's bodies name it beside a team: our uuid or Clerk's id (`org_...`).
 * Optional; when sent it must be the session's active organization (403 otherwise).
 */
export const OrganizationRef = z.string().trim().min(1, { message: "Must not be empty" }).max(100)
  .describe("The session's active organization (our uuid or Clerk's org_... id); optional, checked, never switched");

/** POST activities-customize. */
export const CustomizeActivityInput = z.strictObject({
  team_id: id(),
  organization_id: OrganizationRef.optional(),
  public_activity_id: id(),
  duration_minutes: z.number().int().min(5).max(480).optional(),
  notes: z.string().trim().min(1).max(2000).optional(),
});

/** POST activities-generate-custom. */
export const GenerateActivitiesInput = z.strictObject({
  team_id: id(),
  organization_id: OrganizationRef.optional(),
  requirements: z.string().trim().min(10, { message: "Describe what the team needs in at least 10 characters" })
    .max(4000),
  material_ids: z.array(id()).max(20).optional(),
});

/** Where a team activity came from, and where it stands. */
export const ActivitySource = z.enum(["customized", "generated"]);
export const ActivityStatus = z.enum(["suggested", "planned", "completed", "archived"]);

/** GET activities-list. */
export const ActivitiesQuery = z.strictObject({
  team_id: id(),
  status: ActivityStatus.optional(),
  source: ActivitySource.optional(),
});

/** PATCH activities-update-status. */
export const UpdateActivityStatusInput = z.strictObject({
  activity_id: id(),
  status: ActivityStatus,
});

/** GET jobs-get. */
export const JobQuery = z.strictObject({ job_id: id() });

/** GET jobs-list. */
export const JobsQuery = z.strictObject({
  team_id: id(),
  status: z.enum(["queued", "running", "succeeded", "failed", "dead", "cancelled"]).optional(),
});

/** A team activity: the validated content plus where it came from. */
export const TeamActivity = z.object({
  id: z.uuid(),
  team_id: z.uuid(),
  organization_id: z.uuid(),
  source: ActivitySource,
  status: ActivityStatus,
  title: z.string(),
  content: ActivityContent,
  model: z.string(),
  public_activity_id: z.uuid().nullable(),
  job_id: z.uuid().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** Where a job stands: `{}` until a worker starts it, `{stage: "done", percent: 100}` once it succeeded. */
export const JobProgress = z.object({
  stage: z.string().optional(),
  percent: z.number().int().min(0).max(100).optional(),
});

/** What a succeeded job produced: a generation's activity ids, or the processed material's id. */
export const JobResult = z.object({
  activity_ids: z.array(z.uuid()).optional(),
  material_id: z.uuid().optional(),
});

/** A job as the frontend polls it. */
export const Job = z.object({
  id: z.uuid(),
  kind: z.enum(["generate_activities", "process_material"]),
  team_id: z.uuid(),
  status: z.enum(["queued", "running", "succeeded", "failed", "dead", "cancelled"]),
  attempts: z.number().int(),
  max_attempts: z.number().int(),
  progress: JobProgress,
  error: z.string().nullable(),
  result: JobResult.nullable(),
  run_after: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  finished_at: z.string().nullable(),
});

/** GET materials-list. */
export const MaterialsQuery = z.strictObject({ team_id: id() });

/** DELETE materials-delete and GET materials-download. */
export const MaterialInput = z.strictObject({ material_id: id() });

/** A team's uploaded document: metadata, processing status and summary (the extracted text stays inside). */
export const Material = z.object({
  id: z.uuid(),
  team_id: z.uuid(),
  organization_id: z.uuid(),
  filename: z.string(),
  mime_type: z.string(),
  size_bytes: z.number().int(),
  sha256: z.string().nullable(),
  format: z.enum(["pdf", "docx", "pptx", "xlsx"]).nullable(),
  status: z.enum(["uploading", "processing", "ready", "failed"]),
  summary: z.string().nullable(),
  key_points: z.array(z.string()),
  extracted_chars: z.number().int().nullable(),
  extracted_truncated: z.boolean(),
  error: z.string().nullable(),
  job_id: z.uuid().nullable(),
  /** Its processing job: attempts spent, when it tries again and why the last try failed. */
  processing: z.object({
    status: z.string(),
    attempts: z.number().int(),
    max_attempts: z.number().int(),
    deferrals: z.number().int(),
    retry_at: z.string().nullable(),
    last_error: z.string().nullable(),
  }).nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** What the AI returns when it summarizes a document. */
export const MaterialSummary = z.strictObject({
  summary: z.string().trim().min(1).max(4000),
  key_points: z.array(z.string().trim().min(1).max(400)).max(10),
});
