// Custom generation (paid): a job that the database wakes the worker for, retried, fenced, exactly three.
import { deepEqual, equal, ok } from "node:assert/strict";
import { ActivityContent } from "../../supabase/functions/_shared/contract/activity.ts";
import { call, clientFor } from "../support/api.ts";
import { createOrganization } from "../support/clerk.ts";
import { countRows, withDb } from "../support/db.ts";
import { fakeRequestCount, fakeRule, marker, resetAiCircuit } from "../support/fake_ai.ts";
import { wakeStackWorker } from "../support/faults.ts";
import { createTeam, quotaOf, waitForJobEnd } from "../support/teams.ts";
import { waitFor } from "../support/wait.ts";

type Accepted = { job_id: string; status: string };

async function paidTeam() {
  const org = await createOrganization("paid");
  const client = clientFor(org.admin.token);
  return { org, client, teamId: await createTeam(client) };
}

Deno.test("generate: the free plan gets 403 plan_required and nothing is queued", async () => {
  const org = await createOrganization("free");
  const client = clientFor(org.admin.token);
  const teamId = await createTeam(client);
  const result = await call(client, "activities-generate-custom", {
    body: { team_id: teamId, requirements: "A calm offsite for a tired team" },
  });
  equal(result.status, 403);
  equal((result.body.error as { code: string }).code, "plan_required");
  equal(await countRows("public.jobs", "team_id = $1", teamId), 0);
});

Deno.test("generate: 202, the insert trigger wakes the worker through pg_net, three activities", async () => {
  const { client, teamId } = await paidTeam();
  const requirements = `A kickoff for a merged team that needs trust ${marker("gen")}`;
  const accepted = await call<Accepted>(client, "activities-generate-custom", {
    body: { team_id: teamId, requirements },
  });
  equal(accepted.status, 202);
  equal(accepted.body.status, "queued");
  // No test-side kick: the job is picked up only because the trigger called jobs-worker via pg_net.
  const view = await waitForJobEnd(client, accepted.body.job_id, 20_000);
  equal(view.job.status, "succeeded");
  equal(view.job.attempts, 1);
  equal(view.activities?.length, 3);
  for (const activity of view.activities!) {
    equal(activity.source, "generated");
    equal(activity.job_id, accepted.body.job_id);
    equal(activity.model, "fake-gpt-4o");
    ok(ActivityContent.safeParse(activity.content).success);
  }
  await withDb(async (sql) => {
    const requests = await sql`
      select count(*)::int as n from net._http_response r
      where r.status_code = 202 and r.content like '%"accepted":true%'`;
    ok(requests[0].n >= 1, "pg_net delivered a wake-up that jobs-worker accepted");
  });
  const quota = await quotaOf(client, "custom_generation");
  deepEqual({ limit: quota.limit, used: quota.used, reserved: quota.reserved }, { limit: 10, used: 1, reserved: 0 });
});

Deno.test("generate: an AI failing twice with HTTP 500, then answering, succeeds without spending attempts", async () => {
  const { client, teamId } = await paidTeam();
  const requirements = `Two failures first ${marker("retry")}`;
  const remove = await fakeRule({ behaviour: "http_error", status: 500, match: requirements, times: 2 });
  try {
    const accepted = await call<Accepted>(client, "activities-generate-custom", {
      body: { team_id: teamId, requirements },
    });
    const view = await waitForJobEnd(client, accepted.body.job_id, 30_000);
    equal(view.job.status, "succeeded");
    equal(view.job.attempts, 1, "a provider outage does not spend the job's attempts");
    const [row] = await withDb((sql) => sql`select deferrals from public.jobs where id = ${accepted.body.job_id}`);
    equal(row.deferrals, 2, "it was deferred twice");
    equal(view.activities?.length, 3);
    equal(await fakeRequestCount(requirements), 3);
    equal((await quotaOf(client, "custom_generation")).used, 1);
  } finally {
    await remove();
    await resetAiCircuit();
  }
});

Deno.test("generate: an AI answering unusable JSON every time ends dead with its quota released", async () => {
  const { client, teamId } = await paidTeam();
  const requirements = `Always unusable ${marker("dead")}`;
  const remove = await fakeRule({ behaviour: "invalid_json", match: requirements });
  try {
    const accepted = await call<Accepted>(client, "activities-generate-custom", {
      body: { team_id: teamId, requirements },
    });
    const view = await waitForJobEnd(client, accepted.body.job_id, 30_000);
    equal(view.job.status, "dead");
    equal(view.job.attempts, 3, "an unusable answer is the job's failure: it spends attempts");
    ok(view.job.error?.includes("unusable"), view.job.error ?? "");
    equal(view.activities, undefined);
    const quota = await quotaOf(client, "custom_generation");
    deepEqual({ used: quota.used, reserved: quota.reserved }, { used: 0, reserved: 0 });
    equal(await countRows("public.team_activities", "job_id = $1", accepted.body.job_id), 0);
  } finally {
    await remove();
  }
});

