// The examples in the OpenAPI document (supabase/functions/_shared/contract/examples.ts) against the stack:
// every operation's request example, with the example ids replaced by real ones, is sent through
// supabase-js and answers the documented status with a body of the example's shape; every response
// example is valid against its schema. When the code changes a shape, this fails until the docs do too.
import { deepEqual, equal, ok } from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { EXAMPLE_IDS, EXAMPLES } from "../../supabase/functions/_shared/contract/examples.ts";
import {
  type DocumentationEndpoint,
  documentedEndpoints,
  operationIdOfEndpoint,
  pathOf,
} from "../../supabase/functions/_shared/contract/openapi.ts";
import { clientFor } from "../support/api.ts";
import { createOrganization, postDelivery, signedDelivery, uniqueId } from "../support/clerk.ts";
import { pdfWithText } from "../support/documents.ts";
import { fakeRule, marker } from "../support/fake_ai.ts";
import { stackStatus } from "../support/stack.ts";
import { waitFor } from "../support/wait.ts";

type Json = Record<string, unknown>;

/** Where the shape of `actual` differs from `example`: keys present in one only, or other types. */
export function shapeProblems(actual: unknown, example: unknown, path = "$", problems: string[] = []): string[] {
  if (actual === null || example === null) return problems;
  if (Array.isArray(example)) {
    if (!Array.isArray(actual)) problems.push(`${path}: an array in the example, ${typeof actual} in the answer`);
    else if (actual.length > 0 && example.length > 0) shapeProblems(actual[0], example[0], `${path}[0]`, problems);
    return problems;
  }
  if (typeof example === "object") {
    if (typeof actual !== "object" || Array.isArray(actual)) {
      problems.push(`${path}: an object in the example, not in the answer`);
      return problems;
    }
    const exampleKeys = Object.keys(example as Json).sort();
    const actualKeys = Object.keys(actual as Json).sort();
    for (const key of actualKeys.filter((key) => !exampleKeys.includes(key))) {
      problems.push(`${path}.${key}: answered but missing from the example`);
    }
    for (const key of exampleKeys.filter((key) => !actualKeys.includes(key))) {
      problems.push(`${path}.${key}: in the example but not answered`);
    }
    for (const key of exampleKeys.filter((key) => actualKeys.includes(key))) {
      shapeProblems((actual as Json)[key], (example as Json)[key], `${path}.${key}`, problems);
    }
    return problems;
  }
  if (typeof actual !== typeof example) {
    problems.push(`${path}: ${typeof example} in the example, ${typeof actual} in the answer`);
  }
  return problems;
}

function endpointOf(operationId: string): DocumentationEndpoint {
  const endpoint = documentedEndpoints().find((candidate) => operationIdOfEndpoint(candidate) === operationId);
  ok(endpoint, `no operation ${operationId}`);
  return endpoint;
}

/** Replaces every example id in a value by the real id mapped to it. */
function substitute<T>(value: T, ids: Map<string, string>): T {
  let text = JSON.stringify(value);
  for (const [example, real] of ids) text = text.replaceAll(example, real);
  return JSON.parse(text);
}

interface Run {
  client: SupabaseClient;
  ids: Map<string, string>;
  checked: string[];
}

/** Sends an operation's request example and checks the answer against its response example. */
async function sendExample(run: Run, operationId: string, headers: Record<string, string> = {}): Promise<Json> {
  const endpoint = endpointOf(operationId);
  const example = EXAMPLES[operationId];
  ok(example, `${operationId} has an example`);
  endpoint.success.schema.parse(example.response);
  const query = example.query ? `?${new URLSearchParams(substitute(example.query, run.ids))}` : "";
  let body: FormData | Json | undefined;
  if (example.multipart) {
    const form = new FormData();
    for (const [field, value] of Object.entries(substitute(example.multipart, run.ids))) {
      if (field === "file") {
        const bytes = await pdfWithText(["Our team works across four time zones. Meetings clash."]);
        form.append("file", new File([bytes as Uint8Array<ArrayBuffer>], value, { type: "application/pdf" }));
      } else {
        form.append(field, value);
      }
    }
    body = form;
  } else if (example.body) {
    body = substitute(example.body, run.ids);
  }
  const { data, error, response } = await run.client.functions.invoke(`${pathOf(endpoint).slice(1)}${query}`, {
    method: endpoint.method,
    body,
    headers,
  });
  const status = response?.status ?? 0;
  const failure = error ? await (error.context as Response).text?.().catch(() => "") : "";
  equal(status, endpoint.success.status, `${operationId}: ${failure}`);
  if (typeof example.response === "string" || typeof data === "string") {
    equal(typeof data, "string", operationId);
  } else if (operationId === "openapi") {
    // The document's own shape is the OpenAPI specification's: its top level is what the example shows.
    deepEqual(Object.keys(data as Json).sort(), Object.keys(example.response as Json).sort());
  } else {
    endpoint.success.schema.parse(data);
    deepEqual(shapeProblems(data, example.response), [], `${operationId}: the answer and the example differ`);
  }
  run.checked.push(operationId);
  return data as Json;
}

