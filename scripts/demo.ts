/**
 * `npm run demo`: the product as a new organization meets it, against the running local stack (`npm start`,
 * or the one LOCAL_STACK_DIR names). Clerk's signed webhooks create a paid organization and its admin; the
 * admin creates a team, uploads a document that the AI summarizes, customizes a catalog activity, asks for
 * three activities of the team's own, and looks at the quota. Every call goes through the typed client
 * (supabase/functions/_shared/contract/client.ts). Works with the fake AI and with a real OPENAI_API_KEY.
 * Exits 0 when every step worked, 1 with one sentence saying which did not.
 */
import { createClient } from "@supabase/supabase-js";
import { PDFDocument, type PDFFont, rgb, StandardFonts } from "npm:pdf-lib@1.17.1";
import { ActivityContent } from "../supabase/functions/_shared/contract/activity.ts";
import {
  type ApiClient,
  type ApiResult,
  createApiClient,
  type OutputOf,
} from "../supabase/functions/_shared/contract/client.ts";
import type { Operations } from "../supabase/functions/_shared/contract/client.ts";
import { SetupError } from "./lib/errors.ts";
import { developerStack } from "./lib/paths.ts";
import { requireRunningStack, type RunningStack } from "./lib/stack_status.ts";
import { mintSessionToken, signClerkDelivery } from "./local_stack/clerk/issuer.ts";

/** A step that did not work: its message is the sentence the demo ends with. */
class DemoFailure extends Error {
  override name = "DemoFailure";
}

type JobView = OutputOf<Operations["jobsGet"]>;
type Material = OutputOf<Operations["materialsUpload"]>["material"];

const encoder = new TextEncoder();
const interactive = Deno.stdout.isTerminal();
const began = performance.now();

function say(line = ""): void {
  console.log(line);
}

function step(number: number, title: string): void {
  say();
  say(`${number}. ${title}`);
}

function done(text: string): void {
  say(`   ✓ ${text}`);
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/** The data of a successful call, or a DemoFailure naming what failed and why. */
function expectData<T>(result: ApiResult<T>, what: string): T {
  if (result.error) {
    const { status, code, message } = result.error;
    const where = status === 0 ? message : `${status} ${code}: ${message}`;
    throw new DemoFailure(`${what} failed (${where})`);
  }
  return result.data;
}

// --- Clerk: the organization and its admin arrive through Svix-signed webhooks -------------------------

async function sendClerkEvent(
  api: ApiClient,
  stack: RunningStack,
  type: string,
  data: Record<string, unknown>,
): Promise<string> {
  const event = { object: "event", type, timestamp: Date.now(), data };
  // The client sends JSON.stringify(event): the bytes signed here.
  const { headers } = signClerkDelivery(stack.clerk_webhook_secret, event);
  const result = await api.clerkWebhook(event, { headers });
  return expectData(result, `Clerk's ${type} webhook`).outcome;
}

// --- A sample document: a real PDF written with pdf-lib ----------------------------------------------

const DOCUMENT_TITLE = "Customer Operations: Q3 retrospective and team health survey";
const DOCUMENT_SECTIONS: { heading: string; paragraphs: string[] }[] = [
  {
    heading: "Who we are",
    paragraphs: [
      "Customer Operations is nine people: six in the Rotterdam office, three working remotely from Porto and " +
      "Ghent. In July we merged with the returns desk, so half the team has worked together for less than " +
      "three months. We cover two shifts, 7:00 to 15:00 and 13:00 to 21:00.",
    ],
  },
  {
    heading: "What the survey said (9 of 9 answered)",
    paragraphs: [
      "Trust between the day and evening shifts scored 2.9 out of 5, the lowest of all questions. Several " +
      "people wrote that handovers feel like blame: open tickets are passed on without context, and the " +
      "evening shift learns about escalations from customers rather than from colleagues.",
      "The remote colleagues feel informed but not involved: they hear decisions after they are made. " +
      "Everyone values the weekly stand-up, but it runs long and only the loudest voices are heard.",
      "What people enjoy: solving a hard case together, the Friday food from different home countries, and " +
      "the quiz night in June, which mixed the two former teams for the first time.",
    ],
  },
  {
    heading: "Goals for Q4",
    paragraphs: [
      "1. Handovers that the next shift can act on without a follow-up call. 2. Remote colleagues take part " +
      "in decisions, not only in updates. 3. The former returns desk and the former support team see " +
      "themselves as one team by the end of the year.",
    ],
  },
  {
    heading: "Constraints",
    paragraphs: [
      "Sessions of 60 minutes at most, during the 13:00 to 15:00 overlap. A small budget, no travel. One " +
      "colleague uses a wheelchair, so nothing that needs moving around the building. Some colleagues do not " +
      "drink alcohol; please avoid anything built around drinks.",
    ],
  },
];

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) > width && line) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** A two-page report, as a team lead would export it from a word processor. */
async function sampleDocument(): Promise<{ bytes: Uint8Array<ArrayBuffer>; pages: number }> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(DOCUMENT_TITLE);
  pdf.setAuthor("Customer Operations");
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const margin = 56;
  const width = 595 - 2 * margin;
  let page = pdf.addPage([595, 842]);
  let y = 842 - margin;
  const write = (text: string, font: PDFFont, size: number, gap: number) => {
    for (const line of wrap(text, font, size, width)) {
      if (y < margin + size) {
        page = pdf.addPage([595, 842]);
        y = 842 - margin;
      }
      page.drawText(line, { x: margin, y, size, font, color: rgb(0.1, 0.1, 0.1) });
      y -= size * 1.45;
    }
    y -= gap;
  };
  write(DOCUMENT_TITLE, bold, 16, 10);
  write("Prepared by the team lead for the Q4 planning day. Internal.", regular, 10, 14);
  for (const [index, section] of DOCUMENT_SECTIONS.entries()) {
    if (index === 2) {
      page = pdf.addPage([595, 842]);
      y = 842 - margin;
    }
    write(section.heading, bold, 12.5, 4);
    for (const paragraph of section.paragraphs) write(paragraph, regular, 11, 8);
    y -= 6;
  }
  return { bytes: new Uint8Array(await pdf.save()), pages: pdf.getPageCount() };
}

