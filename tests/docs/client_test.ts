// The typed client (supabase/functions/_shared/contract/client.ts) against the test stack: it agrees with
// api_spec.ts, calls every kind of endpoint (query, JSON body, multipart, Idempotency-Key), reports errors in
// the shared shape, and every answer it gets matches the OpenAPI document's response schema.
import { deepEqual, equal, ok } from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import { z } from "zod";
import Ajv2020Module from "npm:ajv@8.20.0/dist/2020.js";
import addFormatsModule from "npm:ajv-formats@3.0.1";
import {
  type ApiClient,
  type ApiResult,
  type ClientOperation,
  createApiClient,
  OPERATIONS,
} from "../../supabase/functions/_shared/contract/client.ts";
import {
  documentedEndpoints,
  openApiDocument,
  operationIdOfEndpoint,
  pathOf,
} from "../../supabase/functions/_shared/contract/openapi.ts";
import { clientFor } from "../support/api.ts";
import { createOrganization } from "../support/clerk.ts";
import { pdfWithText } from "../support/documents.ts";
import { marker } from "../support/fake_ai.ts";
import { freePort } from "../../scripts/lib/postgres.ts";
import { stackStatus } from "../support/stack.ts";
import { waitFor } from "../support/wait.ts";

// deno-lint-ignore no-explicit-any
const Ajv2020 = ((Ajv2020Module as any).default ?? Ajv2020Module) as any;
// deno-lint-ignore no-explicit-any
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as any;

const document = openApiDocument();
const DOCUMENT_ID = "https://team-activities.local/openapi.json";
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...document, $id: DOCUMENT_ID });

/** Fails unless the call succeeded with the documented status and a body that fits the documented schema. */
function expectOk<T>(result: ApiResult<T>, method: keyof typeof OPERATIONS): T {
  ok(result.error === null, `${method}: ${JSON.stringify(result.error)}`);
  const operation = OPERATIONS[method];
  equal(result.status, operation.status, method);
  const paths = document.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
  // deno-lint-ignore no-explicit-any
  const response = paths[`/${operation.name}`][operation.method.toLowerCase()].responses[operation.status] as any;
  const ref = response.content["application/json"].schema.$ref as string;
  const validate = ajv.getSchema(`${DOCUMENT_ID}${ref}`);
  ok(validate(result.data), `${method}'s answer does not fit ${ref}: ${JSON.stringify(validate.errors)}`);
  return result.data as T;
}

function expectError<T>(result: ApiResult<T>, status: number, code: string) {
  ok(result.error, `expected ${status} ${code}, got ${result.status}`);
  deepEqual([result.error.status, result.error.code, result.status], [status, code, status]);
  ok(result.error.message.length > 0);
  ok(result.requestId || status === 0, "the request id is reported");
  return result.error;
}

function jsonSchema(schema: z.ZodType | undefined) {
  return schema && z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" });
}

async function paidClient(): Promise<ApiClient> {
  const org = await createOrganization("paid");
  return createApiClient(clientFor(org.admin.token));
}

Deno.test("client: one method per function, each agreeing with api_spec.ts (method, inputs, answers)", () => {
  const endpoints = documentedEndpoints();
  deepEqual(Object.keys(OPERATIONS).sort(), endpoints.map((endpoint) => operationIdOfEndpoint(endpoint)).sort());
  for (const endpoint of endpoints) {
    const operation: ClientOperation = OPERATIONS[operationIdOfEndpoint(endpoint) as keyof typeof OPERATIONS];
    const label = operationIdOfEndpoint(endpoint);
    equal(operation.name, pathOf(endpoint).slice(1), label);
    equal(operation.method, endpoint.method, label);
    equal(operation.status, endpoint.success.status, label);
    equal(Boolean(operation.idempotencyKey), Boolean(endpoint.idempotencyKey), label);
    deepEqual(jsonSchema(operation.query), jsonSchema(endpoint.query), `${label} query`);
    deepEqual(jsonSchema(operation.body), jsonSchema(endpoint.body), `${label} body`);
    deepEqual(jsonSchema(operation.response), jsonSchema(endpoint.success.schema), `${label} response`);
    deepEqual(
      operation.multipart ?? null,
      endpoint.multipart
        ? Object.fromEntries(
          Object.entries(endpoint.multipart).map(([field, spec]) => [field, spec.optional ? "string?" : spec.type]),
        )
        : null,
      `${label} multipart`,
    );
  }
});

