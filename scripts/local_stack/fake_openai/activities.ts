/**
 * What the fake OpenAI server writes for this project's own prompts (supabase/functions/_shared/ai/prompts.ts),
 * so the local stack and `npm run demo` read like the product: an activity adapted from the catalog entry in
 * the prompt, three activities built from the team's profile and requirements, a document summary taken
 * from its text. Durations and group sizes stay inside what the prompt asks for. Deterministic, and marked
 * as fake in every summary. A prompt this module does not recognise gets undefined, and the server falls
 * back to a generic instance of the schema (schema.ts).
 */

/** The team as the prompts describe it. */
export interface PromptTeam {
  name: string;
  size: number;
  workMode: "remote" | "hybrid" | "onsite";
  industry: string | null;
  goals: string[];
  interests: string[];
}

/** The catalog activity as the customization prompt describes it. */
export interface PromptActivity {
  title: string;
  category: string;
  summary: string;
  minGroup: number;
  maxGroup: number;
  objectives: string[];
  materials: string[];
  preparation: string;
  steps: string[];
  tips: string[];
  debrief: string[];
}

const FAKE_NOTE = "(Written by the local fake AI from the catalog and the team's profile, not by a model.)";
const FAKE_GENERATED_NOTE = "(Written by the local fake AI from the team's profile and requirements, not by a model.)";
const FAKE_SUMMARY_NOTE = "(Local fake AI: the document's opening sentences, not a model's summary.)";

function field(text: string, label: string): string | null {
  const match = new RegExp(`^${label}: (.*)$`, "m").exec(text);
  return match ? match[1].trim() : null;
}

function list(value: string | null, separator = "; "): string[] {
  if (!value || value === "none") return [];
  return value.split(separator).map((item) => item.trim()).filter(Boolean);
}

