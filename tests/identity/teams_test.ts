// Teams through supabase-js: create, list, update, delete (admins only), and bad input that writes nothing.
import { deepEqual, equal, ok } from "node:assert/strict";
import { call, clientFor } from "../support/api.ts";
import { createOrganization } from "../support/clerk.ts";
import { countRows } from "../support/db.ts";
import { stackStatus } from "../support/stack.ts";

type Team = { id: string; organization_id: string; name: string; profile: Record<string, unknown> };

const PROFILE = {
  size: 8,
  work_mode: "hybrid",
  industry: "Healthcare software",
  goals: ["Build trust after a reorg", "Improve handovers"],
  interests: ["board games", "cooking"],
  notes: "Two members are new this month.",
};

Deno.test("teams: an admin creates, lists, updates and deletes a team", async () => {
  const org = await createOrganization();
  const admin = clientFor(org.admin.token);
  const created = await call<{ team: Team }>(admin, "teams-create", {
    body: { name: "Care Platform", profile: PROFILE },
  });
  equal(created.status, 201);
  const team = created.body.team;
  equal(team.name, "Care Platform");
  deepEqual(team.profile, PROFILE);

  const listed = await call<{ teams: Team[] }>(admin, "teams-list", { method: "GET" });
  deepEqual(listed.body.teams.map((t) => t.id), [team.id]);
  const byId = await call<{ teams: Team[] }>(admin, "teams-list", {
    method: "GET",
    query: { organization_id: team.organization_id },
  });
  deepEqual(byId.body.teams.map((t) => t.id), [team.id]);

  const updated = await call<{ team: Team }>(admin, "teams-update", {
    method: "PATCH",
    body: { team_id: team.id, name: "Care Platform Squad", profile: { size: 9, notes: null } },
  });
  equal(updated.status, 200);
  equal(updated.body.team.name, "Care Platform Squad");
  deepEqual(updated.body.team.profile, { ...PROFILE, size: 9, notes: null });

  const deleted = await call(admin, "teams-delete", { method: "DELETE", body: { team_id: team.id } });
  equal(deleted.status, 200);
  deepEqual(deleted.body, { deleted: true, team_id: team.id, removed_files: 0 });
  equal(await countRows("public.teams", "id = $1", team.id), 0);
  equal((await call(admin, "teams-delete", { method: "DELETE", body: { team_id: team.id } })).status, 404);
});

Deno.test("teams: a member may create and update but not delete", async () => {
  const org = await createOrganization();
  const member = clientFor(org.member.token);
  const created = await call<{ team: Team }>(member, "teams-create", {
    body: { name: "Support", profile: { size: 3, work_mode: "remote" } },
  });
  equal(created.status, 201);
  deepEqual(created.body.team.profile, {
    size: 3,
    work_mode: "remote",
    industry: null,
    goals: [],
    interests: [],
    notes: null,
  });
  const refused = await call(member, "teams-delete", { method: "DELETE", body: { team_id: created.body.team.id } });
  equal(refused.status, 403);
  equal((refused.body.error as { code: string }).code, "forbidden");
  equal(await countRows("public.teams", "id = $1", created.body.team.id), 1);
});