Deno.test("client: teams, the catalog and the quota, with errors in the shared shape", async () => {
  const api = await paidClient();
  expectOk(await api.health(), "health");

  const created = expectOk(
    await api.teamsCreate({ name: "Client Squad", profile: { size: 7, work_mode: "remote", goals: ["Trust"] } }),
    "teamsCreate",
  );
  equal(created.team.profile.size, 7);
  const listed = expectOk(await api.teamsList(), "teamsList");
  deepEqual(listed.teams.map((team) => team.id), [created.team.id]);
  const updated = expectOk(
    await api.teamsUpdate({ team_id: created.team.id, profile: { interests: ["Board games"] } }),
    "teamsUpdate",
  );
  deepEqual(updated.team.profile.interests, ["Board games"]);

  const firstPage = expectOk(await api.publicActivitiesList({ limit: 3, work_mode: "remote" }), "publicActivitiesList");
  equal(firstPage.activities.length, 3);
  ok(firstPage.next_cursor, "a next page");
  ok(firstPage.activities.every((activity) => activity.work_modes.includes("remote")));
  const secondPage = expectOk(
    await api.publicActivitiesList({ limit: 3, work_mode: "remote", cursor: firstPage.next_cursor! }),
    "publicActivitiesList",
  );
  ok(!secondPage.activities.some((a) => firstPage.activities.some((b) => a.id === b.id)), "pages do not overlap");

  const quota = expectOk(await api.quotaStatus(), "quotaStatus");
  equal(quota.organization.plan, "paid");
  deepEqual(quota.quotas.map((q) => q.feature).sort(), ["custom_generation", "customization", "material_summary"]);

  const invalid = expectError(
    await api.teamsCreate({ name: "Bad", profile: { size: 0, work_mode: "remote" } }),
    400,
    "invalid_input",
  );
  equal(invalid.details?.field, "profile.size");
  expectError(await api.jobsGet({ job_id: crypto.randomUUID() }), 404, "not_found");
  expectError(await api.teamsDelete({ team_id: crypto.randomUUID() }), 404, "not_found");
  const anonymous = createApiClient(clientFor());
  expectError(await anonymous.teamsList(), 401, "unauthorized");
  const deleted = expectOk(await api.teamsDelete({ team_id: created.team.id }), "teamsDelete");
  equal(deleted.team_id, created.team.id);
});

Deno.test("client: customize with an Idempotency-Key replays the first answer and spends once", async () => {
  const api = await paidClient();
  const { team } = expectOk(
    await api.teamsCreate({ name: "Replay Squad", profile: { size: 5, work_mode: "hybrid" } }),
    "teamsCreate",
  );
  const catalog = expectOk(await api.publicActivitiesList({ limit: 1 }), "publicActivitiesList");
  const body = { team_id: team.id, public_activity_id: catalog.activities[0].id, duration_minutes: 30 };
  const key = `client-test-${crypto.randomUUID()}`;
  const first = expectOk(await api.activitiesCustomize(body, { idempotencyKey: key }), "activitiesCustomize");
  const replay = expectOk(await api.activitiesCustomize(body, { idempotencyKey: key }), "activitiesCustomize");
  equal(replay.activity.id, first.activity.id);
  equal(first.quota.used, 1);
  equal(replay.quota.used, 1);
  expectError(
    await api.activitiesCustomize({ ...body, duration_minutes: 60 }, { idempotencyKey: key }),
    422,
    "unprocessable",
  );
  const usage = expectOk(await api.quotaStatus(), "quotaStatus").quotas.find((q) => q.feature === "customization");
  equal(usage?.used, 1, "the replay spent nothing");
  const listed = expectOk(await api.activitiesList({ team_id: team.id, source: "customized" }), "activitiesList");
  deepEqual(listed.activities.map((activity) => activity.id), [first.activity.id]);
  const planned = expectOk(
    await api.activitiesUpdateStatus({ activity_id: first.activity.id, status: "planned" }),
    "activitiesUpdateStatus",
  );
  equal(planned.activity.status, "planned");
  expectError(
    await api.activitiesUpdateStatus({ activity_id: first.activity.id, status: "planned" }),
    409,
    "conflict",
  );
});

