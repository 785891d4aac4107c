// The fake OpenAI's answers to this project's own prompts: coherent activities built from the catalog entry,
// the team and the requirements in the prompt, inside the asked duration and group size, marked as fake.
import { deepEqual, equal, ok } from "node:assert/strict";
import { ActivityContent, GeneratedActivities } from "../../supabase/functions/_shared/contract/activity.ts";
import { MaterialSummary } from "../../supabase/functions/_shared/contract/schemas.ts";
import {
  customizationPrompt,
  generationPrompt,
  summarizationPrompt,
  type TeamForPrompt,
} from "../../supabase/functions/_shared/ai/prompts.ts";
import { projectAnswer, splitMinutes } from "../../scripts/local_stack/fake_openai/activities.ts";
import { catalogEntry } from "../support/prompt_fixtures.ts";

const team: TeamForPrompt = {
  name: "Platform",
  size: 7,
  work_mode: "remote",
  industry: "Logistics",
  goals: ["Trust across time zones"],
  interests: ["Cooking"],
  notes: null,
};

function text(messages: { content: string }[]): string {
  return messages.map((message) => message.content).join("\n");
}

Deno.test("fake AI: a customized activity is the catalog entry adapted to the team, in the asked minutes", () => {
  const prompt = text(customizationPrompt({ team, activity: catalogEntry, durationMinutes: 30 }));
  const activity = ActivityContent.parse(projectAnswer("team_activity", prompt));
  equal(activity.title, "Two Truths and a Lie for Platform");
  equal(activity.duration_minutes, 30);
  equal(activity.steps.reduce((sum, step) => sum + step.duration_minutes, 0), 30, "steps add up to the duration");
  equal(activity.work_mode, "remote");
  ok(activity.group_size.min <= team.size && team.size <= activity.group_size.max, JSON.stringify(activity));
  ok(activity.steps[1].instruction.includes("three statements"), "the catalog's steps are kept");
  ok(activity.summary.includes("local fake AI"), "marked as fake");
  ok(activity.why_it_fits.includes("Trust across time zones"), "connected to the team's goal");
  deepEqual(activity.debrief_questions.slice(0, 2), catalogEntry.debrief_questions);
  deepEqual(projectAnswer("team_activity", prompt), projectAnswer("team_activity", prompt), "deterministic");
});

Deno.test("fake AI: three generated activities follow the requirements' theme and duration, sized for the team", () => {
  const requirements = "Focus on remote team collaboration, 40 minutes at most";
  const prompt = text(generationPrompt({ team: { ...team, size: 12 }, requirements, materials: [] }));
  const { activities } = GeneratedActivities.parse(projectAnswer("team_activities", prompt));
  equal(new Set(activities.map((activity) => activity.title)).size, 3);
  for (const activity of activities) {
    ok(activity.title.startsWith("Collaboration"), activity.title);
    equal(activity.duration_minutes, 40);
    equal(activity.steps.reduce((sum, step) => sum + step.duration_minutes, 0), 40);
    ok(activity.group_size.min <= 12 && 12 <= activity.group_size.max);
    equal(activity.work_mode, "remote");
    ok(activity.summary.includes("local fake AI"));
  }
  const unsized = text(generationPrompt({ team, requirements: "Help us give better feedback", materials: [] }));
  const durations = GeneratedActivities.parse(projectAnswer("team_activities", unsized)).activities.map((a) =>
    a.duration_minutes
  );
  deepEqual(durations, [45, 30, 60]);
});

Deno.test("fake AI: a summary is the document's opening, with key points as a list", () => {
  const document = "Our team moved to four time zones. Meetings clash. We want rituals that work asynchronously.";
  const prompt = text(summarizationPrompt({ filename: "retro.pdf", text: document, truncated: false }));
  const summary = MaterialSummary.parse(projectAnswer("material_summary", prompt));
  ok(summary.summary.startsWith("Our team moved to four time zones."));
  // Fragments of fewer than four words are not points.
  deepEqual(summary.key_points, ["Our team moved to four time zones.", "We want rituals that work asynchronously."]);
  equal(projectAnswer("something_else", prompt), undefined, "other schemas get the generic answer");
});

Deno.test("fake AI: minutes split into whole steps that add up exactly", () => {
  deepEqual(splitMinutes(30, [1, 1, 1, 1]), [8, 8, 7, 7]);
  deepEqual(splitMinutes(5, [2, 4, 4, 3, 2]), [1, 1, 1, 1, 1]);
  equal(splitMinutes(61, [1, 2, 5, 2, 2]).reduce((a, b) => a + b, 0), 61);
});