// --- Jobs: polled through jobs-get, with a progress bar ---------------------------------------------------

function progressLine(view: JobView): string {
  const progress = view.job.progress as { stage?: unknown; percent?: unknown };
  const reported = Math.max(0, Math.min(100, Number(progress.percent ?? 0) || 0));
  const percent = view.job.status === "succeeded" ? 100 : reported;
  let stage = typeof progress.stage === "string" ? progress.stage : view.job.status;
  if (view.job.status === "queued") {
    stage = view.job.attempts > 0
      ? `waiting to retry (attempt ${view.job.attempts} of ${view.job.max_attempts} failed: ${view.job.error ?? "?"})`
      : "queued";
  }
  if (view.job.status === "succeeded") stage = "done";
  const filled = Math.round(percent / 5);
  return `   [${"█".repeat(filled)}${"░".repeat(20 - filled)}] ${String(Math.round(percent)).padStart(3)}%  ${stage}`;
}

function terminalColumns(): number {
  try {
    const { columns } = Deno.consoleSize();
    return columns >= 40 ? columns : 120;
  } catch {
    return 120;
  }
}

/** Polls a job until it ends, drawing its stage and percentage; fails unless it succeeded. */
async function waitForJob(api: ApiClient, jobId: string, what: string, timeoutMs: number): Promise<JobView> {
  const started = performance.now();
  const deadline = Date.now() + timeoutMs;
  let last = "";
  let failures = 0;
  while (true) {
    const result = await api.jobsGet({ job_id: jobId });
    if (result.error) {
      if (++failures >= 5) expectData(result, `Polling ${what}`);
    } else {
      failures = 0;
      const view = result.data;
      const line = progressLine(view);
      if (interactive) {
        // Redrawn in place with the time spent, cut to the terminal's width so \r can redraw it.
        const text = `${line}  (${seconds(started)})`;
        await Deno.stdout.write(encoder.encode(`\r${text.slice(0, terminalColumns() - 1)}\x1b[K`));
      } else if (line !== last) {
        say(line);
      }
      last = line;
      if (["succeeded", "failed", "dead", "cancelled"].includes(view.job.status)) {
        if (interactive) say();
        if (view.job.status !== "succeeded") {
          throw new DemoFailure(`${what} ended ${view.job.status}: ${view.job.error ?? "no reason given"}`);
        }
        return view;
      }
    }
    if (Date.now() > deadline) {
      if (interactive) say();
      throw new DemoFailure(
        `${what} did not finish within ${timeoutMs / 1000} s (job ${jobId}): is the worker running?`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

// --- Printing activities --------------------------------------------------------------------------------

function indent(text: string, prefix = "     "): string {
  return text.split("\n").map((line) => `${prefix}${line}`).join("\n");
}

function printActivity(index: number, total: number, activity: { title: string; content: unknown; model: string }) {
  say();
  say(`Activity ${index} of ${total}: ${activity.title}`);
  const parsed = ActivityContent.safeParse(activity.content);
  if (!parsed.success) {
    say(indent(JSON.stringify(activity.content, null, 2)));
    return;
  }
  const a = parsed.data;
  say(
    `   ${a.duration_minutes} min · ${a.group_size.min}–${a.group_size.max} people · ${a.work_mode} · written by ${activity.model}`,
  );
  say(indent(a.summary, "   "));
  say("   Objectives:");
  for (const objective of a.objectives) say(`     - ${objective}`);
  if (a.materials.length > 0) say(`   Materials: ${a.materials.join("; ")}`);
  say("   Steps:");
  for (const s of a.steps) say(`     ${s.number}. ${s.instruction} (${s.duration_minutes} min)`);
  say("   Debrief questions:");
  for (const question of a.debrief_questions) say(`     - ${question}`);
  if (a.accessibility_notes.length > 0) say(`   Accessibility: ${a.accessibility_notes.join(" ")}`);
  say(`   Why it fits: ${a.why_it_fits}`);
}

// --- The walk-through -------------------------------------------------------------------------------------

async function runDemo(): Promise<void> {
  const stack = requireRunningStack(developerStack().dataDir);
  const anonymous = createApiClient(
    createClient(stack.api_url, stack.anon_key, { auth: { persistSession: false, autoRefreshToken: false } }),
  );
  say(`Team activities: a walk-through against the local stack at ${stack.api_url}`);
  say(
    stack.fake_openai
      ? "AI: the local fake OpenAI server (its answers say they are fake; set OPENAI_API_KEY for real ones)"
      : `AI: OpenAI at ${stack.openai_base_url} (real answers; generation takes a minute or two)`,
  );
  expectData(await anonymous.health(), "The health check");

  const suffix = crypto.randomUUID().replaceAll("-", "").slice(0, 10);
  const orgId = `org_demo_${suffix}`;
  const userId = `user_demo_${suffix}`;
  const orgName = "Northwind Logistics";

  step(1, "Clerk tells the backend about a new organization and its admin (Svix-signed webhooks)");
  let outcome = await sendClerkEvent(anonymous, stack, "organization.created", {
    id: orgId,
    name: orgName,
    slug: `northwind-${suffix}`,
    public_metadata: { plan: "paid" },
    updated_at: Date.now(),
  });
  done(`organization.created: "${orgName}" on the paid plan (${orgId}): ${outcome}`);
  outcome = await sendClerkEvent(anonymous, stack, "user.created", {
    id: userId,
    first_name: "Ada",
    last_name: "Okafor",
    primary_email_address_id: `idn_${suffix}`,
    email_addresses: [{ id: `idn_${suffix}`, email_address: `ada.okafor+${suffix}@northwind.example` }],
    updated_at: Date.now(),
  });
  done(`user.created: Ada Okafor (${userId}): ${outcome}`);
  outcome = await sendClerkEvent(anonymous, stack, "organizationMembership.created", {
    id: `orgmem_${suffix}`,
    role: "org:admin",
    organization: { id: orgId },
    public_user_data: { user_id: userId },
    updated_at: Date.now(),
  });
  done(`organizationMembership.created: Ada is an admin of ${orgName}: ${outcome}`);

  const token = await mintSessionToken(stack.data_dir, {
    userId,
    orgId,
    orgRole: "admin",
    issuer: stack.clerk_issuer,
  });
  const api = createApiClient(
    createClient(stack.api_url, stack.anon_key, {
      auth: { persistSession: false, autoRefreshToken: false },
      accessToken: async () => await Promise.resolve(token),
    }),
  );
  const quotaBefore = await api.quotaStatus();
  if (quotaBefore.error?.status === 401) {
    throw new DemoFailure(
      `the functions refused the local session token (${quotaBefore.error.message}): check CLERK_ISSUER, ` +
        "CLERK_JWKS_URL and CLERK_AUTHORIZED_PARTIES in supabase/functions/.env",
    );
  }
  const organization = expectData(quotaBefore, "Reading the organization").organization;
  done(
    `Ada signs in with a Clerk session token; the backend sees "${organization.name}" on the ${organization.plan} plan`,
  );

  step(2, "Ada creates a team with a profile");
  const { team } = expectData(
    await api.teamsCreate({
      name: "Customer Operations",
      profile: {
        size: 9,
        work_mode: "hybrid",
        industry: "Logistics",
        goals: ["Better handovers between shifts", "Involve remote colleagues in decisions", "One team after a merger"],
        interests: ["Food from home countries", "Quizzes", "Solving hard cases together"],
        notes: "Two shifts overlap from 13:00 to 15:00. One colleague uses a wheelchair.",
      },
    }),
    "Creating the team",
  );
  done(
    `"${team.name}": ${team.profile.size} people, ${team.profile.work_mode}, ${team.profile.industry}; goals: ${
      team.profile.goals.join(", ")
    }`,
  );

  step(3, "Ada uploads a document for the AI to read");
  const document = await sampleDocument();
  const filename = "customer-operations-q3-retrospective.pdf";
  const uploaded = expectData(
    await api.materialsUpload({
      team_id: team.id,
      file: new File([document.bytes], filename, { type: "application/pdf" }),
    }),
    "Uploading the document",
  );
  done(
    `uploaded "${filename}" (${document.pages} pages, ${
      (document.bytes.byteLength / 1024).toFixed(1)
    } KB): ${uploaded.material.status}`,
  );
  const material = await waitForMaterial(api, uploaded.material);
  done(`ready: ${material.extracted_chars ?? 0} characters of text; the AI's summary:`);
  const summary = (material.summary ?? "").trim();
  say(indent(summary.length > 1200 ? `${summary.slice(0, 1200)} …` : summary, "     │ "));
  for (const point of material.key_points) say(`     │ - ${point}`);

  step(4, "Ada customizes a catalog activity for the team (real time, monthly quota)");
  const catalog = expectData(
    await api.publicActivitiesList({ work_mode: "hybrid", category: "communication", limit: 5 }),
    "Browsing the catalog",
  );
  const choices = catalog.activities.length > 0
    ? catalog.activities
    : expectData(await api.publicActivitiesList({ limit: 5 }), "Browsing the catalog").activities;
  const picked = choices[0];
  if (!picked) throw new DemoFailure("The catalog is empty: was supabase/seed.sql applied?");
  done(`picked "${picked.title}" (${picked.category}, ${picked.duration_minutes} min) from the catalog`);
  say("   the AI rewrites it for the team (a few seconds with a real model) ...");
  let started = performance.now();
  const customized = expectData(
    await api.activitiesCustomize(
      {
        team_id: team.id,
        public_activity_id: picked.id,
        duration_minutes: 45,
        notes: "Run it in the 13:00 overlap; three colleagues join by video from Porto and Ghent.",
      },
      { idempotencyKey: crypto.randomUUID() },
    ),
    "Customizing the activity",
  );
  done(
    `customized in ${seconds(started)}: "${customized.activity.title}" (${customized.activity.model}); ` +
      `${customized.quota.used} of ${customized.quota.limit} customizations used this month`,
  );

  step(5, "Ada asks for three activities written for the team from its requirements and the document");
  started = performance.now();
  const accepted = expectData(
    await api.activitiesGenerateCustom(
      {
        team_id: team.id,
        requirements: "A 60-minute session in the 13:00 overlap for our first day together after the merger: " +
          "rebuild trust between the day and evening shifts, practise handovers the next shift can act on, and " +
          "keep the three remote colleagues fully involved. No alcohol; one colleague uses a wheelchair.",
        material_ids: [material.id],
      },
      { idempotencyKey: crypto.randomUUID() },
    ),
    "Asking for three activities",
  );
  done(`job ${accepted.job_id} ${accepted.status}; the database wakes the worker`);
  const generated = await waitForJob(api, accepted.job_id, "The generation job", 10 * 60_000);
  const activities = generated.activities ?? [];
  if (activities.length !== 3) {
    throw new DemoFailure(`The generation job succeeded but returned ${activities.length} activities instead of 3`);
  }
  done(`three activities written in ${seconds(started)}`);

  step(6, "The quota this month");
  const quota = expectData(await api.quotaStatus(), "Reading the quota");
  for (const q of quota.quotas) {
    done(
      `${q.feature.padEnd(18)} ${q.used} used of ${q.limit}, ${q.remaining} left, resets ${q.resets_at.slice(0, 10)}`,
    );
  }

  say();
  say(`Generated activities for ${team.name}`);
  say("─".repeat(60));
  activities.forEach((activity, index) => printActivity(index + 1, activities.length, activity));
  say();
  say(`Demo finished in ${seconds(began)}: organization ${orgId}, team ${team.id}.`);
}

/** Waits for the material's processing job, then reads the material back. */
async function waitForMaterial(api: ApiClient, uploaded: Material): Promise<Material> {
  if (uploaded.job_id) {
    try {
      await waitForJob(api, uploaded.job_id, "Processing the document", 5 * 60_000);
    } catch (error) {
      if (!(error instanceof DemoFailure)) throw error;
      // The material's own error says more than the job's status.
    }
  }
  const list = expectData(await api.materialsList({ team_id: uploaded.team_id }), "Reading the document back");
  const material = list.materials.find((m) => m.id === uploaded.id);
  if (!material) throw new DemoFailure("The uploaded document is no longer listed");
  if (material.status !== "ready") {
    throw new DemoFailure(
      `The document was not processed: ${material.status}${material.error ? `: ${material.error}` : ""}`,
    );
  }
  return material;
}

try {
  await runDemo();
} catch (error) {
  if (error instanceof DemoFailure || error instanceof SetupError) {
    console.error(`\nDemo failed: ${error.message}`);
  } else {
    console.error(
      `\nDemo failed: an unexpected error: ${error instanceof Error ? error.stack ?? error.message : error}`,
    );
  }
  Deno.exit(1);
}
