/** A catalog entry as the prompts receive it, for tests and benchmarks that build prompts without a stack. */
import type { SourceActivity } from "../../supabase/functions/_shared/ai/prompts.ts";

/** "Two Truths and a Lie", as seeded in the catalog. */
export const catalogEntry: SourceActivity = {
  title: "Two Truths and a Lie",
  summary: "Each person shares three statements about themselves; the group guesses which one is false.",
  category: "icebreaker",
  duration_minutes: 20,
  min_group_size: 3,
  max_group_size: 20,
  work_modes: ["remote", "hybrid", "onsite"],
  objectives: ["Learn surprising facts about colleagues", "Practise asking curious questions"],
  materials: ["A timer"],
  preparation: "Ask everyone to think of three statements. Share the rules in advance.",
  steps: [
    "Explain the rules and give people two minutes to prepare.",
    "One by one, each person shares three statements.",
    "The group asks questions and votes on the lie.",
    "The person reveals the lie and tells the story behind one truth.",
  ],
  facilitation_tips: ["Go first yourself to model the tone."],
  debrief_questions: ["What surprised you?", "What do we have in common?"],
};
