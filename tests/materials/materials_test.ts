// Materials through supabase-js: upload, processing by the worker (woken by pg_net), listing, deleting,
// the caps, injected failures that leave nothing behind, tenancy, and summaries used in generation.
import { deepEqual, equal, ok } from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { call, type CallResult, clientFor } from "../support/api.ts";
import { createOrganization } from "../support/clerk.ts";
import { countRows, withDb } from "../support/db.ts";
import { docxWithText, noise, pdfWithText } from "../support/documents.ts";
import { fakeRequestCount, fakeRule, marker } from "../support/fake_ai.ts";
import { createTeam, waitForJobEnd } from "../support/teams.ts";
import { waitFor } from "../support/wait.ts";

type Material = {
  id: string;
  team_id: string;
  filename: string;
  status: string;
  format: string | null;
  summary: string | null;
  error: string | null;
  size_bytes: number;
  job_id: string | null;
  mime_type: string;
};

async function upload(
  client: SupabaseClient,
  teamId: string,
  bytes: Uint8Array,
  filename: string,
  type = "application/octet-stream",
): Promise<CallResult<{ material: Material }>> {
  const form = new FormData();
  form.append("team_id", teamId);
  form.append("file", new File([bytes as Uint8Array<ArrayBuffer>], filename, { type }));
  return await call<{ material: Material }>(client, "materials-upload", { body: form });
}

async function materials(client: SupabaseClient, teamId: string): Promise<Material[]> {
  return (await call<{ materials: Material[] }>(client, "materials-list", {
    method: "GET",
    query: { team_id: teamId },
  }))
    .body.materials;
}

async function waitUntilSettled(client: SupabaseClient, teamId: string, id: string): Promise<Material> {
  return await waitFor(`material ${id} to be processed`, async () => {
    const found = (await materials(client, teamId)).find((m) => m.id === id);
    return found && ["ready", "failed"].includes(found.status) ? found : undefined;
  }, { timeoutMs: 30_000, intervalMs: 200 });
}

async function leftovers(teamId: string) {
  return await withDb(async (sql) => {
    const [objects] = await sql`
      select count(*)::int as n from storage.objects where bucket_id = 'team-materials' and name like ${`%/${teamId}/%`}`;
    const [rows] = await sql`select count(*)::int as n from public.team_materials where team_id = ${teamId}`;
    const [usage] =
      await sql`select coalesce(sum(reserved_bytes), 0)::int as n from public.team_storage_usage where team_id = ${teamId}`;
    return { objects: objects.n, rows: rows.n, bytes: usage.n };
  });
}

async function paidTeam() {
  const org = await createOrganization("paid");
  const client = clientFor(org.admin.token);
  return { org, client, teamId: await createTeam(client) };
}

Deno.test("materials: a PDF and a DOCX become ready with a summary, through the worker woken by pg_net", async () => {
  const { client, teamId } = await paidTeam();
  const pdf = await pdfWithText([
    "Quarterly plan: the team wants to rebuild trust after a reorganization.",
    "Page two.",
  ]);
  const uploaded = await upload(client, teamId, pdf, "Q3 plan.pdf", "application/pdf");
  equal(uploaded.status, 201, JSON.stringify(uploaded.body));
  const material = uploaded.body.material;
  equal(material.status, "processing");
  equal(material.format, null);
  equal(material.mime_type, "application/pdf");
  equal(material.size_bytes, pdf.byteLength);
  const ready = await waitUntilSettled(client, teamId, material.id);
  equal(ready.status, "ready", ready.error ?? "");
  equal(ready.format, "pdf");
  ok(ready.summary && ready.summary.length > 0);

  const docx = await docxWithText(["Retro notes", "We ship on Fridays and it hurts."]);
  // The client's MIME type and name do not matter: the format comes from the bytes.
  const second = await upload(client, teamId, docx, "notes.bin", "text/plain");
  equal(second.status, 201);
  equal(second.body.material.mime_type, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  equal((await waitUntilSettled(client, teamId, second.body.material.id)).format, "docx");
  await withDb(async (sql) => {
    const [row] = await sql`select extracted_text from public.team_materials where id = ${second.body.material.id}`;
    ok(row.extracted_text.includes("We ship on Fridays"));
  });
});

Deno.test("materials: 413 over 10 MB, 415 unsupported, 422 unreadable, 400 bad fields; nothing stored", async () => {
  const { client, teamId } = await paidTeam();
  const tooBig = await upload(client, teamId, new Uint8Array(10 * 1024 * 1024 + 1), "big.pdf");
  equal(tooBig.status, 413);
  equal(tooBig.body.error?.code, "payload_too_large");
  const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...noise(4000)]);
  const exe = await upload(client, teamId, elf, "invoice.pdf", "application/pdf");
  equal(exe.status, 415);
  equal(exe.body.error?.code, "unsupported_media_type");
  const pdf = await pdfWithText(["A document cut short"]);
  const truncated = await upload(client, teamId, pdf.slice(0, Math.floor(pdf.byteLength / 2)), "cut.pdf");
  equal(truncated.status, 422, JSON.stringify(truncated.body));
  equal(truncated.body.error?.code, "unprocessable");
  const empty = await upload(client, teamId, new Uint8Array(), "empty.docx");
  equal(empty.status, 422);
  const noTeam = await upload(client, "not-a-uuid", pdf, "a.pdf");
  equal(noTeam.status, 400);
  equal(noTeam.body.error?.details.field, "team_id");
  const json = await call(client, "materials-upload", { body: { team_id: teamId } });
  equal(json.status, 400);
  deepEqual(await leftovers(teamId), { objects: 0, rows: 0, bytes: 0 });
});

