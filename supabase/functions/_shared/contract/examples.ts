/**
 * One request and one response example per operation, shown in the OpenAPI document (and so in Swagger UI
 * and ReDoc). tests/docs/examples_test.ts sends every request example to the stack (with the example ids
 * replaced by real ones) and checks the answer has the example's status and shape, and that each response
 * example is valid against its schema: the docs cannot drift from the code.
 */

/** The ids the examples use; the examples test maps each to a real row it created. */
export const EXAMPLE_IDS = {
  organization: "3b9f7c1e-5d2a-4e8b-9c61-2f7a0d4e8b15",
  clerkOrganization: "org_2pQx7Lm3Yh9VbN4kTz8Rs1Wd6Fc",
  team: "8e4a2b6c-1f3d-4a5e-b7c9-0d2e4f6a8b1c",
  publicActivity: "5c1d9e3f-7a2b-4c6d-8e0f-1a3b5c7d9e2f",
  activity: "a7f3e1d5-9b2c-4e6a-8d0f-3c5e7a9b1d4f",
  generatedActivity: "b2d4f6a8-0c1e-4a3b-9d5f-7e9a1b3c5d6e",
  job: "d1e3f5a7-b9c2-4d4e-a6f8-0b2c4d6e8f1a",
  materialJob: "e8f0a2b4-c6d8-4e1f-b3a5-7c9d1e3f5a6b",
  material: "f4a6b8c0-d2e4-4f6a-8b1c-3d5e7f9a2b4c",
} as const;

const ids = EXAMPLE_IDS;

/** An example of one operation: what to send and what comes back. */
export interface OperationExample {
  query?: Record<string, string>;
  body?: Record<string, unknown>;
  /** Multipart fields; `file` stands for the uploaded document. */
  multipart?: Record<string, string>;
  response: unknown;
}

const team = {
  id: ids.team,
  organization_id: ids.organization,
  name: "Platform",
  profile: {
    size: 7,
    work_mode: "hybrid",
    industry: "Logistics",
    goals: ["Trust across time zones"],
    interests: ["Cooking"],
    notes: null,
  },
  created_at: "2026-12-01T09:00:00.000Z",
  updated_at: "2026-12-01T09:00:00.000Z",
};

const content = {
  title: "Two Truths and a Lie for Platform",
  summary: "Each person shares three statements about themselves and the others guess which one is false. " +
    "Adapted for Platform, 7 people working hybrid in logistics.",
  duration_minutes: 30,
  group_size: { min: 3, max: 7 },
  work_mode: "hybrid",
  objectives: ["Learn surprising facts about colleagues", "Work on the team's goal: Trust across time zones"],
  materials: ["A timer", "A video call that the room also joins"],
  preparation: ["Ask everyone to think of three statements before the session."],
  steps: [
    {
      number: 1,
      instruction: "People in the room join the call on their own laptops too. Explain the rules.",
      duration_minutes: 5,
    },
    { number: 2, instruction: "One by one, each person shares three statements.", duration_minutes: 10 },
    { number: 3, instruction: "The group asks questions and votes on the lie.", duration_minutes: 10 },
    { number: 4, instruction: "Each person reveals the lie and the story behind one truth.", duration_minutes: 5 },
  ],
  facilitation_tips: ["Go first yourself to model the tone."],
  variations: ["For a shorter session, run one round only and keep the debrief."],
  debrief_questions: ["What surprised you?", "What do we have in common?"],
  accessibility_notes: ["Let people pass or contribute in writing instead of speaking."],
  why_it_fits: "Platform is 7 people working hybrid; this icebreaker fits in 30 minutes and builds trust.",
};

const activity = {
  id: ids.activity,
  team_id: ids.team,
  organization_id: ids.organization,
  source: "customized",
  status: "suggested",
  title: content.title,
  content,
  model: "gpt-4o-mini-2024-07-18",
  public_activity_id: ids.publicActivity,
  job_id: null,
  created_at: "2026-12-01T09:05:00.000Z",
  updated_at: "2026-12-01T09:05:00.000Z",
};

