// Customizing a catalog activity in real time, within the monthly quota.
import { deepEqual, equal, ok } from "node:assert/strict";
import { ActivityContent } from "../../supabase/functions/_shared/contract/activity.ts";
import { call, clientFor } from "../support/api.ts";
import { createOrganization } from "../support/clerk.ts";
import { countRows } from "../support/db.ts";
import { fakeRequestCount, fakeRule, marker, resetAiCircuit } from "../support/fake_ai.ts";
import { catalogActivityId, createTeam, quotaOf } from "../support/teams.ts";

type Customized = {
  activity: {
    id: string;
    team_id: string;
    source: string;
    model: string;
    content: unknown;
    public_activity_id: string;
  };
  quota: { limit: number; used: number; remaining: number; resets_at: string };
};

Deno.test("customize: a free organization gets five, the sixth is 429 with limit, used and resets_at", async () => {
  const org = await createOrganization("free");
  const client = clientFor(org.member.token);
  const teamId = await createTeam(client);
  const activityId = await catalogActivityId(client);
  for (let i = 1; i <= 5; i++) {
    const result = await call<Customized>(client, "activities-customize", {
      body: { team_id: teamId, public_activity_id: activityId, duration_minutes: 30 + i },
    });
    equal(result.status, 201, JSON.stringify(result.body));
    const { activity, quota } = result.body;
    equal(activity.team_id, teamId);
    equal(activity.source, "customized");
    equal(activity.public_activity_id, activityId);
    equal(activity.model, "fake-gpt-4o-mini");
    ok(ActivityContent.safeParse(activity.content).success, "the saved content passes the shared schema");
    deepEqual({ limit: quota.limit, used: quota.used, remaining: quota.remaining }, {
      limit: 5,
      used: i,
      remaining: 5 - i,
    });
  }
  const sixth = await call(client, "activities-customize", {
    body: { team_id: teamId, public_activity_id: activityId },
  });
  equal(sixth.status, 429);
  const error = sixth.body.error as { code: string; details: { limit: number; used: number; resets_at: string } };
  equal(error.code, "quota_exceeded");
  equal(error.details.limit, 5);
  equal(error.details.used, 5);
  const now = new Date();
  equal(
    new Date(error.details.resets_at).toISOString(),
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
  );
  equal(await countRows("public.team_activities", "team_id = $1", teamId), 5);
});

Deno.test("customize: a failing AI call gets a 5xx in the shared shape and spends nothing", async () => {
  const org = await createOrganization("free");
  const client = clientFor(org.admin.token);
  const teamId = await createTeam(client);
  const activityId = await catalogActivityId(client);
  const cases: { rule: Parameters<typeof fakeRule>[0]; status: number; code: string }[] = [
    { rule: { behaviour: "http_error", status: 500 }, status: 503, code: "service_unavailable" },
    { rule: { behaviour: "http_error", status: 429 }, status: 503, code: "service_unavailable" },
    { rule: { behaviour: "invalid_json" }, status: 502, code: "ai_failed" },
    { rule: { behaviour: "schema_violation" }, status: 502, code: "ai_failed" },
  ];
  for (const c of cases) {
    const notes = marker("fail");
    const remove = await fakeRule({ ...c.rule, match: notes });
    try {
      const result = await call(client, "activities-customize", {
        body: { team_id: teamId, public_activity_id: activityId, notes },
      });
      equal(result.status, c.status, `${c.rule.behaviour}: ${JSON.stringify(result.body)}`);
      equal((result.body.error as { code: string }).code, c.code);
      ok(!JSON.stringify(result.body).includes("fake"), "no internals reach the client");
    } finally {
      await remove();
      await resetAiCircuit(); // the 429 paused the provider for its Retry-After
    }
  }
  const quota = await quotaOf(client, "customization");
  deepEqual({ used: quota.used, reserved: quota.reserved }, { used: 0, reserved: 0 });
  equal(await countRows("public.team_activities", "team_id = $1", teamId), 0);
});

