// Listing a team's activities and jobs, moving an activity's status, and tenancy on all of it.
import { deepEqual, equal, ok } from "node:assert/strict";
import { call, clientFor } from "../support/api.ts";
import { createOrganization } from "../support/clerk.ts";
import { catalogActivityId, createTeam, waitForJobEnd } from "../support/teams.ts";

type Activity = { id: string; status: string; source: string };

Deno.test("activities: list by status and source, and move along the allowed transitions only", async () => {
  const org = await createOrganization("paid");
  const client = clientFor(org.admin.token);
  const teamId = await createTeam(client);
  const customized = await call<{ activity: Activity }>(client, "activities-customize", {
    body: { team_id: teamId, public_activity_id: await catalogActivityId(client) },
  });
  equal(customized.status, 201);
  const job = await call<{ job_id: string }>(client, "activities-generate-custom", {
    body: { team_id: teamId, requirements: "Three ideas for a distributed team's first offsite" },
  });
  await waitForJobEnd(client, job.body.job_id);

  const list = async (query: Record<string, string>) =>
    (await call<{ activities: Activity[] }>(client, "activities-list", {
      method: "GET",
      query: { team_id: teamId, ...query },
    }))
      .body.activities;
  equal((await list({})).length, 4);
  equal((await list({ source: "generated" })).length, 3);
  equal((await list({ source: "customized" })).length, 1);

  const id = customized.body.activity.id;
  const move = (status: string) =>
    call<{ activity: Activity }>(client, "activities-update-status", {
      method: "PATCH",
      body: { activity_id: id, status },
    });
  equal((await move("planned")).body.activity.status, "planned");
  equal((await move("completed")).body.activity.status, "completed");
  const backwards = await move("planned");
  equal(backwards.status, 409);
  equal((backwards.body.error as { code: string }).code, "conflict");
  equal((await move("archived")).status, 200);
  deepEqual((await list({ status: "archived" })).map((a) => a.id), [id]);
  equal((await move("bogus")).status, 400);

  const jobs = await call<{ jobs: { id: string; status: string }[] }>(client, "jobs-list", {
    method: "GET",
    query: { team_id: teamId },
  });
  deepEqual(jobs.body.jobs.map((j) => [j.id, j.status]), [[job.body.job_id, "succeeded"]]);
});

Deno.test("activities and jobs of another organization do not exist for the caller", async () => {
  const a = await createOrganization("paid");
  const b = await createOrganization("paid");
  const clientA = clientFor(a.admin.token);
  const clientB = clientFor(b.admin.token);
  const teamB = await createTeam(clientB);
  const activityB = await call<{ activity: Activity }>(clientB, "activities-customize", {
    body: { team_id: teamB, public_activity_id: await catalogActivityId(clientB) },
  });
  const jobB = await call<{ job_id: string }>(clientB, "activities-generate-custom", {
    body: { team_id: teamB, requirements: "Organization B's private request" },
  });
  const attempts = [
    await call(clientA, "activities-list", { method: "GET", query: { team_id: teamB } }),
    await call(clientA, "jobs-list", { method: "GET", query: { team_id: teamB } }),
    await call(clientA, "jobs-get", { method: "GET", query: { job_id: jobB.body.job_id } }),
    await call(clientA, "activities-update-status", {
      method: "PATCH",
      body: { activity_id: activityB.body.activity.id, status: "planned" },
    }),
    await call(clientA, "activities-customize", {
      body: { team_id: teamB, public_activity_id: await catalogActivityId(clientA) },
    }),
  ];
  for (const attempt of attempts) {
    equal(attempt.status, 404, JSON.stringify(attempt.body));
    ok(!("activities" in attempt.body) && !("job" in attempt.body) && !("jobs" in attempt.body));
  }
  const stillSuggested = await call<{ activities: Activity[] }>(clientB, "activities-list", {
    method: "GET",
    query: { team_id: teamB, status: "suggested" },
  });
  ok(stillSuggested.body.activities.some((x) => x.id === activityB.body.activity.id));
});