const job = {
  id: ids.job,
  kind: "generate_activities",
  team_id: ids.team,
  status: "succeeded",
  attempts: 1,
  max_attempts: 3,
  progress: { stage: "done", percent: 100 },
  error: null,
  result: { activity_ids: [ids.generatedActivity] },
  run_after: "2026-12-01T09:10:00.000Z",
  created_at: "2026-12-01T09:10:00.000Z",
  updated_at: "2026-12-01T09:10:20.000Z",
  finished_at: "2026-12-01T09:10:20.000Z",
};

const material = {
  id: ids.material,
  team_id: ids.team,
  organization_id: ids.organization,
  filename: "team-retro.pdf",
  mime_type: "application/pdf",
  size_bytes: 48213,
  sha256: "9f2c5e1a7b3d4f6e8a0c2e4f6a8b0d2f4a6c8e0b2d4f6a8c0e2a4c6e8f0b2d4f",
  format: "pdf",
  status: "processing",
  summary: null,
  key_points: [],
  extracted_chars: null,
  extracted_truncated: false,
  error: null,
  job_id: ids.materialJob,
  processing: {
    status: "queued",
    attempts: 0,
    max_attempts: 3,
    deferrals: 0,
    retry_at: "2026-12-01T09:08:00.000Z",
    last_error: null,
  },
  created_at: "2026-12-01T09:08:00.000Z",
  updated_at: "2026-12-01T09:08:00.000Z",
};

const readyMaterial = {
  ...material,
  status: "ready",
  summary: "The team's retrospective: four time zones, meetings that clash, a wish for asynchronous rituals.",
  key_points: ["The team works across four time zones", "Meetings clash", "Asynchronous rituals are wanted"],
  extracted_chars: 5120,
  processing: { ...material.processing, status: "succeeded", attempts: 1 },
  updated_at: "2026-12-01T09:08:05.000Z",
};

const publicActivity = {
  id: ids.publicActivity,
  slug: "two-truths-and-a-lie",
  title: "Two Truths and a Lie",
  summary: "Each person shares three statements about themselves; the group guesses which one is false.",
  category: "icebreaker",
  duration_minutes: 20,
  min_group_size: 3,
  max_group_size: 20,
  work_modes: ["remote", "hybrid", "onsite"],
  objectives: ["Learn surprising facts about colleagues"],
  materials: ["A timer"],
  preparation: "Ask everyone to think of three statements.",
  steps: ["Explain the rules.", "Each person shares three statements.", "The group votes on the lie."],
  facilitation_tips: ["Go first yourself to model the tone."],
  debrief_questions: ["What surprised you?"],
  tags: ["icebreaker", "quick"],
};

const quota = {
  limit: 100,
  used: 1,
  remaining: 99,
  resets_at: "2027-01-01T00:00:00.000Z",
};

