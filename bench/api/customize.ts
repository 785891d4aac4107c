/**
 * `activities-customize` (fake AI at 0 ms) under N concurrent clients against a bare Deno handler, the stack's
 * `health` function and the customization's AI call alone, in alternating rounds: p50/p95 latency, req/s and
 * CPU time per request of this process, the stack and Postgres.
 */
import { createClient } from "@supabase/supabase-js";
import { call } from "../../tests/support/api.ts";
import { fakeRule, marker } from "../../tests/support/fake_ai.ts";
import { stackStatus } from "../../tests/support/stack.ts";
import { catalogActivityId } from "../../tests/support/teams.ts";
import { ActivityContent } from "../../supabase/functions/_shared/contract/activity.ts";
import { generateStructured } from "../../supabase/functions/_shared/ai/openai.ts";
import {
  customizationPrompt,
  type SourceActivity,
  type TeamForPrompt,
} from "../../supabase/functions/_shared/ai/prompts.ts";
import { startBareServer } from "./bare_server.ts";
import { clientLoop, type LoopResult } from "../support/client_loop.ts";
import type { CpuSnapshot, Processes } from "../support/cpu.ts";
import { type BenchTeam, makeTeams, setting, type Sql } from "../support/organizations.ts";
import { fixed, loadAverage, median } from "../support/stats.ts";

/** What the customization part needs of the command line. */
export interface CustomizeOptions {
  requests: number;
  fastRequests: number;
  rounds: number;
  concurrency: number;
  warmup: number;
}

export interface CustomizeReport {
  rows: { target: string; rounds: LoopResult[] }[];
  organizations: number;
  limit: number;
  setupSeconds: number;
}

const BARE = "bare Deno handler (postgres.js select 1, pool 5)";
const CUSTOMIZE = "`activities-customize` (fake AI 0 ms)";

/**
 * The AI call a customization makes, made from this process with the functions' own module (`generateStructured`:
 * the openai SDK, the JSON schema, zod validation) against the stack's fake server: what the fake server costs
 * the stack's process, and what the SDK and zod cost, apart from the function.
 */
async function customizationAiCall(
  sql: Sql,
  teamId: string,
  activityId: string,
  notes: string,
): Promise<() => Promise<{ status: number; body: unknown }>> {
  const status = stackStatus();
  Deno.env.set("OPENAI_API_KEY", "local-fake-openai-key");
  Deno.env.set("OPENAI_BASE_URL", status.openai_base_url);
  const [team] = await sql<TeamForPrompt[]>`
    select name, size, work_mode, industry, goals, interests, notes from public.teams where id = ${teamId}`;
  const [activity] = await sql<SourceActivity[]>`
    select title, summary, category, duration_minutes, min_group_size, max_group_size, work_modes, objectives,
           materials, preparation, steps, facilitation_tips, debrief_questions
    from public.public_activities where id = ${activityId}`;
  const messages = customizationPrompt({ team, activity, notes });
  return async () => {
    const answer = await generateStructured({
      schema: ActivityContent,
      schemaName: "team_activity",
      messages,
      model: "gpt-4o",
      maxTokens: 2000,
    });
    return { status: 200, body: answer.model };
  };
}

