// AI provider outages, injected at the fake OpenAI server: a 429 "slow down" with Retry-After, then 500s,
// while generation jobs wait; customizations during an outage; a material whose summary failed.
import { deepEqual, equal, ok } from "node:assert/strict";
import { call, clientFor } from "../support/api.ts";
import { createOrganization } from "../support/clerk.ts";
import { withDb } from "../support/db.ts";
import { pdfWithText } from "../support/documents.ts";
import { fakeRequestCount, fakeRule, marker, resetAiCircuit } from "../support/fake_ai.ts";
import { stackStatus } from "../support/stack.ts";
import { catalogActivityId, createTeam, quotaOf } from "../support/teams.ts";
import { waitFor } from "../support/wait.ts";

/** Length of each outage phase; the scenario is 60 s of 429s then 60 s of 500s. */
const PHASE_MS = Number(Deno.env.get("OUTAGE_PHASE_SECONDS") ?? 60) * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("outage: 429s with Retry-After, then 500s, while 50 jobs wait: none dead, all done soon after, 50 charged", async () => {
  const run = marker("outage");
  const ids: string[] = [];
  const organizations: string[] = [];
  let remove = await fakeRule({ behaviour: "http_error", status: 429, retry_after_s: 10, match: run });
  try {
    for (let org = 0; org < 5; org++) {
      const organization = await createOrganization("paid");
      const client = clientFor(organization.admin.token);
      const teamId = await createTeam(client);
      for (let i = 0; i < 10; i++) {
        const accepted = await call<{ job_id: string }>(client, "activities-generate-custom", {
          body: { team_id: teamId, requirements: `Outage job ${org}.${i} ${run}` },
        });
        equal(accepted.status, 202);
        ids.push(accepted.body.job_id);
      }
    }
    await sleep(PHASE_MS);
    const during429 = await fakeRequestCount(run);
    await remove();
    remove = await fakeRule({ behaviour: "http_error", status: 500, match: run });
    await sleep(PHASE_MS);
    const total = await fakeRequestCount(run);
    await remove();
    const recovered = performance.now();
    const rows = await waitFor("every job to end after the provider recovers", async () => {
      const rows = await withDb((sql) =>
        sql`select status, attempts, deferrals, organization_id from public.jobs where id = any(${ids}::uuid[])`
      );
      return rows.every((row) => ["succeeded", "dead", "failed"].includes(row.status)) ? rows : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500 });
    const seconds = (performance.now() - recovered) / 1000;
    equal(rows.filter((row) => row.status === "dead").length, 0, "no job died in the outage");
    equal(rows.filter((row) => row.status === "succeeded").length, 50, "all 50 succeeded");
    ok(seconds <= 60, `all done ${seconds.toFixed(1)} s after the provider recovered`);
    ok(rows.every((row) => row.attempts === 1), "the outage spent no attempt");
    // Honouring the pause: 50 jobs over 2 minutes of outage made far fewer calls than retrying blindly.
    ok(during429 < 50 + 60, `${during429} calls while the provider said "slow down"`);
    console.log(
      `  ${during429} AI calls during the 429 phase, ${total - during429} during the 500 phase, ` +
        `recovered in ${seconds.toFixed(1)} s`,
    );
    organizations.push(...new Set(rows.map((row) => row.organization_id as string)));
    await withDb(async (sql) => {
      const [quota] = await sql`
        select sum(used)::int as used, sum(reserved)::int as reserved from public.usage_quotas
        where feature = 'custom_generation' and organization_id = any(${organizations}::uuid[])`;
      deepEqual({ used: quota.used, reserved: quota.reserved }, { used: 50, reserved: 0 }, "quota used = 50");
      const [sets] = await sql`
        select count(*)::int as activities from public.team_activities where job_id = any(${ids}::uuid[])`;
      equal(sets.activities, 150, "three activities per job, none twice");
    });
  } finally {
    await remove();
    await resetAiCircuit();
  }
});