/** The examples, by operation id. */
export const EXAMPLES: Record<string, OperationExample> = {
  health: {
    response: {
      status: "ok",
      checks: {
        database: { ok: true, detail: "answers (transaction pooler from DATABASE_URL, pool of 2 per isolate)" },
        pg_net: { ok: true, detail: "net.http_post is available" },
        cron: { ok: true, detail: "scheduled: jobs-sweep, quota-rollover, housekeeping" },
        worker_secrets: { ok: true, detail: "Vault has project_url and worker_secret, equal to WORKER_SECRET" },
        storage: {
          ok: true,
          detail: "bucket team-materials exists; the functions reach it with SUPABASE_SECRET_KEYS.default",
        },
        ai: { ok: true, detail: "OPENAI_API_KEY is set; the AI is at https://api.openai.com/v1" },
        clerk: { ok: true, detail: "tokens' azp is checked against CLERK_AUTHORIZED_PARTIES" },
      },
      missing: [],
      time: "2026-12-01T09:00:00.000Z",
    },
  },
  clerkWebhookStatus: { response: { status: "ok", signing_secret_configured: true } },
  clerkWebhook: {
    body: {
      type: "organization.created",
      data: { id: ids.clerkOrganization, name: "Acme", public_metadata: { plan: "paid" } },
      object: "event",
      timestamp: 1764579600000,
    },
    response: { received: true, outcome: "applied" },
  },
  teamsCreate: {
    body: {
      name: "Platform",
      profile: {
        size: 7,
        work_mode: "hybrid",
        industry: "Logistics",
        goals: ["Trust across time zones"],
        interests: ["Cooking"],
      },
    },
    response: { team },
  },
  teamsList: { query: { organization_id: ids.organization }, response: { teams: [team] } },
  teamsUpdate: {
    body: { team_id: ids.team, profile: { size: 8 } },
    response: { team: { ...team, profile: { ...team.profile, size: 8 } } },
  },
  teamsDelete: { body: { team_id: ids.team }, response: { deleted: true, team_id: ids.team, removed_files: 0 } },
  publicActivitiesList: {
    query: { category: "icebreaker", work_mode: "hybrid", limit: "1" },
    response: { activities: [publicActivity], next_cursor: "eyJ0IjoiVHdvIFRydXRocyJ9" },
  },
  quotaStatus: {
    response: {
      organization: { id: ids.organization, clerk_org_id: ids.clerkOrganization, name: "Acme", plan: "paid" },
      quotas: [
        { feature: "custom_generation", limit: 10, used: 0, reserved: 0, remaining: 10, resets_at: quota.resets_at },
        { feature: "customization", limit: 100, used: 1, reserved: 0, remaining: 99, resets_at: quota.resets_at },
      ],
    },
  },
  activitiesCustomize: {
    body: {
      team_id: ids.team,
      organization_id: ids.clerkOrganization,
      public_activity_id: ids.publicActivity,
      duration_minutes: 30,
    },
    response: { activity, quota },
  },
  activitiesGenerateCustom: {
    body: {
      team_id: ids.team,
      organization_id: ids.clerkOrganization,
      requirements: "Focus on remote team collaboration",
    },
    response: { job_id: ids.job, status: "queued" },
  },
  activitiesList: { query: { team_id: ids.team }, response: { activities: [activity] } },
  activitiesUpdateStatus: {
    body: { activity_id: ids.activity, status: "planned" },
    response: { activity: { ...activity, status: "planned", updated_at: "2026-12-01T09:06:00.000Z" } },
  },
  jobsGet: {
    query: { job_id: ids.job },
    response: {
      job,
      activities: [{
        ...activity,
        id: ids.generatedActivity,
        source: "generated",
        public_activity_id: null,
        job_id: ids.job,
      }],
    },
  },
  jobsList: { query: { team_id: ids.team }, response: { jobs: [job] } },
  jobsWorker: { response: { accepted: true, started: true, reason: null, worker: "jobs-worker:5f1c2a9e" } },
  materialsUpload: {
    multipart: { team_id: ids.team, organization_id: ids.clerkOrganization, file: "team-retro.pdf" },
    response: { material },
  },
  materialsList: { query: { team_id: ids.team }, response: { materials: [readyMaterial] } },
  materialsDownload: {
    query: { material_id: ids.material },
    response: {
      url: `https://<project-ref>.supabase.co/storage/v1/object/sign/team-materials/${ids.organization}/${ids.team}/` +
        `${ids.material}-team-retro.pdf?token=eyJhbGciOi...&download=team-retro.pdf`,
      expires_in: 60,
      filename: "team-retro.pdf",
    },
  },
  materialsRetry: {
    body: { material_id: ids.material },
    response: {
      material: {
        ...material,
        processing: { ...material.processing, last_error: "Retry requested: Cannot summarize: HTTP 400" },
      },
    },
  },
  materialsDelete: { body: { material_id: ids.material }, response: { deleted: true, material_id: ids.material } },
  openapi: {
    response: {
      openapi: "3.1.1",
      info: { title: "Team activities API", version: "0.1.0", description: "The backend of a team-building app..." },
      servers: [{ url: "https://<project-ref>.supabase.co/functions/v1", description: "This project" }],
      tags: [{ name: "Teams", description: "An organization's teams and their profiles" }],
      paths: { "/teams-create": { post: { operationId: "teamsCreate", summary: "Create a team" } } },
      components: { schemas: { Team: { type: "object" } } },
    },
  },
  docs: { response: '<!doctype html>\n<html lang="en">\n  <head>\n    <title>Team activities API</title>...' },
  docsRedoc: {
    response: '<!doctype html>\n<html lang="en">\n  <head>\n    <title>Team activities API (ReDoc)</title>...',
  },
  index: {
    response: {
      name: "Team activities API",
      version: "0.1.0",
      docs: { swagger_ui: "docs", redoc: "docs/redoc", openapi: "openapi" },
      endpoints: [{ name: "health", method: "GET", path: "/functions/v1/health", summary: "Is the service up" }],
    },
  },
};
