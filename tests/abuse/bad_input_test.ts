// Bad input answers a 4xx in the shared shape, never a 500: NUL characters, crafted cursors, wrong types,
// a second file part, an upload racing its team's deletion; and null clears a profile field as documented.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { call, type CallResult, clientFor } from "../support/api.ts";
import { createOrganization } from "../support/clerk.ts";
import { pdfWithText } from "../support/documents.ts";
import { createTeam } from "../support/teams.ts";

const NUL = String.fromCharCode(0);

function assertClientError(result: CallResult, status: number, field?: string) {
  equal(result.status, status, JSON.stringify(result.body));
  equal(typeof result.body.error?.code, "string");
  equal(typeof result.body.error?.message, "string");
  if (field) equal(result.body.error?.details?.field, field, JSON.stringify(result.body));
}

async function upload(client: SupabaseClient, form: FormData): Promise<CallResult<{ material: { id: string } }>> {
  return await call<{ material: { id: string } }>(client, "materials-upload", { body: form });
}

Deno.test("bad input: NUL characters in names, profiles, requirements and q answer 400 naming the field", async () => {
  const org = await createOrganization("paid");
  const client = clientFor(org.admin.token);
  const teamId = await createTeam(client);
  const profile = { size: 5, work_mode: "remote" };
  assertClientError(await call(client, "teams-create", { body: { name: `Core${NUL}`, profile } }), 400, "name");
  assertClientError(
    await call(client, "teams-create", { body: { name: "Core", profile: { ...profile, goals: [`a${NUL}b`] } } }),
    400,
    "profile.goals.0",
  );
  assertClientError(
    await call(client, "teams-update", {
      method: "PATCH",
      body: { team_id: teamId, profile: { notes: `x${NUL}` } },
    }),
    400,
    "profile.notes",
  );
  assertClientError(
    await call(client, "activities-generate-custom", {
      body: { team_id: teamId, requirements: `Something for the whole team${NUL}` },
    }),
    400,
    "requirements",
  );
  assertClientError(
    await call(client, "public-activities-list", { method: "GET", query: { q: `trust${NUL}` } }),
    400,
    "q",
  );
});

Deno.test("bad input: crafted pagination cursors answer 400 naming cursor", async () => {
  const org = await createOrganization();
  const client = clientFor(org.member.token);
  const b64 = (value: unknown) =>
    btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  const cursors = [
    b64(["Title", "------------------------------------"]),
    b64(["Title", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"]),
    b64([`Ti${NUL}tle`, "00000000-0000-4000-8000-000000000000"]),
    b64([1, 2]),
    b64({ title: "x" }),
    "!!!",
    "",
  ];
  for (const cursor of cursors) {
    const result = await call(client, "public-activities-list", { method: "GET", query: { cursor } });
    if (cursor === "") {
      ok(result.status === 200 || result.status === 400, `${result.status}`);
      continue;
    }
    assertClientError(result, 400, "cursor");
  }
});

Deno.test("bad input: a wrong type names the field, what was expected and what was received", async () => {
  const org = await createOrganization();
  const client = clientFor(org.admin.token);
  const wrong = await call(client, "teams-create", { body: { name: 5, profile: { size: 5, work_mode: "remote" } } });
  assertClientError(wrong, 400, "name");
  equal(wrong.body.error?.message, "Invalid name: Expected string, received number");
  equal(wrong.body.error?.details.expected, "string");
  equal(wrong.body.error?.details.received, "number");
  const missing = await call(client, "teams-create", { body: { profile: { size: 5, work_mode: "remote" } } });
  assertClientError(missing, 400, "name");
  equal(missing.body.error?.message, "Invalid name: Required: expected string");
  const mode = await call(client, "teams-create", { body: { name: "Core", profile: { size: 5, work_mode: "moon" } } });
  assertClientError(mode, 400, "profile.work_mode");
  match(mode.body.error!.message, /Expected one of "remote", "hybrid", "onsite", received "moon"/);
});

Deno.test("bad input: null clears a team's optional profile fields, as the README says", async () => {
  const org = await createOrganization();
  const client = clientFor(org.admin.token);
  const teamId = await createTeam(client);
  const cleared = await call<{ team: { profile: Record<string, unknown> } }>(client, "teams-update", {
    method: "PATCH",
    body: { team_id: teamId, profile: { industry: null, goals: null, interests: null, notes: null } },
  });
  equal(cleared.status, 200, JSON.stringify(cleared.body));
  deepEqual(
    {
      industry: cleared.body.team.profile.industry,
      goals: cleared.body.team.profile.goals,
      interests: cleared.body.team.profile.interests,
      notes: cleared.body.team.profile.notes,
    },
    { industry: null, goals: [], interests: [], notes: null },
  );
  const required = await call(client, "teams-update", {
    method: "PATCH",
    body: { team_id: teamId, profile: { size: null } },
  });
  assertClientError(required, 400, "profile.size");
  equal(required.body.error?.details.received, "null");
});

Deno.test("bad input: a second file part in an upload answers 400", async () => {
  const org = await createOrganization("paid");
  const client = clientFor(org.admin.token);
  const teamId = await createTeam(client);
  const pdf = await pdfWithText(["Two files in one upload"]);
  const form = new FormData();
  form.append("team_id", teamId);
  form.append("file", new File([pdf as Uint8Array<ArrayBuffer>], "a.pdf"));
  form.append("file", new File([pdf as Uint8Array<ArrayBuffer>], "b.pdf"));
  const result = await upload(client, form);
  assertClientError(result, 400, "file");
  equal(result.body.error?.message, "Invalid file: Send one file per upload");
});

Deno.test("bad input: uploads racing their team's deletion answer 201 or 404, never 500", async () => {
  const org = await createOrganization("paid");
  const client = clientFor(org.admin.token);
  const pdf = await pdfWithText(["A document whose team goes away"]);
  const statuses: number[] = [];
  for (let round = 0; round < 4; round++) {
    const teamId = await createTeam(client, `Doomed ${round}`);
    const uploads = Array.from({ length: 3 }, (_, i) => {
      const form = new FormData();
      form.append("team_id", teamId);
      form.append("file", new File([pdf as Uint8Array<ArrayBuffer>], `doc-${i}.pdf`));
      return upload(client, form);
    });
    const deletion = call(client, "teams-delete", { method: "DELETE", body: { team_id: teamId } });
    const results = await Promise.all([...uploads, deletion]);
    equal(results.at(-1)!.status, 200, JSON.stringify(results.at(-1)!.body));
    for (const result of results.slice(0, -1)) {
      statuses.push(result.status);
      ok([201, 404].includes(result.status), `${result.status} ${JSON.stringify(result.body)}`);
      if (result.status === 404) equal(result.body.error?.code, "not_found");
    }
  }
  ok(statuses.length === 12);
});