/** Waits until the team's material `id` has `status`, as materials-list shows it. */
async function waitForMaterial(run: Run, id: string, status: string): Promise<void> {
  await waitFor(`material ${id} to be ${status}`, async () => {
    const { data } = await run.client.functions.invoke(`materials-list?team_id=${run.ids.get(EXAMPLE_IDS.team)}`, {
      method: "GET",
    });
    return (data as { materials: Json[] }).materials.find((m) => m.id === id)?.status === status ? true : undefined;
  }, { timeoutMs: 20_000, intervalMs: 200 });
}

Deno.test("examples: every operation's request example works against the stack and answers its response example's shape", async () => {
  const org = await createOrganization("paid");
  const run: Run = {
    client: clientFor(org.admin.token),
    ids: new Map([[EXAMPLE_IDS.clerkOrganization, org.clerkOrgId]]),
    checked: [],
  };
  const anonymous: Run = { ...run, client: clientFor() };

  await sendExample(anonymous, "health");
  await sendExample(anonymous, "index");
  await sendExample(anonymous, "openapi");
  await sendExample(anonymous, "docs");
  await sendExample(anonymous, "docsRedoc");
  await sendExample(anonymous, "clerkWebhookStatus");

  // Clerk's delivery, signed as Svix does, for a new organization (the example's id made unique).
  const webhook = EXAMPLES.clerkWebhook;
  endpointOf("clerkWebhook").success.schema.parse(webhook.response);
  const event = substitute(webhook.body!, new Map([[EXAMPLE_IDS.clerkOrganization, uniqueId("org")]]));
  const delivered = await postDelivery(signedDelivery(event as { type: string; data: Json }));
  equal(delivered.status, 200);
  deepEqual(shapeProblems(await delivered.json(), webhook.response), []);
  run.checked.push("clerkWebhook");

  const quota = await sendExample(run, "quotaStatus");
  run.ids.set(EXAMPLE_IDS.organization, (quota.organization as Json).id as string);
  const created = await sendExample(run, "teamsCreate");
  run.ids.set(EXAMPLE_IDS.team, (created.team as Json).id as string);
  await sendExample(run, "teamsList");
  await sendExample(run, "teamsUpdate");
  const catalog = await sendExample(run, "publicActivitiesList");
  run.ids.set(EXAMPLE_IDS.publicActivity, (catalog.activities as Json[])[0].id as string);

  const customized = await sendExample(run, "activitiesCustomize");
  run.ids.set(EXAMPLE_IDS.activity, (customized.activity as Json).id as string);
  await sendExample(run, "activitiesList");
  await sendExample(run, "activitiesUpdateStatus");

  const uploaded = await sendExample(run, "materialsUpload");
  const materialId = (uploaded.material as Json).id as string;
  run.ids.set(EXAMPLE_IDS.material, materialId);
  await waitForMaterial(run, materialId, "ready");
  await sendExample(run, "materialsList");
  await sendExample(run, "materialsDownload");

  // A material whose summary the provider refused for good (a 400) fails; the retry example sends it again.
  const refused = `Refused summary ${marker("examples-retry")}`;
  const removeRule = await fakeRule({ behaviour: "http_error", status: 400, match: refused, times: 1 });
  try {
    const form = new FormData();
    form.append("team_id", run.ids.get(EXAMPLE_IDS.team)!);
    form.append("file", new File([await pdfWithText([refused]) as Uint8Array<ArrayBuffer>], "refused.pdf"));
    const { data } = await run.client.functions.invoke("materials-upload", { body: form });
    const failedId = (data as { material: Json }).material.id as string;
    await waitForMaterial(run, failedId, "failed");
    run.ids.set(EXAMPLE_IDS.material, failedId);
    await sendExample(run, "materialsRetry");
    run.ids.set(EXAMPLE_IDS.material, materialId);
  } finally {
    await removeRule();
  }

  const accepted = await sendExample(run, "activitiesGenerateCustom");
  run.ids.set(EXAMPLE_IDS.job, accepted.job_id as string);
  await waitFor("the generation to succeed", async () => {
    const { data } = await run.client.functions.invoke(`jobs-get?job_id=${accepted.job_id}`, { method: "GET" });
    return (data as { job: Json }).job.status === "succeeded" ? true : undefined;
  }, { timeoutMs: 20_000, intervalMs: 200 });
  await sendExample(run, "jobsGet");
  await sendExample(run, "jobsList");
  await sendExample(anonymous, "jobsWorker", { "x-worker-secret": stackStatus().worker_secret });

  await sendExample(run, "materialsDelete");
  await sendExample(run, "teamsDelete");

  deepEqual(run.checked.sort(), documentedEndpoints().map(operationIdOfEndpoint).sort(), "every operation was tried");
});

Deno.test("examples: the shape check notices a missing, an extra and a retyped field", () => {
  deepEqual(shapeProblems({ a: 1, b: [{ c: "x" }] }, { a: 2, b: [{ c: "y" }] }), []);
  deepEqual(shapeProblems({ a: 1, extra: true }, { a: 1, gone: null }), [
    "$.extra: answered but missing from the example",
    "$.gone: in the example but not answered",
  ]);
  deepEqual(shapeProblems({ a: "1" }, { a: 1 }), ["$.a: number in the example, string in the answer"]);
});