Deno.test("teams: bad input everywhere gets 400 naming the field, and nothing is written", async () => {
  const org = await createOrganization();
  const admin = clientFor(org.admin.token);
  const { body } = await call<{ team: Team }>(admin, "teams-create", {
    body: { name: "Baseline", profile: { size: 5, work_mode: "onsite" } },
  });
  const team = body.team;
  const huge = "x".repeat(5000);
  const cases: {
    name: string;
    method: "POST" | "PATCH" | "DELETE" | "GET";
    body?: unknown;
    query?: Record<string, string>;
    field: string;
  }[] = [
    { name: "teams-create", method: "POST", body: { profile: { size: 5, work_mode: "onsite" } }, field: "name" },
    {
      name: "teams-create",
      method: "POST",
      body: { name: 42, profile: { size: 5, work_mode: "onsite" } },
      field: "name",
    },
    {
      name: "teams-create",
      method: "POST",
      body: { name: "   ", profile: { size: 5, work_mode: "onsite" } },
      field: "name",
    },
    {
      name: "teams-create",
      method: "POST",
      body: { name: huge, profile: { size: 5, work_mode: "onsite" } },
      field: "name",
    },
    {
      name: "teams-create",
      method: "POST",
      body: { name: "A", profile: { size: "5", work_mode: "onsite" } },
      field: "profile.size",
    },
    {
      name: "teams-create",
      method: "POST",
      body: { name: "A", profile: { size: 0, work_mode: "onsite" } },
      field: "profile.size",
    },
    {
      name: "teams-create",
      method: "POST",
      body: { name: "A", profile: { size: 5, work_mode: "moon" } },
      field: "profile.work_mode",
    },
    {
      name: "teams-create",
      method: "POST",
      body: { name: "A", profile: { size: 5, work_mode: "remote", goals: "x" } },
      field: "profile.goals",
    },
    {
      name: "teams-create",
      method: "POST",
      body: { name: "A", profile: { size: 5, work_mode: "remote", goals: Array(21).fill("g") } },
      field: "profile.goals",
    },
    {
      name: "teams-create",
      method: "POST",
      body: { name: "A", profile: { size: 5, work_mode: "remote", notes: huge } },
      field: "profile.notes",
    },
    {
      name: "teams-create",
      method: "POST",
      body: { name: "A", profile: { size: 5, work_mode: "remote", mood: "ok" } },
      field: "profile.mood",
    },
    {
      name: "teams-create",
      method: "POST",
      body: { name: "A", profile: { size: 5, work_mode: "remote" }, admin: true },
      field: "admin",
    },
    {
      name: "teams-create",
      method: "POST",
      body: { name: "A", profile: { size: 5, work_mode: "remote" }, organization_id: "org_1" },
      field: "organization_id",
    },
    { name: "teams-update", method: "PATCH", body: { team_id: "not-a-uuid", name: "B" }, field: "team_id" },
    { name: "teams-update", method: "PATCH", body: { team_id: team.id }, field: "name" },
    { name: "teams-update", method: "PATCH", body: { team_id: team.id, profile: { size: -1 } }, field: "profile.size" },
    { name: "teams-update", method: "PATCH", body: { team_id: team.id, name: huge }, field: "name" },
    { name: "teams-delete", method: "DELETE", body: { team_id: 12 }, field: "team_id" },
    { name: "teams-delete", method: "DELETE", body: {}, field: "team_id" },
    { name: "teams-list", method: "GET", query: { organization_id: "nope" }, field: "organization_id" },
    { name: "teams-list", method: "GET", query: { colour: "red" }, field: "colour" },
    {
      name: "quota-status",
      method: "GET",
      query: { organization_id: "1; drop table teams" },
      field: "organization_id",
    },
  ];
  for (const c of cases) {
    const result = await call(admin, c.name, { method: c.method, body: c.body, query: c.query });
    const label = `${c.name} ${JSON.stringify(c.body ?? c.query).slice(0, 80)}`;
    equal(result.status, 400, label);
    const error = result.body.error as { code: string; details: { field: string } };
    equal(error.code, "invalid_input", label);
    equal(error.details.field, c.field, label);
  }
  const teams = await call<{ teams: Team[] }>(admin, "teams-list", { method: "GET" });
  deepEqual(teams.body.teams.map((t) => [t.name, t.profile.size]), [["Baseline", 5]]);
});

Deno.test("teams: a body that is not JSON, or too large, is refused before anything runs", async () => {
  const org = await createOrganization();
  const url = `${stackStatus().api_url}/functions/v1/teams-create`;
  const headers = { authorization: `Bearer ${org.admin.token}`, "content-type": "application/json" };
  const notJson = await fetch(url, { method: "POST", headers, body: "{name: Core" });
  equal(notJson.status, 400);
  deepEqual((await notJson.json()).error.details, { field: "body" });
  const tooLarge = await fetch(url, { method: "POST", headers, body: JSON.stringify({ name: "x".repeat(70_000) }) });
  equal(tooLarge.status, 413);
  equal((await tooLarge.json()).error.code, "payload_too_large");
  const teams = await call<{ teams: Team[] }>(clientFor(org.admin.token), "teams-list", { method: "GET" });
  equal(teams.body.teams.length, 0);
  ok(true);
});