async function customizeRaw(token: string, body: unknown): Promise<Response> {
  const status = stackStatus();
  return await fetch(`${status.api_url}/functions/v1/activities-customize`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, apikey: status.anon_key, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

Deno.test("outage: customize answers 503 with Retry-After, charges nothing, and waits out the provider's pause", async () => {
  const org = await createOrganization("free");
  const client = clientFor(org.admin.token);
  const teamId = await createTeam(client);
  const activityId = await catalogActivityId(client);
  const notes = marker("customize-outage");
  const remove = await fakeRule({ behaviour: "http_error", status: 429, retry_after_s: 30, match: notes });
  try {
    const first = await customizeRaw(org.admin.token, { team_id: teamId, public_activity_id: activityId, notes });
    equal(first.status, 503);
    const retryAfter = Number(first.headers.get("retry-after"));
    ok(retryAfter >= 28 && retryAfter <= 30, `Retry-After ${first.headers.get("retry-after")}`);
    const body = await first.json();
    equal(body.error.code, "service_unavailable");
    equal(body.error.details.retryable, true);
    // Within the pause, requests are refused before anything is reserved or sent to the provider.
    const second = await customizeRaw(org.admin.token, { team_id: teamId, public_activity_id: activityId, notes });
    equal(second.status, 503);
    ok(Number(second.headers.get("retry-after")) >= 25, "the remaining pause is announced");
    await second.body?.cancel();
    equal(await fakeRequestCount(notes), 1, "the provider was called once");
    const quota = await quotaOf(client, "customization");
    deepEqual({ used: quota.used, reserved: quota.reserved }, { used: 0, reserved: 0 }, "nothing charged or held");
    // 500s from a healthy provider's point of view: 503 with a short Retry-After, still nothing charged.
    await resetAiCircuit();
    const failing = marker("customize-500");
    const removeFailing = await fakeRule({ behaviour: "http_error", status: 500, match: failing, times: 1 });
    const third = await customizeRaw(org.admin.token, {
      team_id: teamId,
      public_activity_id: activityId,
      notes: failing,
    });
    await removeFailing();
    equal(third.status, 503);
    ok(Number(third.headers.get("retry-after")) >= 1);
    await third.body?.cancel();
    const after = await call(client, "activities-customize", {
      body: { team_id: teamId, public_activity_id: activityId, notes: failing },
    });
    equal(after.status, 201, "the retry after Retry-After succeeds");
    equal((await quotaOf(client, "customization")).used, 1, "only the success is charged");
  } finally {
    await remove();
    await resetAiCircuit();
  }
});

type MaterialView = {
  id: string;
  status: string;
  error: string | null;
  processing: { status: string; attempts: number; retry_at: string | null; last_error: string | null } | null;
};

Deno.test("outage: a material whose summary failed shows why, and a retry processes it", async () => {
  const org = await createOrganization("paid");
  const client = clientFor(org.admin.token);
  const teamId = await createTeam(client);
  const text = `Refused summary ${marker("material-retry")}`;
  // A 400 is the provider refusing this request for good: the job fails at once, the material too.
  const remove = await fakeRule({ behaviour: "http_error", status: 400, match: text, times: 1 });
  try {
    const form = new FormData();
    form.append("team_id", teamId);
    form.append("file", new File([await pdfWithText([text]) as Uint8Array<ArrayBuffer>], "notes.pdf"));
    const uploaded = await call<{ material: MaterialView }>(client, "materials-upload", { body: form });
    equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    const id = uploaded.body.material.id;
    const list = async () =>
      (await call<{ materials: MaterialView[] }>(client, "materials-list", {
        method: "GET",
        query: { team_id: teamId },
      }))
        .body.materials.find((m) => m.id === id)!;
    const failed = await waitFor("the material to fail", async () => {
      const material = await list();
      return material.status === "failed" ? material : undefined;
    });
    ok(failed.error?.includes("400"), failed.error ?? "");
    equal(failed.processing?.status, "failed");
    equal(failed.processing?.attempts, 1, "a permanent refusal is not retried on its own");

    const retried = await call<{ material: MaterialView }>(client, "materials-retry", { body: { material_id: id } });
    equal(retried.status, 202, JSON.stringify(retried.body));
    equal(retried.body.material.status, "processing");
    equal(retried.body.material.error, null);
    const ready = await waitFor("the retried material to be ready", async () => {
      const material = await list();
      return material.status === "ready" ? material : undefined;
    });
    equal(ready.processing?.status, "succeeded");

    const again = await call(client, "materials-retry", { body: { material_id: id } });
    equal(again.status, 409, "only a failed material can be retried");
    const other = await createOrganization("paid");
    const stranger = await call(clientFor(other.admin.token), "materials-retry", { body: { material_id: id } });
    equal(stranger.status, 404, "another organization's material does not exist for it");
    const bad = await call(client, "materials-retry", { body: { material_id: "nope" } });
    equal(bad.status, 400);
  } finally {
    await remove();
    await resetAiCircuit();
  }
});
