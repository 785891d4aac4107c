// The original design's request examples, adapted only in URL (one function per endpoint, path parameters as
// query or body fields) and auth (the Clerk session token through supabase-js), all answer 2xx: a frontend
// written against the original API works. organization_id may be Clerk's id or ours, and must be the
// session's active organization. The typed client's activity content is typed to its steps.
import { deepEqual, equal, ok } from "node:assert/strict";
import { createApiClient } from "../../supabase/functions/_shared/contract/client.ts";
import { call, clientFor } from "../support/api.ts";
import { createOrganization, postDelivery, signedDelivery, uniqueId } from "../support/clerk.ts";
import { pdfWithText } from "../support/documents.ts";
import { countRows } from "../support/db.ts";
import { catalogActivityId, createTeam, waitForJobEnd } from "../support/teams.ts";
import { waitFor } from "../support/wait.ts";

type Json = Record<string, unknown>;

async function uploadForm(fields: Record<string, string>): Promise<FormData> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const bytes = await pdfWithText(["Our team works across four time zones and wants better collaboration."]);
  form.append("file", new File([bytes as Uint8Array<ArrayBuffer>], "team-retro.pdf", { type: "application/pdf" }));
  return form;
}

Deno.test("original design: every request example answers 2xx through supabase-js", async () => {
  const org = await createOrganization("paid");
  const client = clientFor(org.admin.token);
  const team_id = await createTeam(client);
  const organization_id = org.clerkOrgId; // what a Clerk frontend has: organization.id

  // GET / and GET /health
  equal((await call(clientFor(), "index", { method: "GET" })).status, 200);
  equal((await call(clientFor(), "health", { method: "GET" })).status, 200);
  // GET /api/webhooks/clerk/health
  const webhookHealth = await call(clientFor(), "clerk-webhook", { method: "GET" });
  deepEqual([webhookHealth.status, webhookHealth.body], [200, { status: "ok", signing_secret_configured: true }]);
  // POST /api/webhooks/clerk (Clerk signs it; no user token)
  const delivery = signedDelivery({ type: "user.created", data: { id: uniqueId("user"), email_addresses: [] } });
  equal((await postDelivery(delivery)).status, 200);

  // POST /api/materials/upload  multipart: team_id, organization_id, file
  const upload = await call<{ material: Json }>(client, "materials-upload", {
    body: await uploadForm({ team_id, organization_id }),
  });
  equal(upload.status, 201, JSON.stringify(upload.body));
  const material_id = upload.body.material.id as string;

  // POST /api/activities/customize {team_id, organization_id, public_activity_id, duration_minutes: 30}
  const public_activity_id = await catalogActivityId(client);
  const customized = await call<{ activity: { id: string; content: Json } }>(client, "activities-customize", {
    body: { team_id, organization_id, public_activity_id, duration_minutes: 30 },
  });
  equal(customized.status, 201, JSON.stringify(customized.body));
  const activity_id = customized.body.activity.id;

  // POST /api/activities/generate-custom {team_id, organization_id, requirements}
  const generated = await call<{ job_id: string }>(client, "activities-generate-custom", {
    body: { team_id, organization_id, requirements: "Focus on remote team collaboration" },
  });
  equal(generated.status, 202, JSON.stringify(generated.body));
  const job_id = generated.body.job_id;

  // GET /api/jobs/{job_id} and GET /api/jobs/team/{team_id}
  const job = await call<{ job: Json }>(client, "jobs-get", { method: "GET", query: { job_id } });
  equal(job.status, 200);
  equal((await call(client, "jobs-list", { method: "GET", query: { team_id } })).status, 200);
  // GET /api/materials/{team_id}
  equal((await call(client, "materials-list", { method: "GET", query: { team_id } })).status, 200);
  // GET /api/activities/team/{team_id}
  equal((await call(client, "activities-list", { method: "GET", query: { team_id } })).status, 200);
  // PATCH /api/activities/{activity_id}/status
  const moved = await call(client, "activities-update-status", {
    method: "PATCH",
    body: { activity_id, status: "planned" },
  });
  equal(moved.status, 200);

  await waitFor("the material to be processed", async () => {
    const listed = await call<{ materials: Json[] }>(client, "materials-list", { method: "GET", query: { team_id } });
    return listed.body.materials.find((m) => m.id === material_id)?.status === "ready" ? true : undefined;
  }, { timeoutMs: 20_000, intervalMs: 200 });
  // DELETE /api/materials/{material_id}
  equal((await call(client, "materials-delete", { method: "DELETE", body: { material_id } })).status, 200);
  equal((await waitForJobEnd(client, job_id, 20_000)).job.status, "succeeded");
});

