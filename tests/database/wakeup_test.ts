/**
 * The insert trigger's pg_net wake-up seen from another connection: one request per job insert, sent only
 * once the inserting transaction commits (pg_net reads its queue table, so uncommitted requests are
 * invisible to it), and never for a transaction that rolls back.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { connectDb, insertOrganization } from "../support/db.ts";

type Sql = ReturnType<typeof postgres>;

/** Uses the stack's Vault secrets when it has them, else stores test ones; returns the names it created. */
async function ensureWorkerSecrets(sql: Sql): Promise<string[]> {
  const created: string[] = [];
  const fallback: Record<string, string> = {
    project_url: "http://127.0.0.1:9/",
    worker_secret: `test-secret-${crypto.randomUUID()}`,
  };
  for (const name of ["project_url", "worker_secret"]) {
    const [existing] = await sql`select 1 from vault.decrypted_secrets where name = ${name}`;
    if (!existing) {
      await sql`select vault.create_secret(${fallback[name]}, ${name})`;
      created.push(name);
    }
  }
  return created;
}

/** How many times a request is known to pg_net: still queued, or already answered (same id). */
async function timesKnown(sql: Sql, requestId: string): Promise<number> {
  const [row] = await sql`
    select (select count(*) from net.http_request_queue where id = ${requestId})
         + (select count(*) from net._http_response where id = ${requestId}) as n`;
  return Number(row.n);
}

Deno.test("wake-up: a job insert queues one pg_net request that exists only after commit", async () => {
  const writer = connectDb(1, "wake-writer");
  const observer = connectDb(1, "wake-observer");
  const created = await ensureWorkerSecrets(observer);
  const { organizationId, teamId } = await insertOrganization(observer, { plan: "paid", label: "Wake test" });
  try {
    const [secrets] = await observer`
      select (select decrypted_secret from vault.decrypted_secrets where name = 'project_url') as url,
             (select decrypted_secret from vault.decrypted_secrets where name = 'worker_secret') as secret`;
    let jobId = "";
    let requestId = "";
    await writer.begin(async (tx) => {
      const [job] = await tx`
        select id from public.enqueue_job('process_material', ${organizationId}, ${teamId},
          ${tx.json({ material_id: crypto.randomUUID() })})`;
      jobId = job.id;
      const requests = await tx`
        select id, url, headers, timeout_milliseconds from net.http_request_queue
        where convert_from(body, 'UTF8')::jsonb -> 'job_ids' ? ${jobId}`;
      assert.equal(requests.length, 1, "one request is queued inside the inserting transaction");
      requestId = requests[0].id;
      assert.equal(requests[0].url, `${secrets.url.replace(/\/+$/, "")}/functions/v1/jobs-worker`);
      assert.equal(requests[0].headers["x-worker-secret"], secrets.secret);
      assert.equal(requests[0].timeout_milliseconds, 2000);
      assert.equal(await timesKnown(observer, requestId), 0, "before commit, pg_net cannot see the request");
    });
    // After commit the request is known exactly once: queued, or already sent and answered.
    const deadline = Date.now() + 5000;
    let known = await timesKnown(observer, requestId);
    while (known === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      known = await timesKnown(observer, requestId);
    }
    assert.equal(known, 1, "after commit the request exists exactly once");

    let rolledBackRequest = "";
    await writer.begin(async (tx) => {
      const [job] = await tx`
        select id from public.enqueue_job('process_material', ${organizationId}, ${teamId},
          ${tx.json({ material_id: crypto.randomUUID() })})`;
      const [request] = await tx`
        select id from net.http_request_queue where convert_from(body, 'UTF8')::jsonb -> 'job_ids' ? ${job.id}`;
      rolledBackRequest = request.id;
      throw new Error("roll back");
    }).catch((error) => assert.equal(error.message, "roll back"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await timesKnown(observer, rolledBackRequest), 0, "a rolled back insert never reaches pg_net");
  } finally {
    await observer`delete from public.organizations where id = ${organizationId}`;
    if (created.length) await observer`delete from vault.secrets where name = any(${created})`;
    await Promise.all([writer.end(), observer.end()]);
  }
});
