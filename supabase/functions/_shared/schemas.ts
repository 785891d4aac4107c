/**
 * The API's request and response shapes, as zod schemas: the functions validate with them, and the
 * OpenAPI document is generated from them.
 */
import { z } from "zod";

const id = () => z.uuid({ message: "Must be a UUID" });
const text = (max: number) => z.string().trim().min(1, { message: "Must not be empty" }).max(max);
const textList = z.array(text(200)).max(20);

/** How a team works. */
export const WorkMode = z.enum(["remote", "hybrid", "onsite"]);

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

/** PATCH teams-update: fields present replace the stored ones; null clears an optional one. */
export const UpdateTeamInput = z.strictObject({
  team_id: id(),
  name: text(120).optional(),
  profile: TeamProfile.partial().optional(),
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
  feature: z.enum(["customization", "custom_generation"]),
  limit: z.number().int(),
  used: z.number().int(),
  reserved: z.number().int(),
  remaining: z.number().int(),
  resets_at: z.string(),
});
