/**
 * The shape of an activity the AI writes for a team, validated with zod before anything is saved, and the
 * JSON Schema handed to the model as its structured output format.
 */
import { z } from "zod";

/** How a team works (also re-exported by schemas.ts, which names it in the OpenAPI document). */
export const WorkMode = z.enum(["remote", "hybrid", "onsite"]);

const line = (max: number) => z.string().trim().min(1).max(max);
const lines = (min: number, max: number, length = 400) => z.array(line(length)).min(min).max(max);

/** One numbered step of an activity. */
export const ActivityStep = z.strictObject({
  number: z.number().int().min(1).max(50),
  instruction: line(1200),
  duration_minutes: z.number().int().min(1).max(240),
});

/** An activity written for a team: enough to run it from the text alone. */
export const ActivityContent = z.strictObject({
  title: z.string().trim().min(3).max(120),
  summary: z.string().trim().min(20).max(1000),
  duration_minutes: z.number().int().min(5).max(480),
  group_size: z.strictObject({ min: z.number().int().min(2).max(500), max: z.number().int().min(2).max(500) }),
  work_mode: WorkMode,
  objectives: lines(1, 8),
  materials: lines(0, 15),
  preparation: lines(0, 10),
  steps: z.array(ActivityStep).min(3).max(15),
  facilitation_tips: lines(1, 8),
  variations: lines(0, 6),
  debrief_questions: lines(2, 8),
  accessibility_notes: lines(0, 6),
  why_it_fits: z.string().trim().min(10).max(1200),
}).refine((activity) => activity.group_size.min <= activity.group_size.max, {
  message: "group_size.min must not exceed group_size.max",
  path: ["group_size", "min"],
});

/** What the model returns for a custom generation: exactly three activities. */
export const GeneratedActivities = z.strictObject({
  activities: z.array(ActivityContent).length(3),
});

/** An activity as validated. */
export type ActivityContentValue = z.infer<typeof ActivityContent>;

/** Renumbers steps 1..n in order: the model's numbering is not trusted. */
export function normalizeActivity(activity: ActivityContentValue): ActivityContentValue {
  return { ...activity, steps: activity.steps.map((step, index) => ({ ...step, number: index + 1 })) };
}

// Keywords OpenAI's strict structured outputs do not accept; zod still enforces them after parsing.
const UNSUPPORTED_KEYWORDS = new Set(["$schema", "minLength", "maxLength", "pattern", "format", "default"]);

function stripUnsupported(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripUnsupported);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (!UNSUPPORTED_KEYWORDS.has(key)) out[key] = stripUnsupported(value);
  }
  if (out.type === "object" && out.properties) {
    out.additionalProperties = false;
    out.required = Object.keys(out.properties as Record<string, unknown>);
  }
  return out;
}

const strictSchemas = new WeakMap<z.ZodType, Record<string, unknown>>();

/** A zod schema as the JSON Schema of OpenAI's strict structured outputs (built once per schema). */
export function strictJsonSchema(schema: z.ZodType): Record<string, unknown> {
  let json = strictSchemas.get(schema);
  if (!json) {
    json = stripUnsupported(z.toJSONSchema(schema, { target: "draft-7", io: "output" })) as Record<string, unknown>;
    strictSchemas.set(schema, json);
  }
  return json;
}
