// A customization whose isolate dies mid-request (SIGKILL: no beforeunload, as a hosted kill): the client gets
// a 5xx and is not charged, the quota hold and the Idempotency-Key's lock lapse on their own, and a retry with
// the same key within about a minute is answered once and charged once.
import { deepEqual, equal, ok } from "node:assert/strict";
import { call, clientFor } from "../support/api.ts";
import { createOrganization } from "../support/clerk.ts";
import { fakeRule, marker } from "../support/fake_ai.ts";
import { crashFunctionIsolates } from "../support/faults.ts";
import { catalogActivityId, createTeam, quotaOf } from "../support/teams.ts";
import { waitFor } from "../support/wait.ts";

Deno.test("crash: a customization killed mid-request charges nothing, and its key and quota hold come back within about a minute", async () => {
  const run = marker("customize-crash");
  const org = await createOrganization("free");
  const client = clientFor(org.admin.token);
  const teamId = await createTeam(client);
  const body = { team_id: teamId, public_activity_id: await catalogActivityId(client), notes: `Crash ${run}` };
  const key = crypto.randomUUID();
  // The AI takes 30 s to answer this request, so the isolate is mid-call when it dies.
  const removeSlow = await fakeRule({ behaviour: "ok", match: run, latency_ms: 30_000 });
  try {
    const pending = call(client, "activities-customize", { body, headers: { "Idempotency-Key": key } });
    await waitFor("the customization to hold a quota unit", async () => {
      const quota = await quotaOf(client, "customization");
      return quota.reserved === 1 ? true : undefined;
    });
    const crashedAt = performance.now();
    ok((await crashFunctionIsolates("activities-customize")) >= 1, "an isolate was killed");
    const crashed = await pending;
    ok(crashed.status >= 500, `the client gets a 5xx: ${crashed.status} ${JSON.stringify(crashed.body)}`);
    const held = await quotaOf(client, "customization");
    deepEqual({ used: held.used, reserved: held.reserved }, { used: 0, reserved: 1 }, "not charged, only held");
    await removeSlow();

    // Retried with the same key until the dead holder's lock lapses: refused meanwhile, then answered once.
    const statuses: number[] = [];
    const done = await waitFor("a retry with the same key to be answered", async () => {
      const retry = await call<{ activity: { id: string } }>(client, "activities-customize", {
        body,
        headers: { "Idempotency-Key": key },
      });
      statuses.push(retry.status);
      return retry.status === 201 ? retry : undefined;
    }, { timeoutMs: 120_000, intervalMs: 3000 });
    const seconds = (performance.now() - crashedAt) / 1000;
    ok(seconds <= 75, `the key was usable again ${seconds.toFixed(0)} s after the crash`);
    ok(statuses.slice(0, -1).every((status) => status === 409), `refused while locked: ${statuses.join(", ")}`);
    const quota = await quotaOf(client, "customization");
    deepEqual({ used: quota.used, reserved: quota.reserved }, { used: 1, reserved: 0 }, "charged once, hold released");
    const replay = await call<{ activity: { id: string } }>(client, "activities-customize", {
      body,
      headers: { "Idempotency-Key": key },
    });
    equal(replay.status, 201);
    equal(replay.body.activity.id, done.body.activity.id, "the stored result is replayed");
  } finally {
    await removeSlow();
  }
});