Deno.test("generate: a worker that loses its lease mid-call: the job runs again, one set of three", async () => {
  const { client, teamId } = await paidTeam();
  const requirements = `Slow first answer ${marker("lease")}`;
  const remove = await fakeRule({ behaviour: "ok", match: requirements, latency_ms: 3000, times: 1 });
  try {
    const accepted = await call<Accepted>(client, "activities-generate-custom", {
      body: { team_id: teamId, requirements },
    });
    const jobId = accepted.body.job_id;
    await waitFor("attempt 1 to be running", async () => {
      const [row] = await withDb((sql) => sql`select status, attempts from public.jobs where id = ${jobId}`);
      return row.status === "running" && row.attempts === 1 ? true : undefined;
    });
    // The first worker stalls in its AI call; its lease runs out (made to expire now) and another worker
    // invocation takes the job over as attempt 2.
    await withDb((sql) =>
      sql`update public.jobs set lease_expires_at = now() - interval '1 second' where id = ${jobId}`
    );
    await wakeStackWorker(); // answers 202, or throws
    const view = await waitForJobEnd(client, jobId, 20_000);
    equal(view.job.status, "succeeded");
    equal(view.job.attempts, 2);
    // Let the first worker's slow answer arrive and try to save: it is fenced out.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    equal(await countRows("public.team_activities", "job_id = $1", jobId), 3);
    equal(await fakeRequestCount(requirements), 2);
    equal((await quotaOf(client, "custom_generation")).used, 1);
  } finally {
    await remove();
  }
});

Deno.test("generate: the same Idempotency-Key returns the same job and spends once", async () => {
  const { client, teamId } = await paidTeam();
  const body = { team_id: teamId, requirements: `Keyed request ${marker("key")}` };
  const key = crypto.randomUUID();
  const first = await call<Accepted>(client, "activities-generate-custom", {
    body,
    headers: { "Idempotency-Key": key },
  });
  const second = await call<Accepted>(client, "activities-generate-custom", {
    body,
    headers: { "Idempotency-Key": key },
  });
  equal(first.status, 202);
  equal(second.body.job_id, first.body.job_id);
  const reused = await call(client, "activities-generate-custom", {
    body: { ...body, requirements: "Something else entirely" },
    headers: { "Idempotency-Key": key },
  });
  equal(reused.status, 422);
  await waitForJobEnd(client, first.body.job_id);
  equal((await quotaOf(client, "custom_generation")).used, 1);
  equal(await countRows("public.jobs", "team_id = $1", teamId), 1);
});

Deno.test("generate: bad input gets the right 4xx and spends nothing", async () => {
  const { client, teamId } = await paidTeam();
  const other = await paidTeam();
  const cases: { body: unknown; status: number; field?: string }[] = [
    { body: { team_id: teamId, requirements: "" }, status: 400, field: "requirements" },
    { body: { team_id: teamId, requirements: "too short" }, status: 400, field: "requirements" },
    { body: { team_id: teamId, requirements: "x".repeat(4001) }, status: 400, field: "requirements" },
    { body: { team_id: teamId, requirements: 42 }, status: 400, field: "requirements" },
    { body: { team_id: other.teamId, requirements: "A team of another organization" }, status: 404 },
    { body: { team_id: teamId, requirements: "Unknown materials", material_ids: [crypto.randomUUID()] }, status: 404 },
    {
      body: { team_id: teamId, requirements: "Bad material ids here", material_ids: ["x"] },
      status: 400,
      field: "material_ids.0",
    },
  ];
  for (const c of cases) {
    const result = await call(client, "activities-generate-custom", { body: c.body });
    equal(result.status, c.status, JSON.stringify(c.body).slice(0, 100));
    if (c.field) equal((result.body.error as { details: { field: string } }).details.field, c.field);
  }
  equal(await countRows("public.jobs", "team_id = $1", teamId), 0);
  const quota = await quotaOf(client, "custom_generation");
  deepEqual({ used: quota.used, reserved: quota.reserved }, { used: 0, reserved: 0 });
});

Deno.test("generate: a succeeded job reports progress done 100%", async () => {
  const { client, teamId } = await paidTeam();
  const accepted = await call<Accepted>(client, "activities-generate-custom", {
    body: { team_id: teamId, requirements: `Progress to the end ${marker("progress")}` },
  });
  const view = await waitForJobEnd(client, accepted.body.job_id, 20_000);
  equal(view.job.status, "succeeded");
  deepEqual(view.job.progress, { stage: "done", percent: 100 });
});

Deno.test("generate: an answer cut off once (finish_reason length) is asked again with twice the budget", async () => {
  const { client, teamId } = await paidTeam();
  const requirements = `Cut off once ${marker("length-once")}`;
  const remove = await fakeRule({ behaviour: "length", match: requirements, times: 1 });
  try {
    const accepted = await call<Accepted>(client, "activities-generate-custom", {
      body: { team_id: teamId, requirements },
    });
    const view = await waitForJobEnd(client, accepted.body.job_id, 20_000);
    equal(view.job.status, "succeeded");
    equal(view.job.attempts, 1);
    equal(view.activities?.length, 3);
    equal(await fakeRequestCount(requirements), 2);
  } finally {
    await remove();
  }
});

Deno.test("generate: an answer cut off twice fails the job with a clear error and releases its quota", async () => {
  const { client, teamId } = await paidTeam();
  const requirements = `Always cut off ${marker("length-always")}`;
  const remove = await fakeRule({ behaviour: "length", match: requirements });
  try {
    const accepted = await call<Accepted>(client, "activities-generate-custom", {
      body: { team_id: teamId, requirements },
    });
    const view = await waitForJobEnd(client, accepted.body.job_id, 20_000);
    equal(view.job.status, "failed");
    equal(view.job.attempts, 1, "not retried: the same budget would cut it again");
    ok(view.job.error?.includes('finish_reason "length"'), view.job.error ?? "no error");
    ok(view.job.error?.includes("MAX_TOKENS_CUSTOM_GENERATION"), view.job.error ?? "no error");
    equal(await fakeRequestCount(requirements), 2);
    equal(await countRows("public.team_activities", "job_id = $1", accepted.body.job_id), 0);
    equal((await quotaOf(client, "custom_generation")).used, 0);
  } finally {
    await remove();
  }
});