Deno.test("client: upload a PDF (FormData), it is summarized, then generate three activities and poll jobs-get", async () => {
  const api = await paidClient();
  const { team } = expectOk(
    await api.teamsCreate({ name: "Upload Squad", profile: { size: 8, work_mode: "onsite" } }),
    "teamsCreate",
  );
  const bytes = await pdfWithText(["Team retro: the night shift feels unheard.", "Goals: better handovers."]);
  const uploaded = expectOk(
    await api.materialsUpload({
      team_id: team.id,
      file: new File([bytes as Uint8Array<ArrayBuffer>], "retro.pdf", { type: "application/pdf" }),
    }),
    "materialsUpload",
  );
  equal(uploaded.material.filename, "retro.pdf");
  equal(uploaded.material.size_bytes, bytes.byteLength);
  const ready = await waitFor("the material to be summarized", async () => {
    const { materials } = expectOk(await api.materialsList({ team_id: team.id }), "materialsList");
    const material = materials.find((m) => m.id === uploaded.material.id);
    return material && ["ready", "failed"].includes(material.status) ? material : undefined;
  }, { timeoutMs: 30_000, intervalMs: 200 });
  equal(ready.status, "ready", ready.error ?? "");
  ok(ready.summary);
  const download = expectOk(await api.materialsDownload({ material_id: ready.id }), "materialsDownload");
  equal((await (await fetch(download.url)).arrayBuffer()).byteLength, bytes.byteLength);

  const key = `client-generate-${crypto.randomUUID()}`;
  const requirements = `A calm session to rebuild trust between shifts ${marker("client")}`;
  const input = { team_id: team.id, requirements, material_ids: [ready.id] };
  const accepted = expectOk(
    await api.activitiesGenerateCustom(input, { idempotencyKey: key }),
    "activitiesGenerateCustom",
  );
  equal(accepted.status, "queued");
  const again = expectOk(
    await api.activitiesGenerateCustom(input, { idempotencyKey: key }),
    "activitiesGenerateCustom",
  );
  equal(again.job_id, accepted.job_id, "the retry names the same job");

  const stages = new Set<string>();
  const view = await waitFor("the generation job to end", async () => {
    const current = expectOk(await api.jobsGet({ job_id: accepted.job_id }), "jobsGet");
    const stage = (current.job.progress as { stage?: string }).stage;
    if (stage) stages.add(stage);
    return ["succeeded", "failed", "dead", "cancelled"].includes(current.job.status) ? current : undefined;
  }, { timeoutMs: 30_000, intervalMs: 100 });
  equal(view.job.status, "succeeded", view.job.error ?? "");
  equal(view.activities?.length, 3);
  ok(stages.size > 0, "progress reported a stage");
  const jobs = expectOk(await api.jobsList({ team_id: team.id, status: "succeeded" }), "jobsList");
  ok(jobs.jobs.some((job) => job.id === accepted.job_id));

  const removed = expectOk(await api.materialsDelete({ material_id: ready.id }), "materialsDelete");
  equal(removed.material_id, ready.id);
  expectError(await api.materialsDownload({ material_id: ready.id }), 404, "not_found");
});

Deno.test("client: the documentation functions, and an unreachable server as status 0", async () => {
  const api = createApiClient(clientFor());
  const served = expectOk(await api.openapi(), "openapi");
  equal(served.openapi, "3.1.1");
  const page = await api.docs();
  equal(page.error, null);
  ok(page.data?.includes("swagger-ui"));

  const nowhere = createApiClient(createClient(`http://127.0.0.1:${freePort()}`, stackStatus().anon_key));
  const failed = expectError(await nowhere.health(), 0, "network_error");
  ok(failed.message.startsWith("The function could not be reached"));
});