Deno.test("customize: an answer that breaks the schema once is repaired on the second try", async () => {
  const org = await createOrganization("free");
  const client = clientFor(org.admin.token);
  const teamId = await createTeam(client);
  const notes = marker("repair");
  const remove = await fakeRule({ behaviour: "schema_violation", match: notes, times: 1 });
  try {
    const result = await call<Customized>(client, "activities-customize", {
      body: { team_id: teamId, public_activity_id: await catalogActivityId(client), notes },
    });
    equal(result.status, 201);
    equal(await fakeRequestCount(notes), 2);
    equal(result.body.quota.used, 1);
  } finally {
    await remove();
  }
});

Deno.test("customize: 20 parallel calls with one Idempotency-Key make one activity and spend one unit", async () => {
  const org = await createOrganization("free");
  const client = clientFor(org.member.token);
  const teamId = await createTeam(client);
  const body = { team_id: teamId, public_activity_id: await catalogActivityId(client), notes: marker("idem") };
  const remove = await fakeRule({ behaviour: "ok", match: body.notes, latency_ms: 300 });
  try {
    const key = crypto.randomUUID();
    const results = await Promise.all(
      Array.from(
        { length: 20 },
        () => call<Customized>(client, "activities-customize", { body, headers: { "Idempotency-Key": key } }),
      ),
    );
    deepEqual(new Set(results.map((r) => r.status)), new Set([201]));
    equal(new Set(results.map((r) => r.body.activity.id)).size, 1);
    equal(await countRows("public.team_activities", "team_id = $1", teamId), 1);
    equal((await quotaOf(client, "customization")).used, 1);
    equal(await fakeRequestCount(body.notes), 1);

    const again = await call<Customized>(client, "activities-customize", { body, headers: { "Idempotency-Key": key } });
    equal(again.body.activity.id, results[0].body.activity.id);
    const other = await call(client, "activities-customize", {
      body: { ...body, duration_minutes: 15 },
      headers: { "Idempotency-Key": key },
    });
    equal(other.status, 422);
    equal((other.body.error as { details: { field: string } }).details.field, "Idempotency-Key");
    equal((await quotaOf(client, "customization")).used, 1);
  } finally {
    await remove();
  }
});

Deno.test("customize: bad input gets the right 4xx and spends nothing", async () => {
  const org = await createOrganization("free");
  const other = await createOrganization("free");
  const client = clientFor(org.admin.token);
  const teamId = await createTeam(client);
  const otherTeamId = await createTeam(clientFor(other.admin.token));
  const activityId = await catalogActivityId(client);
  const cases: { body: unknown; status: number; field?: string; headers?: Record<string, string> }[] = [
    { body: { team_id: teamId, public_activity_id: crypto.randomUUID() }, status: 404 },
    { body: { team_id: otherTeamId, public_activity_id: activityId }, status: 404 },
    { body: { team_id: crypto.randomUUID(), public_activity_id: activityId }, status: 404 },
    {
      body: { team_id: teamId, public_activity_id: activityId, duration_minutes: 2 },
      status: 400,
      field: "duration_minutes",
    },
    {
      body: { team_id: teamId, public_activity_id: activityId, duration_minutes: 481 },
      status: 400,
      field: "duration_minutes",
    },
    { body: { team_id: teamId, public_activity_id: activityId, notes: "x".repeat(2001) }, status: 400, field: "notes" },
    { body: { team_id: teamId }, status: 400, field: "public_activity_id" },
    { body: { team_id: "x", public_activity_id: activityId }, status: 400, field: "team_id" },
    { body: { team_id: teamId, public_activity_id: activityId, extra: 1 }, status: 400, field: "extra" },
    {
      body: { team_id: teamId, public_activity_id: activityId },
      headers: { "Idempotency-Key": "" },
      status: 400,
      field: "Idempotency-Key",
    },
  ];
  for (const c of cases) {
    const result = await call(client, "activities-customize", { body: c.body, headers: c.headers });
    equal(result.status, c.status, JSON.stringify(c.body));
    if (c.field) equal((result.body.error as { details: { field: string } }).details.field, c.field);
  }
  const quota = await quotaOf(client, "customization");
  deepEqual({ used: quota.used, reserved: quota.reserved }, { used: 0, reserved: 0 });
  equal((await quotaOf(clientFor(other.admin.token), "customization")).used, 0);
});
