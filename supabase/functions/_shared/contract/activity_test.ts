import { deepEqual, equal, ok } from "node:assert/strict";
import { ActivityContent, GeneratedActivities, normalizeActivity, strictJsonSchema } from "./activity.ts";

const activity = {
  title: "Constellation check-in",
  summary: "People place themselves on an imaginary map of the room to show where they stand on a question.",
  duration_minutes: 20,
  group_size: { min: 4, max: 30 },
  work_mode: "hybrid",
  objectives: ["See the spread of opinions"],
  materials: [],
  preparation: ["Write three statements"],
  steps: [
    { number: 3, instruction: "Read the first statement", duration_minutes: 2 },
    { number: 3, instruction: "Everyone moves", duration_minutes: 3 },
    { number: 9, instruction: "Ask a few people why they stand there", duration_minutes: 10 },
  ],
  facilitation_tips: ["Go first yourself"],
  variations: [],
  debrief_questions: ["What surprised you?", "Where do we agree?"],
  accessibility_notes: ["Remote people use a shared whiteboard instead of moving"],
  why_it_fits: "The team is hybrid and wants to hear quieter voices.",
};

Deno.test("a complete activity validates; steps are renumbered in order", () => {
  const parsed = ActivityContent.parse(activity);
  deepEqual(normalizeActivity(parsed).steps.map((s) => s.number), [1, 2, 3]);
});

Deno.test("an activity missing parts, or with min above max, is refused", () => {
  ok(!ActivityContent.safeParse({ ...activity, steps: activity.steps.slice(0, 2) }).success);
  ok(!ActivityContent.safeParse({ ...activity, debrief_questions: ["Only one?"] }).success);
  ok(!ActivityContent.safeParse({ ...activity, group_size: { min: 10, max: 4 } }).success);
  ok(!ActivityContent.safeParse({ ...activity, work_mode: "anywhere" }).success);
  ok(!ActivityContent.safeParse({ ...activity, extra: true }).success);
  ok(!GeneratedActivities.safeParse({ activities: [activity, activity] }).success);
  ok(GeneratedActivities.safeParse({ activities: [activity, activity, activity] }).success);
});

Deno.test("the JSON Schema for strict structured outputs closes every object and requires every property", () => {
  // deno-lint-ignore no-explicit-any
  const schema = strictJsonSchema(GeneratedActivities) as Record<string, any>;
  equal(schema.additionalProperties, false);
  deepEqual(schema.required, ["activities"]);
  const item = schema.properties.activities.items;
  equal(schema.properties.activities.minItems, 3);
  equal(item.additionalProperties, false);
  deepEqual(new Set(item.required), new Set(Object.keys(item.properties)));
  equal(item.properties.steps.items.additionalProperties, false);
  ok(!JSON.stringify(schema).includes("minLength"), "keywords strict mode refuses are stripped");
  equal(strictJsonSchema(GeneratedActivities), schema, "built once per schema");
});