export async function benchCustomize(
  options: CustomizeOptions,
  sql: Sql,
  processes: Processes,
): Promise<CustomizeReport> {
  const status = stackStatus();
  const limit = await setting(sql, "PAID_TIER_MONTHLY_LIMIT");
  const total = options.warmup + options.rounds * options.requests;
  // Round-robin over the organizations: each gets at most ceil(total / n) <= limit requests.
  const organizations = Math.max(Math.ceil(total / limit), Math.min(options.concurrency, total));
  const setupStarted = performance.now();
  const teams = await makeTeams(organizations);
  const activityId = await catalogActivityId(teams[0].client);
  const run = marker("api-bench-customize");
  const removeRule = await fakeRule({ behaviour: "ok", latency_ms: 0, match: run });
  const bare = await startBareServer(status.db_url);
  const setupSeconds = (performance.now() - setupStarted) / 1000;
  console.error(
    `customize: ${organizations} paid organizations (limit ${limit} each) ready in ${fixed(setupSeconds)} s`,
  );

  const token = teams[0].org.admin.token;
  const bareClient = createClient(bare.url, status.anon_key, {
    auth: { persistSession: false, autoRefreshToken: false },
    accessToken: async () => await Promise.resolve(token),
  });
  const healthClient = teams[0].client;
  let sequence = 0;
  const notes = `Benchmark run ${run}: keep it short.`;
  const bodyFor = (team: BenchTeam) => ({ team_id: team.teamId, public_activity_id: activityId, notes });
  const aiCall = await customizationAiCall(sql, teams[0].teamId, activityId, notes);
  const targets: Record<
    string,
    { status: number; count: number; send: (index: number) => Promise<{ status: number; body: unknown }> }
  > = {
    [BARE]: {
      status: 200,
      count: options.fastRequests,
      send: (index) => call(bareClient, "bare", { body: bodyFor(teams[index % teams.length]) }),
    },
    "`health` (stack: shared pipeline + select 1)": {
      status: 200,
      count: options.fastRequests,
      send: () => call(healthClient, "health", { method: "GET" }),
    },
    "the customization's AI call alone (openai SDK + zod in the bench → stack's fake server, 0 ms)": {
      status: 200,
      count: options.requests,
      send: aiCall,
    },
    [CUSTOMIZE]: {
      status: 201,
      count: options.requests,
      send: () => {
        const team = teams[sequence++ % teams.length];
        return call(team.client, "activities-customize", { body: bodyFor(team) });
      },
    },
  };
  const names = Object.keys(targets);
  const rows = names.map((target) => ({ target, rounds: [] as LoopResult[] }));
  try {
    for (const name of names) {
      const warm = await clientLoop(
        options.warmup,
        options.concurrency,
        processes,
        targets[name].send,
        targets[name].status,
      );
      console.error(`warm-up ${name}: ${options.warmup} requests, ${fixed(warm.rps, 0)} req/s, ${warm.errors} errors`);
      if (warm.errors > 0) throw new Error(`warm-up of ${name} failed: ${warm.firstError}`);
    }
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        const result = await clientLoop(
          targets[name].count,
          options.concurrency,
          processes,
          targets[name].send,
          targets[name].status,
        );
        rows[names.indexOf(name)].rounds[round] = result;
        console.error(
          `round ${round + 1} ${name}: ${fixed(result.rps, 0)} req/s, p50 ${fixed(result.p50)} ms, p95 ${
            fixed(result.p95)
          } ms, ${result.errors} errors${result.firstError ? ` (first: ${result.firstError})` : ""}; load ${
            loadAverage() ?? "n/a"
          }`,
        );
      }
    }
  } finally {
    await bare.stop();
    await removeRule();
  }
  return { rows, organizations, limit, setupSeconds };
}

export function customizeTable(report: CustomizeReport, options: CustomizeOptions): string {
  const bare = report.rows[0].rounds;
  const lines = [
    `| target (${options.concurrency} clients, supabase-js \`functions.invoke\`) | req/s per round | median req/s | ` +
    `median p50 ms | median p95 ms | req/s ratio to bare (per round) | median p50 ratio | median p95 ratio | ` +
    `CPU ms per request: bench / stack / postgres | errors |`,
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const row of report.rows) {
    const rps = row.rounds.map((r) => r.rps);
    const ratios = row.rounds.map((r, i) => r.rps / bare[i].rps);
    const p50Ratios = row.rounds.map((r, i) => r.p50 / bare[i].p50);
    const p95Ratios = row.rounds.map((r, i) => r.p95 / bare[i].p95);
    const cpu = (key: keyof CpuSnapshot) => fixed(median(row.rounds.map((r) => (r.cpu[key] * 1000) / r.count)), 2);
    lines.push(
      `| ${row.target} | ${rps.map((v) => fixed(v, 0)).join(", ")} | ${fixed(median(rps), 0)} | ${
        fixed(median(row.rounds.map((r) => r.p50)))
      } | ${fixed(median(row.rounds.map((r) => r.p95)))} | ${ratios.map((v) => fixed(v, 3)).join(", ")} (median ${
        fixed(median(ratios), 3)
      }) | ${fixed(median(p50Ratios), 1)} | ${fixed(median(p95Ratios), 1)} | ${cpu("bench")} / ${cpu("stack")} / ${
        cpu("postgres")
      } | ${row.rounds.reduce((sum, r) => sum + r.errors, 0)} |`,
    );
  }
  return lines.join("\n");
}
