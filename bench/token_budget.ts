/**
 * How many completion tokens an answer takes, to size MAX_TOKENS_PUBLIC_CUSTOMIZATION and
 * MAX_TOKENS_CUSTOM_GENERATION: the JSON a model returns for one customized activity and for three generated
 * ones, counted with the o200k_base tokenizer (gpt-4o and gpt-4o-mini), for
 * - the local fake's answer (what `npm run demo` shows);
 * - a "full" answer: every list of ActivityContent at the length a thorough facilitator writes (10 steps of
 *   about 300 characters, 6 objectives, 8 materials, 6 debrief questions, ...), which a real model can write;
 * - the schema's ceiling: every field at its maximum length and count (not a realistic answer: it shows
 *   why the budget is sized from the full answer and not from the schema's bounds).
 * Structured outputs add no tokens beyond the JSON itself.
 *
 * Run: `deno run -A bench/token_budget.ts` (no stack needed).
 */
import { encode } from "npm:gpt-tokenizer@4.0.0/encoding/o200k_base";
import { ActivityContent, GeneratedActivities } from "../supabase/functions/_shared/contract/activity.ts";
import { customizationPrompt, generationPrompt } from "../supabase/functions/_shared/ai/prompts.ts";
import { projectAnswer } from "../scripts/local_stack/fake_openai/activities.ts";
import { catalogEntry } from "../tests/support/prompt_fixtures.ts";

const team = {
  name: "Platform",
  size: 12,
  work_mode: "hybrid",
  industry: "Logistics",
  goals: ["Trust across time zones", "Faster decisions"],
  interests: ["Cooking", "Board games"],
  notes: null,
};

/** Real English from the catalog (its migration), so the tokens per character are a real text's. */
const CORPUS = [
  ...Deno.readTextFileSync(new URL("../supabase/migrations/20261202010000_catalog.sql", import.meta.url)).matchAll(
    /'((?:[^']|'')+)'/g,
  ),
]
  .map((match) => match[1].replaceAll("''", "'"))
  .filter((text) => text.includes(" ") && text.length > 40)
  .join(" ");
let cursor = 0;

function prose(chars: number, seed: string): string {
  const start = cursor;
  cursor = (cursor + chars * 7) % Math.max(1, CORPUS.length - chars * 2);
  return `${seed} ${CORPUS.slice(start, start + chars)}`.slice(0, chars - 1).trimEnd() + ".";
}

function many(count: number, chars: number, label: string): string[] {
  return Array.from({ length: count }, (_, i) => prose(chars, `${label} ${i + 1}:`));
}

/** An activity as a thorough facilitator writes it. */
function fullActivity(index: number) {
  return ActivityContent.parse({
    title: `Collaboration Build Sprint ${index}`,
    summary: prose(600, "A hands-on activity in which"),
    duration_minutes: 90,
    group_size: { min: 6, max: 12 },
    work_mode: "hybrid",
    objectives: many(6, 120, "Objective"),
    materials: many(8, 80, "Material"),
    preparation: many(5, 150, "Prepare"),
    steps: many(10, 300, "Step").map((instruction, i) => ({ number: i + 1, instruction, duration_minutes: 9 })),
    facilitation_tips: many(5, 150, "Tip"),
    variations: many(3, 150, "Variation"),
    debrief_questions: many(6, 120, "Question"),
    accessibility_notes: many(3, 150, "Access"),
    why_it_fits: prose(400, "This fits because"),
  });
}

/** Every field at its schema maximum. */
function ceilingActivity() {
  return ActivityContent.parse({
    title: prose(120, "T"),
    summary: prose(1000, "S"),
    duration_minutes: 480,
    group_size: { min: 2, max: 500 },
    work_mode: "hybrid",
    objectives: many(8, 400, "O"),
    materials: many(15, 400, "M"),
    preparation: many(10, 400, "P"),
    steps: many(15, 1200, "S").map((instruction, i) => ({ number: i + 1, instruction, duration_minutes: 32 })),
    facilitation_tips: many(8, 400, "F"),
    variations: many(6, 400, "V"),
    debrief_questions: many(8, 400, "D"),
    accessibility_notes: many(6, 400, "A"),
    why_it_fits: prose(1200, "W"),
  });
}

function tokens(value: unknown): { chars: number; tokens: number } {
  const json = JSON.stringify(value);
  return { chars: json.length, tokens: encode(json).length };
}

const text = (messages: { content: string }[]) => messages.map((m) => m.content).join("\n");
const fakeCustomized = projectAnswer(
  "team_activity",
  text(customizationPrompt({ team, activity: catalogEntry, durationMinutes: 30 })),
);
const fakeGenerated = projectAnswer(
  "team_activities",
  text(generationPrompt({ team, requirements: "Focus on remote team collaboration", materials: [] })),
);
ActivityContent.parse(fakeCustomized);
GeneratedActivities.parse(fakeGenerated);

const rows: [string, { chars: number; tokens: number }][] = [
  ["customization, the fake's answer", tokens(fakeCustomized)],
  ["customization, a full answer", tokens(fullActivity(1))],
  ["customization, the schema's ceiling", tokens(ceilingActivity())],
  ["generation (3), the fake's answer", tokens(fakeGenerated)],
  ["generation (3), a full answer", tokens({ activities: [1, 2, 3].map(fullActivity) })],
  ["generation (3), the schema's ceiling", tokens({ activities: [1, 2, 3].map(ceilingActivity) })],
];
console.log("| answer | JSON characters | o200k tokens | characters per token |");
console.log("| --- | --- | --- | --- |");
for (const [label, { chars, tokens: count }] of rows) {
  console.log(`| ${label} | ${chars} | ${count} | ${(chars / count).toFixed(2)} |`);
}
