// Authorization before work: an upload is refused on who and where before its body is read. The request is
// sent over a raw socket that declares 10 MB but sends only its first kilobyte: an answer can only come
// from a server that did not wait for (let alone parse) the rest.
import { equal, ok } from "node:assert/strict";
import { createOrganization, sessionToken, uniqueId } from "../support/clerk.ts";
import { stackStatus } from "../support/stack.ts";
import { clientFor } from "../support/api.ts";
import { createTeam } from "../support/teams.ts";

const DECLARED_BYTES = 10 * 1024 * 1024;
const SENT_BYTES = 1024;

/** Sends headers and the first SENT_BYTES of a body declared as DECLARED_BYTES; returns the status and body. */
async function partialUpload(token: string, query = ""): Promise<{ status: number; body: string; sent: number }> {
  const { api_url, anon_key } = stackStatus();
  const url = new URL(api_url);
  const connection = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  const boundary = "----abuse-test-boundary";
  const head = [
    `POST /functions/v1/materials-upload${query} HTTP/1.1`,
    `Host: ${url.host}`,
    `Authorization: Bearer ${token}`,
    `apikey: ${anon_key}`,
    `Content-Type: multipart/form-data; boundary=${boundary}`,
    `Content-Length: ${DECLARED_BYTES}`,
    "Connection: close",
    "",
    "",
  ].join("\r\n");
  const encoder = new TextEncoder();
  await connection.write(encoder.encode(head));
  const start = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n` +
      "Content-Type: application/pdf\r\n\r\n%PDF-1.7\n",
  );
  const first = new Uint8Array(SENT_BYTES);
  first.set(start);
  await connection.write(first);
  // The rest of the body is never sent: read the answer with a deadline, so a server waiting for it fails.
  const chunks: Uint8Array[] = [];
  const buffer = new Uint8Array(16 * 1024);
  const deadline = setTimeout(() => connection.close(), 10_000);
  try {
    while (true) {
      const n = await connection.read(buffer);
      if (n === null) break;
      chunks.push(buffer.slice(0, n));
      const text = new TextDecoder().decode(concat(chunks));
      const headerEnd = text.indexOf("\r\n\r\n");
      if (headerEnd >= 0) {
        const length = /content-length:\s*(\d+)/i.exec(text.slice(0, headerEnd));
        if (length && text.length - headerEnd - 4 >= Number(length[1])) break;
      }
    }
  } catch {
    // closed by the deadline
  } finally {
    clearTimeout(deadline);
    try {
      connection.close();
    } catch {
      // already closed
    }
  }
  const text = new TextDecoder().decode(concat(chunks));
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
  return { status, body: text.slice(text.indexOf("\r\n\r\n") + 4), sent: SENT_BYTES };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

Deno.test("admission: an unsynced user's 10 MB upload is refused (403) before its body is read", async () => {
  const userId = uniqueId("user");
  const token = await sessionToken(userId, { orgId: uniqueId("org"), orgRole: "admin" });
  const result = await partialUpload(token);
  equal(result.status, 403, `answered ${result.status} after ${result.sent} of ${DECLARED_BYTES} bytes`);
  const body = JSON.parse(result.body);
  equal(body.error.code, "forbidden");
});

Deno.test("admission: another organization's team named in the query is a 404 before the body is read", async () => {
  const owner = await createOrganization("paid");
  const stranger = await createOrganization("paid");
  const teamId = await createTeam(clientFor(owner.admin.token));
  const result = await partialUpload(stranger.admin.token, `?team_id=${teamId}`);
  equal(result.status, 404, `answered ${result.status} after ${result.sent} of ${DECLARED_BYTES} bytes`);
  equal(JSON.parse(result.body).error.code, "not_found");
});

Deno.test("admission: a declared length over the limit is a 413 before the body is read", async () => {
  const org = await createOrganization("paid");
  const { api_url, anon_key } = stackStatus();
  // fetch cannot lie about Content-Length, so this one also goes over the raw socket, declaring 11 MB.
  const url = new URL(api_url);
  const connection = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  const head = [
    "POST /functions/v1/materials-upload HTTP/1.1",
    `Host: ${url.host}`,
    `Authorization: Bearer ${org.admin.token}`,
    `apikey: ${anon_key}`,
    "Content-Type: multipart/form-data; boundary=x",
    `Content-Length: ${11 * 1024 * 1024}`,
    "Connection: close",
    "",
    "",
  ].join("\r\n");
  await connection.write(new TextEncoder().encode(head));
  const buffer = new Uint8Array(4096);
  const deadline = setTimeout(() => connection.close(), 10_000);
  let n: number | null = null;
  try {
    n = await connection.read(buffer);
  } finally {
    clearTimeout(deadline);
    try {
      connection.close();
    } catch {
      // already closed
    }
  }
  ok(n !== null && n > 0, "no answer before the body was sent");
  const text = new TextDecoder().decode(buffer.slice(0, n!));
  equal(Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]), 413, text);
});