Deno.test("materials: 10 concurrent 8 MB uploads racing for the 50 MB team cap admit only what fits", async () => {
  const { client, teamId } = await paidTeam();
  const file = await pdfWithText(["Padded document"], { padToBytes: 8 * 1024 * 1024 });
  ok(file.byteLength > 8 * 1024 * 1024 - 8192 && file.byteLength < 9 * 1024 * 1024, `${file.byteLength}`);
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) => upload(client, teamId, file, `padded-${i}.pdf`)),
  );
  const admitted = results.filter((r) => r.status === 201);
  const refused = results.filter((r) => r.status === 413);
  equal(admitted.length, Math.floor((50 * 1024 * 1024) / file.byteLength));
  equal(refused.length, 10 - admitted.length);
  for (const r of refused) {
    equal(r.body.error?.code, "payload_too_large");
    equal(r.body.error?.details.limit_bytes, 50 * 1024 * 1024);
    equal(r.body.error?.details.requested_bytes, file.byteLength);
  }
  const state = await leftovers(teamId);
  deepEqual(state, { objects: admitted.length, rows: admitted.length, bytes: admitted.length * file.byteLength });
});

Deno.test("materials: a Storage failure and a database failure injected mid-upload leave nothing behind", async () => {
  const { client, teamId } = await paidTeam();
  const pdf = await pdfWithText(["Injected failures"]);
  // Storage refuses the object: the bucket's limit is lowered below the file's size for this upload.
  await withDb((sql) => sql`update storage.buckets set file_size_limit = 100 where id = 'team-materials'`);
  try {
    const storageFailure = await upload(client, teamId, pdf, "storage.pdf");
    equal(storageFailure.status, 500);
    equal(storageFailure.body.error?.code, "internal_error");
  } finally {
    await withDb((sql) => sql`update storage.buckets set file_size_limit = 10485760 where id = 'team-materials'`);
  }
  deepEqual(await leftovers(teamId), { objects: 0, rows: 0, bytes: 0 });

  // The database fails after the object was stored: queueing its job raises for this team only.
  const trigger = `fail_jobs_${teamId.replaceAll("-", "")}`;
  await withDb(async (sql) => {
    await sql.unsafe(`
      create function public.${trigger}() returns trigger language plpgsql as $$
      begin raise exception 'injected database failure'; end $$;
      create trigger ${trigger} before insert on public.jobs for each row
      when (new.team_id = '${teamId}') execute function public.${trigger}();`);
  });
  try {
    const databaseFailure = await upload(client, teamId, pdf, "database.pdf");
    equal(databaseFailure.status, 500);
    ok(!JSON.stringify(databaseFailure.body).includes("injected"), "no internals reach the client");
  } finally {
    await withDb((sql) => sql.unsafe(`drop trigger ${trigger} on public.jobs; drop function public.${trigger}();`));
  }
  deepEqual(await leftovers(teamId), { objects: 0, rows: 0, bytes: 0 });
  equal((await upload(client, teamId, pdf, "after.pdf")).status, 201, "the team can upload again");
});