function fenced(text: string, label: string): string | null {
  const start = text.indexOf(`<untrusted_data label="${label}">\n`);
  if (start < 0) return null;
  const from = start + `<untrusted_data label="${label}">\n`.length;
  const end = text.indexOf("\n</untrusted_data>", from);
  return end < 0 ? null : text.slice(from, end).trim();
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const shortened = text.slice(0, max - 1);
  const space = shortened.lastIndexOf(" ");
  return `${space > max / 2 ? shortened.slice(0, space) : shortened}…`;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** The team section of a prompt, or null when there is none. */
export function parseTeam(text: string): PromptTeam | null {
  const section = text.split("## The team\n")[1];
  if (!section) return null;
  const name = field(section, "Team name");
  const size = Number(field(section, "People"));
  const workMode = field(section, "Works");
  if (!name || !Number.isInteger(size) || !["remote", "hybrid", "onsite"].includes(workMode ?? "")) return null;
  return {
    name,
    size,
    workMode: workMode as PromptTeam["workMode"],
    industry: field(section, "Industry"),
    goals: list(field(section, "Goals")),
    interests: list(field(section, "Interests")),
  };
}

/** The catalog activity of a customization prompt, or null. */
export function parseActivity(text: string): PromptActivity | null {
  const section = text.split("## The activity\n")[1]?.split("\n## ")[0];
  if (!section) return null;
  const title = field(section, "Title");
  const group = /group of (\d+)-(\d+)/.exec(field(section, "Duration") ?? "");
  const stepsBlock = /^Steps:\n((?:\d+\. .*\n?)+)/m.exec(section)?.[1] ?? "";
  const steps = stepsBlock.split("\n").map((line) => line.replace(/^\d+\. /, "").trim()).filter(Boolean);
  if (!title || !group || steps.length === 0) return null;
  return {
    title,
    category: field(section, "Category") ?? "team",
    summary: field(section, "Summary") ?? "",
    minGroup: Number(group[1]),
    maxGroup: Number(group[2]),
    objectives: list(field(section, "Objectives")),
    materials: list(field(section, "Materials")),
    preparation: field(section, "Preparation") ?? "",
    steps,
    tips: list(field(section, "Facilitation tips")),
    debrief: (field(section, "Debrief questions") ?? "").split(/(?<=\?)\s+/).map((q) => q.trim()).filter(Boolean),
  };
}

/** Minutes asked for: the customization prompt's "Fit it into N minutes", or a duration in the requirements. */
export function askedMinutes(text: string): number | null {
  const fit = /Fit it into (\d+) minutes/.exec(text);
  if (fit) return Number(fit[1]);
  const requirements = fenced(text, "requirements") ?? "";
  const hours = /(\d+(?:\.\d+)?)[-\s]?(?:hours?|h)\b/i.exec(requirements);
  const minutes = /(\d+)[-\s]?(?:minutes?|mins?)\b/i.exec(requirements);
  const asked = minutes ? Number(minutes[1]) : hours ? Math.round(Number(hours[1]) * 60) : null;
  return asked === null ? null : clamp(asked, 5, 480);
}

/** Splits `total` minutes over steps by weight: whole minutes, each at least 1, adding up to exactly `total`. */
export function splitMinutes(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const minutes = weights.map((weight) => Math.max(1, Math.floor((total * weight) / sum)));
  let rest = total - minutes.reduce((a, b) => a + b, 0);
  for (let i = 0; rest !== 0 && i < 10_000; i++) {
    const index = i % minutes.length;
    if (rest > 0) {
      minutes[index]++;
      rest--;
    } else if (minutes[index] > 1) {
      minutes[index]--;
      rest++;
    }
  }
  return minutes;
}

/** A group size that fits the team: min <= team size <= max, inside 2..500 and near the catalog's range. */
function groupSizeFor(teamSize: number, catalog?: { min: number; max: number }) {
  const max = clamp(Math.max(teamSize, catalog ? Math.min(catalog.max, teamSize) : teamSize), 2, 500);
  const min = clamp(Math.min(catalog?.min ?? 2, teamSize), 2, max);
  return { min, max };
}

function modeTools(mode: PromptTeam["workMode"]): { materials: string[]; setup: string } {
  if (mode === "remote") {
    return {
      materials: ["A video call with breakout rooms", "A shared online whiteboard"],
      setup: "Everyone joins the video call; open the shared whiteboard and paste its link in the chat.",
    };
  }
  if (mode === "hybrid") {
    return {
      materials: ["A video call that the room also joins", "A shared online whiteboard everyone can edit"],
      setup: "People in the room join the call on their own laptops too, so remote colleagues see and hear " +
        "everyone equally; open the shared whiteboard.",
    };
  }
  return { materials: ["Sticky notes and markers", "A wall or flip chart"], setup: "Arrange the room in a circle." };
}

function accessibilityNotes(mode: PromptTeam["workMode"], requirements = ""): string[] {
  return [
    "Let people pass or contribute in writing instead of speaking.",
    mode === "onsite"
      ? "Keep the space step-free and give seats to anyone who prefers to sit."
      : "Turn on live captions and keep cameras optional.",
    ...(/wheelchair|mobility/i.test(requirements)
      ? ["Every step works seated; keep the room step-free with space to move between groups."]
      : []),
  ];
}

function teamLine(team: PromptTeam): string {
  const industry = team.industry ? ` in ${team.industry.toLowerCase()}` : "";
  return `${team.size} people working ${team.workMode}${industry}`;
}

/** A catalog activity adapted to the team, as the `team_activity` structured output. */
export function customizedActivity(text: string): Record<string, unknown> | undefined {
  const team = parseTeam(text);
  const activity = parseActivity(text);
  if (!team || !activity) return undefined;
  const duration = clamp(askedMinutes(text) ?? 30, 5, 480);
  const tools = modeTools(team.workMode);
  let steps = activity.steps.map((step) => cut(step, 1000));
  if (steps.length < 3) {
    steps = [`${tools.setup} Introduce the activity and its purpose.`, ...steps, "Close with one takeaway each."];
  }
  steps = steps.slice(0, Math.min(15, duration));
  if (team.workMode !== "onsite") steps[0] = cut(`${tools.setup} ${steps[0]}`, 1200);
  const minutes = splitMinutes(duration, steps.map(() => 1));
  const goal = team.goals[0];
  const objectives = [...activity.objectives, ...(goal ? [`Work on the team's goal: ${goal}`] : [])]
    .slice(0, 8).map((item) => cut(item, 400));
  const debrief = [...activity.debrief, "What will we do differently next week because of this?"].slice(0, 8);
  const preparation = activity.preparation.split(/(?<=\.)\s+/).map((item) => item.trim()).filter(Boolean);
  return {
    title: cut(`${activity.title} for ${team.name}`, 120),
    summary: cut(`${sentence(activity.summary)} Adapted for ${team.name}, ${teamLine(team)}. ${FAKE_NOTE}`, 1000),
    duration_minutes: duration,
    group_size: groupSizeFor(team.size, { min: activity.minGroup, max: activity.maxGroup }),
    work_mode: team.workMode,
    objectives: objectives.length > 0 ? objectives : ["Strengthen how the team works together"],
    materials: [...activity.materials, ...(team.workMode === "onsite" ? [] : tools.materials)].slice(0, 15)
      .map((item) => cut(item, 400)),
    preparation: preparation.slice(0, 10).map((item) => cut(item, 400)),
    steps: steps.map((instruction, index) => ({
      number: index + 1,
      instruction: cut(instruction, 1200),
      duration_minutes: minutes[index],
    })),
    facilitation_tips: (activity.tips.length > 0 ? activity.tips : ["Keep time visibly and gently."]).slice(0, 8)
      .map((item) => cut(item, 400)),
    variations: [
      "For a shorter session, run one round only and keep the debrief.",
      ...(team.interests[0] ? [`Theme the prompts around the team's interest in ${team.interests[0]}.`] : []),
    ],
    debrief_questions: (debrief.length >= 2 ? debrief : [...debrief, "What surprised you?"]).map((q) => cut(q, 400)),
    accessibility_notes: accessibilityNotes(team.workMode, fenced(text, "request notes") ?? ""),
    why_it_fits: cut(
      `${team.name} is ${teamLine(team)}; this ${activity.category.replaceAll("_", " ")} activity fits in ` +
        `${duration} minutes${goal ? ` and works on its goal: ${goal}` : ""}` +
        `${team.workMode === "onsite" ? "" : ", with the tools a " + team.workMode + " group needs"}.`,
      1200,
    ),
  };
}

const THEMES = [
  "collaboration",
  "communication",
  "trust",
  "feedback",
  "onboarding",
  "creativity",
  "innovation",
  "wellbeing",
  "conflict",
  "decision",
  "recognition",
  "alignment",
  "planning",
  "learning",
  "connection",
];

/** The first theme word the requirements mention (or the team's first goal), for titles and prompts. */
export function themeOf(requirements: string, team: PromptTeam): string {
  const lower = requirements.toLowerCase();
  const found = THEMES.map((theme) => ({ theme, at: lower.indexOf(theme) })).filter((t) => t.at >= 0)
    .sort((a, b) => a.at - b.at)[0]?.theme;
  return found ?? (team.goals[0]?.toLowerCase().split(/\s+/)[0] || "teamwork");
}

function capitalized(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

interface Design {
  title: string;
  energy: string;
  weights: number[];
  steps: string[];
  materials: string[];
  tips: string[];
  debrief: string[];
  objective: string;
}

function designs(theme: string, team: PromptTeam): Design[] {
  const rooms = team.workMode === "onsite" ? "corners of the room" : "breakout rooms";
  const board = team.workMode === "onsite" ? "the wall" : "the shared whiteboard";
  const groups = team.size <= 4 ? "pairs" : "groups of three or four";
  const interest = team.interests[0];
  return [
    {
      title: `${capitalized(theme)} Story Circles`,
      energy: "reflective",
      weights: [2, 4, 4, 3, 2],
      steps: [
        `Welcome everyone and name the focus: ${theme}. Ask each person to think of one moment at work when ` +
        `${theme} went really well.`,
        `In ${groups} (${rooms}), each person tells their story in two minutes while the others only listen.`,
        `Still in ${groups}, list on ${board} what made those moments work: habits, tools, behaviours.`,
        "Back together, each group reads out its list; cluster similar points and agree on the three that matter most.",
        "Each person names one thing they will try in the coming week; note them where everyone can see them.",
      ],
      materials: [...(board === "the wall" ? ["Sticky notes and markers"] : []), "A timer"],
      tips: [
        "Model the first story yourself to set the tone and the length.",
        "Keep listening time protected: no advice while someone is telling their story.",
      ],
      debrief: [
        `Which habit behind good ${theme} surprised you most?`,
        "What gets in the way of doing this more often?",
        "What is one small change we can make as a team this month?",
      ],
      objective: `Find what already works for ${theme} in this team and repeat it`,
    },
    {
      title: `${capitalized(theme)} Quiz Relay`,
      energy: "playful",
      weights: [1, 2, 5, 2, 2],
      steps: [
        `Explain the game: ${groups} compete in short rounds about how the team works, with ${theme} as the thread.`,
        "Each group writes three quiz questions about the team's tools, rituals or history" +
        (interest ? `, and one about ${interest[0].toLowerCase()}${interest.slice(1)}` : "") + ".",
        `Groups take turns asking their questions; the others answer in the chat or on ${board}, one point each.`,
        "Add a bonus round: each group describes a real situation and the others guess how the team handled it.",
        `Announce the scores, then ask what the answers revealed about ${theme} in the team.`,
      ],
      materials: ["A timer", "A visible score board"],
      tips: [
        "Keep rounds short and the tone light; celebrate funny wrong answers.",
        "Make sure every person asks at least one question.",
      ],
      debrief: [
        "What did you learn about a colleague that you did not know?",
        `Which answer says the most about how we handle ${theme}?`,
      ],
      objective: `Build shared knowledge and energy around ${theme}`,
    },
    {
      title: `${capitalized(theme)} Build Sprint`,
      energy: "hands-on",
      weights: [2, 2, 6, 3, 2],
      steps: [
        `Set the challenge: in ${groups}, design one small improvement to how the team handles ${theme}.`,
        `Each group picks a real pain point from recent weeks and writes it on ${board} in one sentence.`,
        "Groups build a concrete prototype: a checklist, a meeting format, a channel rule or a template.",
        "Each group presents its prototype in two minutes; the others give one 'I like' and one 'What if'.",
        "Vote on the prototype to try first, pick an owner and a date to review it.",
      ],
      materials: ["Templates or blank pages for prototypes", "A timer"],
      tips: [
        "Insist on something concrete enough to try tomorrow.",
        "Keep groups mixed across roles so prototypes fit everyone.",
      ],
      debrief: [
        "Which prototype would make the biggest difference with the least effort?",
        "What would stop us from trying it, and how do we remove that?",
      ],
      objective: `Turn the team's ideas about ${theme} into one change it will try`,
    },
  ];
}

/** Three activities from the team's profile and requirements, as the `team_activities` structured output. */
export function generatedActivities(text: string): Record<string, unknown> | undefined {
  const team = parseTeam(text);
  const requirements = fenced(text, "requirements");
  if (!team || requirements === null) return undefined;
  const theme = themeOf(requirements, team);
  const asked = askedMinutes(text);
  const durations = asked === null ? [45, 30, 60] : [asked, asked, asked];
  const tools = modeTools(team.workMode);
  const activities = designs(theme, team).map((design, index) => {
    const duration = durations[index];
    const steps = design.steps.slice(0, Math.min(design.steps.length, duration));
    const minutes = splitMinutes(duration, design.weights.slice(0, steps.length));
    if (team.workMode !== "onsite") steps[0] = `${tools.setup} ${steps[0]}`;
    return {
      title: cut(design.title, 120),
      summary: cut(
        `A ${design.energy} ${duration}-minute activity for ${team.name} (${teamLine(team)}) about ${theme}, ` +
          `answering the request: "${cut(requirements.replace(/\s+/g, " "), 160)}". ${FAKE_GENERATED_NOTE}`,
        1000,
      ),
      duration_minutes: duration,
      group_size: groupSizeFor(team.size),
      work_mode: team.workMode,
      objectives: [design.objective, ...(team.goals[0] ? [`Work on the team's goal: ${team.goals[0]}`] : [])],
      materials: [...design.materials, ...(team.workMode === "onsite" ? [] : tools.materials)],
      preparation: [`Book ${duration} minutes with everyone.`, "Prepare the space and the timer before people arrive."],
      steps: steps.map((instruction, i) => ({
        number: i + 1,
        instruction: cut(instruction, 1200),
        duration_minutes: minutes[i],
      })),
      facilitation_tips: design.tips,
      variations: ["For a larger group, run it in parallel groups with a shared debrief."],
      debrief_questions: design.debrief,
      accessibility_notes: accessibilityNotes(team.workMode, requirements),
      why_it_fits: cut(
        `${team.name} asked for ${theme}; this ${design.energy} format fits ${team.size} people ` +
          `working ${team.workMode} in ${duration} minutes.`,
        1200,
      ),
    };
  });
  return { activities };
}

/** A summary of the document text in a summarization prompt, as the `material_summary` structured output. */
export function materialSummary(text: string): Record<string, unknown> | undefined {
  const document = fenced(text, "document text");
  if (document === null) return undefined;
  const sentences = document.replace(/\s+/g, " ").split(/(?<=[.!?])\s+/).map((s) => s.trim()).filter((s) =>
    s.length > 0
  );
  const opening = sentences.slice(0, 3).join(" ") || "The document has little running text.";
  return {
    summary: cut(`${opening} ${FAKE_SUMMARY_NOTE}`, 4000),
    key_points: sentences.filter((s) => s.split(" ").length >= 4).slice(0, 5).map((s) => cut(s, 400)),
  };
}

/** This project's answer for a schema name and prompt, or undefined for anything else. */
export function projectAnswer(schemaName: string, text: string): Record<string, unknown> | undefined {
  if (schemaName === "team_activity") return customizedActivity(text);
  if (schemaName === "team_activities") return generatedActivities(text);
  if (schemaName === "material_summary") return materialSummary(text);
  return undefined;
}