Deno.test("original design: organization_id may be our uuid too, and another organization is refused with 403", async () => {
  const org = await createOrganization("paid");
  const other = await createOrganization("paid");
  const client = clientFor(org.admin.token);
  const team_id = await createTeam(client);
  const quota = await call<{ organization: { id: string } }>(client, "quota-status", { method: "GET" });
  const ourId = quota.body.organization.id;
  const otherId = (await call<{ organization: { id: string } }>(clientFor(other.admin.token), "quota-status", {
    method: "GET",
  })).body.organization.id;
  const body = { team_id, requirements: "Focus on remote team collaboration" };

  const withUuid = await call(client, "activities-generate-custom", { body: { ...body, organization_id: ourId } });
  equal(withUuid.status, 202);

  for (const organization_id of [other.clerkOrgId, otherId]) {
    const refused = await call(client, "activities-generate-custom", { body: { ...body, organization_id } });
    equal(refused.status, 403);
    equal(refused.body.error?.code, "forbidden");
    equal(refused.body.error?.details.field, "organization_id");
    ok(refused.body.error?.message.includes("the session token's organization is the one used"));
    equal(refused.body.error?.details.active_clerk_org_id, org.clerkOrgId);
  }
  const customize = await call(client, "activities-customize", {
    body: { team_id, organization_id: other.clerkOrgId, public_activity_id: await catalogActivityId(client) },
  });
  equal(customize.status, 403);
  const upload = await call(client, "materials-upload", {
    body: await uploadForm({ team_id, organization_id: other.clerkOrgId }),
  });
  equal(upload.status, 403);
  equal(await countRows("public.team_materials", "team_id = $1", team_id), 0, "nothing was stored");
  equal(await countRows("public.jobs", "team_id = $1", team_id), 1, "only the accepted generation was queued");

  // A team of another organization named beside the active organization is not found.
  const otherTeam = await createTeam(clientFor(other.admin.token));
  const elsewhere = await call(client, "activities-generate-custom", {
    body: { ...body, team_id: otherTeam, organization_id: org.clerkOrgId },
  });
  equal(elsewhere.status, 404);
  const empty = await call(client, "activities-generate-custom", { body: { ...body, organization_id: "" } });
  equal(empty.status, 400);
  equal(empty.body.error?.details.field, "organization_id");
});

Deno.test("original design: customized and generated activities honour the asked minutes and the team's size", async () => {
  const org = await createOrganization("paid");
  const api = createApiClient(clientFor(org.admin.token));
  const team = await api.teamsCreate({ name: "Platform", profile: { size: 9, work_mode: "remote" } });
  const team_id = team.data!.team.id;
  const catalog = await api.publicActivitiesList({ category: "icebreaker", limit: 1 });
  const source = catalog.data!.activities[0];

  const customized = await api.activitiesCustomize({
    team_id,
    organization_id: org.clerkOrgId,
    public_activity_id: source.id,
    duration_minutes: 25,
  });
  const content = customized.data!.activity.content;
  // Typed to its steps: this line would not compile with an untyped content.
  const first: { number: number; instruction: string; duration_minutes: number } = content.steps[0];
  equal(first.number, 1);
  equal(content.duration_minutes, 25);
  equal(content.steps.reduce((sum, step) => sum + step.duration_minutes, 0), 25);
  ok(content.group_size.min <= 9 && 9 <= content.group_size.max);
  equal(content.work_mode, "remote");
  ok(content.title.startsWith(source.title), `${content.title} comes from ${source.title}`);

  const accepted = await api.activitiesGenerateCustom({
    team_id,
    requirements: "Focus on remote team collaboration in 40 minutes",
  });
  const view = await waitForJobEnd(clientFor(org.admin.token), accepted.data!.job_id, 20_000);
  equal(view.activities?.length, 3);
  const job = await api.jobsGet({ job_id: accepted.data!.job_id });
  for (const activity of job.data!.activities!) {
    equal(activity.content.duration_minutes, 40);
    ok(activity.content.group_size.min <= 9 && 9 <= activity.content.group_size.max);
    ok(activity.content.title.includes("Collaboration"), activity.content.title);
  }
  deepEqual(job.data!.job.progress, { stage: "done", percent: 100 });
});
