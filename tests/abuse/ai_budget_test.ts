// Every AI call counts against a setting: a free organization that uploads new files, copies, deletes and
// uploads again, and asks for customizations and generations, makes no more AI calls in the month than
// FREE_TIER_MATERIAL_SUMMARY_LIMIT + FREE_TIER_MONTHLY_LIMIT + FREE_TIER_CUSTOM_LIMIT; and when the answers
// are unusable (units given back, retries), no more than FREE_TIER_AI_CALL_CEILING. Calls are counted at the
// fake OpenAI server (its request log), by a marker that only this test's prompts contain.
import { equal, ok } from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { call, type CallResult, clientFor } from "../support/api.ts";
import { createOrganization } from "../support/clerk.ts";
import { withDb } from "../support/db.ts";
import { pdfWithText } from "../support/documents.ts";
import { fakeRequestCount, fakeRule, marker } from "../support/fake_ai.ts";
import { catalogActivityId, createTeam } from "../support/teams.ts";
import { waitFor } from "../support/wait.ts";

type Material = { id: string; status: string; summary: string | null };

async function upload(client: SupabaseClient, teamId: string, bytes: Uint8Array, name: string) {
  const form = new FormData();
  form.append("team_id", teamId);
  form.append("file", new File([bytes as Uint8Array<ArrayBuffer>], name));
  return await call<{ material: Material }>(client, "materials-upload", { body: form });
}

async function setting(name: string): Promise<number> {
  return await withDb(async (sql) => {
    const [row] = await sql`select (value #>> '{}')::int as value from public.app_settings where name = ${name}`;
    return row.value;
  });
}

async function settled(client: SupabaseClient, teamId: string, count: number): Promise<Material[]> {
  return await waitFor(`${count} materials to settle`, async () => {
    const list = await call<{ materials: Material[] }>(client, "materials-list", {
      method: "GET",
      query: { team_id: teamId },
    });
    const done = list.body.materials.filter((m) => m.status === "ready" || m.status === "failed");
    return done.length >= count ? list.body.materials : undefined;
  }, { timeoutMs: 60_000, intervalMs: 250 });
}

Deno.test("budget: a free organization cannot cause more AI calls in a month than its settings allow", async () => {
  const summaries = await setting("FREE_TIER_MATERIAL_SUMMARY_LIMIT");
  const customizations = await setting("FREE_TIER_MONTHLY_LIMIT");
  const generations = await setting("FREE_TIER_CUSTOM_LIMIT");
  const org = await createOrganization("free");
  const client = clientFor(org.admin.token);
  const teamId = await createTeam(client, "Budget team");
  const tag = marker("budget");

  // New files until the allowance is used up, then more: the extra ones are refused with 429.
  const results: CallResult<{ material: Material }>[] = [];
  const files: Uint8Array[] = [];
  for (let i = 0; i < summaries + 3; i++) {
    files.push(await pdfWithText([`${tag} document number ${i}: the plan for quarter ${i}`]));
    results.push(await upload(client, teamId, files[i], `doc-${i}.pdf`));
  }
  const admitted = results.filter((r) => r.status === 201);
  const refused = results.filter((r) => r.status === 429);
  equal(admitted.length, summaries, JSON.stringify(results.map((r) => r.status)));
  equal(refused.length, 3);
  equal(refused[0].body.error?.details.feature, "material_summary");
  equal(refused[0].body.error?.details.limit, summaries);
  await settled(client, teamId, summaries);

  // The same bytes again reuse the summary: 201, ready at once, no AI call, even with the allowance used up.
  const again = await upload(client, teamId, files[0], "copy-of-doc-0.pdf");
  equal(again.status, 201, JSON.stringify(again.body));
  equal(again.body.material.status, "ready");
  ok(again.body.material.summary);

  // Deleting does not give the unit back: a deleted file uploaded again (no copy left) is refused.
  const first = admitted[1].body.material.id;
  equal((await call(client, "materials-delete", { method: "DELETE", body: { material_id: first } })).status, 200);
  const reupload = await upload(client, teamId, files[1], "doc-1-again.pdf");
  equal(reupload.status, 429, JSON.stringify(reupload.body));

  // Customizations and generations are capped by their own settings.
  const activityId = await catalogActivityId(client);
  const customized: number[] = [];
  for (let i = 0; i < customizations + 2; i++) {
    const result = await call(client, "activities-customize", {
      body: { team_id: teamId, public_activity_id: activityId, notes: `${tag} customization ${i}` },
    });
    customized.push(result.status);
  }
  equal(customized.filter((s) => s === 201).length, customizations, JSON.stringify(customized));
  const generated = await call(client, "activities-generate-custom", {
    body: { team_id: teamId, requirements: `${tag} three activities for a team that rarely meets` },
  });
  equal(generated.status, generations === 0 ? 403 : 202);

  const calls = await fakeRequestCount(tag);
  const allowed = summaries + customizations + generations;
  ok(calls <= allowed, `${calls} AI calls, settings allow ${allowed}`);
  equal(calls, summaries + customizations, "each admitted summary and customization made exactly one call");
});

Deno.test("budget: unusable answers and retries still count, so failures cannot buy unbounded AI calls", async () => {
  const ceiling = 8;
  const previous = await setting("FREE_TIER_AI_CALL_CEILING");
  await withDb((sql) =>
    sql`update public.app_settings set value = ${ceiling} where name = 'FREE_TIER_AI_CALL_CEILING'`
  );
  const tag = marker("ceiling");
  // Every answer to this test's prompts breaks the schema: each job attempt asks twice, then retries.
  const removeRule = await fakeRule({ match: tag, behaviour: "schema_violation" });
  try {
    const org = await createOrganization("free");
    const client = clientFor(org.admin.token);
    const teamId = await createTeam(client, "Ceiling team");
    const uploads = [];
    for (let i = 0; i < 3; i++) {
      uploads.push(await upload(client, teamId, await pdfWithText([`${tag} troublesome document ${i}`]), `t-${i}.pdf`));
    }
    for (const result of uploads) equal(result.status, 201, JSON.stringify(result.body));
    const activityId = await catalogActivityId(client);
    const customized: number[] = [];
    for (let i = 0; i < 6; i++) {
      const result = await call(client, "activities-customize", {
        body: { team_id: teamId, public_activity_id: activityId, notes: `${tag} customization ${i}` },
      });
      customized.push(result.status);
    }
    const materials = await settled(client, teamId, 3);
    for (const material of materials) equal(material.status, "failed");
    ok(customized.every((s) => s === 502 || s === 429), JSON.stringify(customized));
    ok(customized.includes(429), `the ceiling was reached: ${JSON.stringify(customized)}`);
    equal(await fakeRequestCount(tag), ceiling, "exactly the ceiling's worth of requests reached the AI");
  } finally {
    await removeRule();
    await withDb((sql) =>
      sql`update public.app_settings set value = ${previous} where name = 'FREE_TIER_AI_CALL_CEILING'`
    );
  }
});
