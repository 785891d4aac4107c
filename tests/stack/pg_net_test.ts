// The local pg_net surface: a request is sent once after commit, never after rollback, and its outcome
// lands in net._http_response.
import { deepEqual, equal, ok } from "node:assert/strict";
import postgres from "postgres";
import { stackStatus } from "../support/stack.ts";
import { waitFor } from "../support/wait.ts";

/** A tiny HTTP server that records what it receives. */
function recorder() {
  const received: { method: string; path: string; body: string; headers: Headers }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const url = new URL(request.url);
    received.push({
      method: request.method,
      path: url.pathname + url.search,
      body: await request.text(),
      headers: request.headers,
    });
    if (url.pathname === "/slow") await new Promise((resolve) => setTimeout(resolve, 1500));
    return Response.json({ received: true }, { status: 201 });
  });
  return { received, url: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}

const QUICK = { timeoutMs: 5000, intervalMs: 50 };

Deno.test("net.http_post in a committed transaction is sent exactly once, with its response recorded", async () => {
  const server = recorder();
  const sql = postgres(stackStatus().db_url, { max: 1, onnotice: () => {} });
  try {
    const [{ id }] = await sql.begin((tx) =>
      tx`select net.http_post(${server.url + "/hook"}, '{"hello": "world"}'::jsonb,
           headers => '{"Content-Type": "application/json", "x-secret": "s3"}'::jsonb) as id`
    );
    const response = await waitFor("the response to be recorded", async () => {
      const [row] = await sql`select status_code, content, timed_out from net._http_response where id = ${id}`;
      return row;
    }, QUICK);
    equal(response.status_code, 201);
    equal(response.timed_out, false);
    await new Promise((resolve) => setTimeout(resolve, 1200)); // the dispatcher's safety sweep runs every second
    equal(server.received.length, 1);
    equal(server.received[0].method, "POST");
    deepEqual(JSON.parse(server.received[0].body), { hello: "world" });
    equal(server.received[0].headers.get("x-secret"), "s3");
  } finally {
    await sql.end();
    await server.close();
  }
});

Deno.test("net.http_post in a rolled-back transaction sends nothing", async () => {
  const server = recorder();
  const sql = postgres(stackStatus().db_url, { max: 1, onnotice: () => {} });
  try {
    let queuedId: string | undefined;
    await sql.begin(async (tx) => {
      const [{ id }] = await tx`select net.http_post(${server.url + "/never"}, '{}'::jsonb) as id`;
      queuedId = id;
      throw new Error("roll back");
    }).catch((error) => equal(error.message, "roll back"));
    ok(queuedId);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    equal(server.received.length, 0);
    const rows = await sql`select 1 from net._http_response where id = ${queuedId!}`;
    equal(rows.length, 0);
  } finally {
    await sql.end();
    await server.close();
  }
});

Deno.test("net.http_get encodes params, and a request past its timeout is recorded as timed out", async () => {
  const server = recorder();
  const sql = postgres(stackStatus().db_url, { max: 1, onnotice: () => {} });
  try {
    const [{ id: getId }] = await sql`
      select net.http_get(${server.url + "/get"}, params => '{"q": "a b&c"}'::jsonb) as id`;
    const [{ id: slowId }] = await sql`
      select net.http_get(${server.url + "/slow"}, timeout_milliseconds => 200) as id`;
    const slow = await waitFor("the timeout to be recorded", async () => {
      const [row] = await sql`select timed_out, error_msg from net._http_response where id = ${slowId}`;
      return row;
    }, QUICK);
    equal(slow.timed_out, true);
    ok(String(slow.error_msg).includes("Timeout of 200 ms"));
    await waitFor("the GET response to be recorded", async () => {
      const [row] = await sql`select 1 from net._http_response where id = ${getId}`;
      return row;
    }, QUICK);
    equal(server.received.find((r) => r.path.startsWith("/get"))?.path, "/get?q=a%20b%26c");
  } finally {
    await sql.end();
    await server.close();
  }
});