Deno.test("materials: deleting removes the object, the row and the bytes, and cancels the pending job", async () => {
  const { client, teamId } = await paidTeam();
  const text = `Slow to summarize ${marker("del")}`;
  const remove = await fakeRule({ behaviour: "ok", match: text, latency_ms: 4000 });
  try {
    const uploaded = await upload(client, teamId, await pdfWithText([text]), "slow.pdf");
    const material = uploaded.body.material;
    await waitFor("the summary call to start", async () => (await fakeRequestCount(text)) > 0 ? true : undefined);
    const deleted = await call(client, "materials-delete", { method: "DELETE", body: { material_id: material.id } });
    equal(deleted.status, 200);
    deepEqual(deleted.body, { deleted: true, material_id: material.id });
    deepEqual(await leftovers(teamId), { objects: 0, rows: 0, bytes: 0 });
    const [job] = await withDb((sql) => sql`select status from public.jobs where id = ${material.job_id}`);
    equal(job.status, "cancelled");
    equal(
      (await call(client, "materials-delete", { method: "DELETE", body: { material_id: material.id } })).status,
      404,
    );
    await new Promise((resolve) => setTimeout(resolve, 4500)); // the slow summary arrives: it must write nothing
    equal(await countRows("public.team_materials", "id = $1", material.id), 0);
  } finally {
    await remove();
  }
});

Deno.test("materials: another organization cannot list, download or delete them", async () => {
  const a = await paidTeam();
  const b = await paidTeam();
  const uploaded = await upload(
    a.client,
    a.teamId,
    await pdfWithText(["Private plan of organization A"]),
    "private.pdf",
  );
  const id = uploaded.body.material.id;
  const own = await call<{ url: string }>(a.client, "materials-download", {
    method: "GET",
    query: { material_id: id },
  });
  equal(own.status, 200);
  const file = await fetch(own.body.url);
  equal(file.status, 200);
  equal((await file.arrayBuffer()).byteLength, uploaded.body.material.size_bytes);

  equal((await call(b.client, "materials-list", { method: "GET", query: { team_id: a.teamId } })).status, 404);
  equal((await call(b.client, "materials-download", { method: "GET", query: { material_id: id } })).status, 404);
  equal((await call(b.client, "materials-delete", { method: "DELETE", body: { material_id: id } })).status, 404);
  // Nor straight through the Storage API, with their session token or the anon key.
  const [row] = await withDb((sql) => sql`select storage_path from public.team_materials where id = ${id}`);
  for (const client of [b.client, clientFor()]) {
    const { data, error } = await client.storage.from("team-materials").download(row.storage_path);
    equal(data, null);
    ok(error);
    const listed = await client.storage.from("team-materials").list(row.storage_path.split("/").slice(0, 2).join("/"));
    ok(listed.error || listed.data?.length === 0);
  }
  equal(await countRows("public.team_materials", "id = $1", id), 1);
});

Deno.test("materials: generation uses the team's ready summaries, fenced as data", async () => {
  const { client, teamId } = await paidTeam();
  const uploaded = await upload(
    client,
    teamId,
    await docxWithText(["Offsite constraints: no travel, two time zones."]),
    "c.docx",
  );
  const ready = await waitUntilSettled(client, teamId, uploaded.body.material.id);
  equal(ready.status, "ready");
  const requirements = `Use our materials ${marker("gen-mat")}`;
  const job = await call<{ job_id: string }>(client, "activities-generate-custom", {
    body: { team_id: teamId, requirements, material_ids: [ready.id] },
  });
  equal(job.status, 202);
  equal((await waitForJobEnd(client, job.body.job_id)).job.status, "succeeded");
  // The generation request carried the summary (inside an untrusted_data block).
  const summaryLine = ready.summary!.split("\n")[0].slice(0, 60);
  equal(await fakeRequestCount(summaryLine), 1);
  equal(await fakeRequestCount(`<untrusted_data label="material 1: c.docx">`), 1);
});
