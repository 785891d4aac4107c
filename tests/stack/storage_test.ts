/**
 * The local Storage API through the real supabase-js client, against the running stack. Errors are
 * asserted the way storage-js surfaces hosted Supabase's: HTTP status 400 in `error.status`, the meaningful
 * status in `error.statusCode` ("404", "409", "413", "415", "403") and Supabase's message and code.
 */
import assert from "node:assert/strict";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import postgres from "postgres";
import { stackStatus } from "../support/stack.ts";

const CLIENT_OPTIONS = { auth: { persistSession: false, autoRefreshToken: false } };

function serviceClient(): SupabaseClient {
  const { api_url, service_role_key } = stackStatus();
  return createClient(api_url, service_role_key, CLIENT_OPTIONS);
}

function anonClient(): SupabaseClient {
  const { api_url, anon_key } = stackStatus();
  return createClient(api_url, anon_key, CLIENT_OPTIONS);
}

/** A bucket of its own for one test, emptied and deleted afterwards. */
async function withBucket(
  options: { public?: boolean; fileSizeLimit?: number; allowedMimeTypes?: string[] },
  test: (bucket: string, service: SupabaseClient) => Promise<void>,
): Promise<void> {
  const service = serviceClient();
  const bucket = `test-${crypto.randomUUID().slice(0, 8)}`;
  const created = await service.storage.createBucket(bucket, { public: false, ...options });
  assert.equal(created.error, null);
  try {
    await test(bucket, service);
  } finally {
    assert.equal((await service.storage.emptyBucket(bucket)).error, null);
    assert.equal((await service.storage.deleteBucket(bucket)).error, null);
  }
}

function bytes(size: number, seed = 7): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length: size }, (_, i) => (i * seed + 3) % 256);
}

function assertStorageError(
  error: unknown,
  expected: { statusCode: string; message: string; code?: string },
): void {
  assert.ok(error, "an error was expected");
  const { status, statusCode, message, code } = error as {
    status: number;
    statusCode: string;
    message: string;
    code?: string;
  };
  assert.deepEqual(
    { status, statusCode, message, ...(expected.code ? { code } : {}) },
    { status: 400, ...expected },
  );
}

Deno.test("storage: upload, download and remove round-trip the same bytes (raw and multipart)", async () => {
  await withBucket({}, async (bucket, service) => {
    const files = service.storage.from(bucket);
    const raw = bytes(300_000);
    const uploaded = await files.upload("team/raw.pdf", raw, { contentType: "application/pdf" });
    assert.equal(uploaded.error, null);
    assert.deepEqual(uploaded.data, {
      id: uploaded.data?.id,
      path: "team/raw.pdf",
      fullPath: `${bucket}/team/raw.pdf`,
    });

    const blob = new Blob([bytes(5_000, 13)], { type: "text/csv" });
    const formUpload = await files.upload("team/form data.csv", blob, {
      cacheControl: "60",
      metadata: { team: "alpha" },
    });
    assert.equal(formUpload.error, null);
    const info = await files.info("team/form data.csv");
    assert.deepEqual(
      { size: info.data?.size, contentType: info.data?.contentType, metadata: info.data?.metadata },
      { size: 5_000, contentType: "text/csv", metadata: { team: "alpha" } },
    );

    const downloadedRaw = await files.download("team/raw.pdf");
    assert.equal(downloadedRaw.error, null);
    assert.deepEqual(new Uint8Array(await downloadedRaw.data!.arrayBuffer()), raw);
    assert.equal(downloadedRaw.data!.type, "application/pdf");
    const downloadedForm = await files.download("team/form data.csv");
    assert.deepEqual(new Uint8Array(await downloadedForm.data!.arrayBuffer()), bytes(5_000, 13));

    // Metadata is kept the way Supabase keeps it.
    const sql = postgres(stackStatus().db_url, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql<{ metadata: Record<string, unknown> }[]>`
        select metadata from storage.objects where bucket_id = ${bucket} and name = 'team/form data.csv'`;
      assert.deepEqual(
        { ...row.metadata, lastModified: typeof row.metadata.lastModified },
        {
          eTag: `"${await md5(bytes(5_000, 13))}"`,
          size: 5_000,
          mimetype: "text/csv",
          cacheControl: "max-age=60",
          lastModified: "string",
          contentLength: 5_000,
          httpStatusCode: 200,
        },
      );
    } finally {
      await sql.end();
    }

    const removed = await files.remove(["team/raw.pdf", "team/form data.csv", "team/never-there.pdf"]);
    assert.equal(removed.error, null);
    assert.deepEqual(removed.data?.map((object) => object.name).sort(), ["team/form data.csv", "team/raw.pdf"]);
    const gone = await files.download("team/raw.pdf");
    assertStorageError(gone.error, { statusCode: "404", message: "Object not found", code: "NoSuchKey" });
  });
});

async function md5(data: Uint8Array): Promise<string> {
  const { createHash } = await import("node:crypto");
  return createHash("md5").update(data).digest("hex");
}

Deno.test("storage: a file over the bucket's file_size_limit gets Supabase's 413 and nothing is stored", async () => {
  await withBucket({ fileSizeLimit: 1024 }, async (bucket, service) => {
    const files = service.storage.from(bucket);
    const tooLarge = {
      statusCode: "413",
      message: "The object exceeded the maximum allowed size",
      code: "EntityTooLarge",
    };
    assertStorageError((await files.upload("big.bin", bytes(1025))).error, tooLarge);
    assertStorageError((await files.upload("big-form.bin", new Blob([bytes(50_000)]))).error, tooLarge);
    // A body without Content-Length is cut off while streaming.
    const stream = new Blob([bytes(4096)]).stream();
    assertStorageError((await files.upload("big-stream.bin", stream, { duplex: "half" })).error, tooLarge);

    assert.equal((await files.upload("exact.bin", bytes(1024))).error, null);
    const listed = await files.list();
    assert.deepEqual(listed.data?.map((entry) => entry.name), ["exact.bin"]);
  });
});

Deno.test("storage: a MIME type outside allowed_mime_types gets 415 invalid_mime_type", async () => {
  await withBucket({ allowedMimeTypes: ["application/pdf", "image/*"] }, async (bucket, service) => {
    const files = service.storage.from(bucket);
    const refused = await files.upload("notes.txt", "plain words", { contentType: "text/plain" });
    assertStorageError(refused.error, {
      statusCode: "415",
      message: "mime type text/plain is not supported",
      code: "InvalidMimeType",
    });
    assert.equal((await files.upload("doc.pdf", bytes(10), { contentType: "application/pdf" })).error, null);
    assert.equal((await files.upload("pic.png", new Blob([bytes(10)], { type: "image/png" }))).error, null);

    // The raw body is Supabase's, legacy `error` name included.
    const { api_url, service_role_key } = stackStatus();
    const response = await fetch(`${api_url}/storage/v1/object/${bucket}/notes.txt`, {
      method: "POST",
      headers: { authorization: `Bearer ${service_role_key}`, "content-type": "text/plain" },
      body: "plain words",
    });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), {
      statusCode: "415",
      error: "invalid_mime_type",
      message: "mime type text/plain is not supported",
      code: "InvalidMimeType",
    });
  });
});

Deno.test("storage: list with a prefix returns one folder level", async () => {
  await withBucket({}, async (bucket, service) => {
    const files = service.storage.from(bucket);
    for (const name of ["org/team/b.pdf", "org/team/a.pdf", "org/team/drafts/c.pdf", "org/other/d.pdf"]) {
      assert.equal((await files.upload(name, bytes(8), { contentType: "application/pdf" })).error, null);
    }
    const listed = await files.list("org/team");
    assert.equal(listed.error, null);
    assert.deepEqual(
      listed.data?.map((entry) => ({ name: entry.name, folder: entry.id === null })),
      [
        { name: "a.pdf", folder: false },
        { name: "b.pdf", folder: false },
        { name: "drafts", folder: true },
      ],
    );
    assert.equal(listed.data?.[0].metadata?.size, 8);
    const searched = await files.list("org/team", { search: "b" });
    assert.deepEqual(searched.data?.map((entry) => entry.name), ["b.pdf"]);
    const limited = await files.list("org", { limit: 1, offset: 1 });
    assert.deepEqual(limited.data?.map((entry) => entry.name), ["team"]);
  });
});

Deno.test("storage: signed URLs serve the object; expired, forged and foreign tokens are refused", async () => {
  await withBucket({}, async (bucket, service) => {
    const files = service.storage.from(bucket);
    const content = bytes(2048);
    await files.upload("signed/report.pdf", content, { contentType: "application/pdf" });
    await files.upload("signed/other.pdf", bytes(10), { contentType: "application/pdf" });

    const signed = await files.createSignedUrl("signed/report.pdf", 60);
    assert.equal(signed.error, null);
    const ok = await fetch(signed.data!.signedUrl);
    assert.equal(ok.status, 200);
    assert.deepEqual(new Uint8Array(await ok.arrayBuffer()), content);

    const many = await files.createSignedUrls(["signed/other.pdf", "signed/missing.pdf"], 60);
    assert.equal(many.data?.[1].error, "Either the object does not exist or you do not have access to it");
    const other = await fetch(many.data![0].signedUrl!);
    assert.equal(other.status, 200);
    await other.body?.cancel();

    // A token whose payload was changed to another object no longer matches its signature.
    const url = new URL(signed.data!.signedUrl);
    const [header, payload, signature] = url.searchParams.get("token")!.split(".");
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
    const forgedPayload = btoa(JSON.stringify({ ...claims, url: `${bucket}/signed/other.pdf` }))
      .replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    const forged = await fetch(
      `${stackStatus().api_url}/storage/v1/object/sign/${bucket}/signed/other.pdf?token=${header}.${forgedPayload}.${signature}`,
    );
    assert.equal(forged.status, 400);
    assert.deepEqual(await forged.json(), {
      statusCode: "400",
      error: "InvalidJWT",
      message: "invalid signature",
      code: "InvalidJWT",
    });

    // A genuine token for one object does not open another.
    const foreign = await fetch(signed.data!.signedUrl.replace("report.pdf", "other.pdf"));
    assert.equal(foreign.status, 400);
    assert.equal((await foreign.json()).code, "InvalidSignature");

    const shortLived = await files.createSignedUrl("signed/report.pdf", 1);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await fetch(shortLived.data!.signedUrl);
    assert.equal(expired.status, 400);
    assert.deepEqual(await expired.json(), {
      statusCode: "400",
      error: "InvalidJWT",
      message: "jwt expired",
      code: "InvalidJWT",
    });
  });
});

Deno.test("storage: a signed upload URL accepts one upload to its path", async () => {
  await withBucket({}, async (bucket, service) => {
    const files = service.storage.from(bucket);
    const created = await files.createSignedUploadUrl("uploads/scan.pdf");
    assert.equal(created.error, null);
    const anonFiles = anonClient().storage.from(bucket);
    const uploaded = await anonFiles.uploadToSignedUrl("uploads/scan.pdf", created.data!.token, bytes(64), {
      contentType: "application/pdf",
    });
    assert.equal(uploaded.error, null);
    assert.equal(uploaded.data?.fullPath, `${bucket}/uploads/scan.pdf`);
    const downloaded = await files.download("uploads/scan.pdf");
    assert.deepEqual(new Uint8Array(await downloaded.data!.arrayBuffer()), bytes(64));

    const again = await anonFiles.uploadToSignedUrl("uploads/scan.pdf", created.data!.token, bytes(64));
    assertStorageError(again.error, { statusCode: "409", message: "The resource already exists" });
    const elsewhere = await anonFiles.uploadToSignedUrl("uploads/other.pdf", created.data!.token, bytes(64));
    assertStorageError(elsewhere.error, { statusCode: "400", message: "Invalid signature", code: "InvalidSignature" });
  });
});

Deno.test("storage: a duplicate upload gets 409 Duplicate, upsert and update replace the object", async () => {
  await withBucket({}, async (bucket, service) => {
    const files = service.storage.from(bucket);
    assert.equal((await files.upload("plan.pdf", bytes(100, 1), { contentType: "application/pdf" })).error, null);

    const duplicate = await files.upload("plan.pdf", bytes(100, 2), { contentType: "application/pdf" });
    assertStorageError(duplicate.error, {
      statusCode: "409",
      message: "The resource already exists",
      code: "KeyAlreadyExists",
    });
    assert.equal((duplicate.error as unknown as { statusCode: string }).statusCode, "409");

    const upserted = await files.upload("plan.pdf", bytes(200, 3), { contentType: "application/pdf", upsert: true });
    assert.equal(upserted.error, null);
    assert.deepEqual(new Uint8Array(await (await files.download("plan.pdf")).data!.arrayBuffer()), bytes(200, 3));

    const updated = await files.update("plan.pdf", new Blob([bytes(50, 5)], { type: "application/pdf" }));
    assert.equal(updated.error, null);
    assert.deepEqual(new Uint8Array(await (await files.download("plan.pdf")).data!.arrayBuffer()), bytes(50, 5));
  });
});

Deno.test("storage: without storage policies an anon client can neither read nor write private objects", async () => {
  await withBucket({}, async (bucket, service) => {
    await service.storage.from(bucket).upload("secret.pdf", bytes(32), { contentType: "application/pdf" });
    const anonFiles = anonClient().storage.from(bucket);

    const read = await anonFiles.download("secret.pdf");
    assertStorageError(read.error, { statusCode: "404", message: "Object not found", code: "NoSuchKey" });
    const signed = await anonFiles.createSignedUrl("secret.pdf", 60);
    assertStorageError(signed.error, { statusCode: "404", message: "Object not found" });
    assert.deepEqual((await anonFiles.list()).data, []);
    const written = await anonFiles.upload("mine.pdf", bytes(8), { contentType: "application/pdf" });
    assertStorageError(written.error, {
      statusCode: "403",
      message: "new row violates row-level security policy",
      code: "AccessDenied",
    });
    const publicUrl = anonFiles.getPublicUrl("secret.pdf").data.publicUrl;
    const viaPublicUrl = await fetch(publicUrl);
    assert.equal(viaPublicUrl.status, 400);
    assert.equal((await viaPublicUrl.json()).code, "NoSuchBucket");
    assertStorageError((await anonClient().storage.getBucket(bucket)).error, {
      statusCode: "404",
      message: "Bucket not found",
    });
  });
});

Deno.test("storage: a public bucket serves getPublicUrl without a token", async () => {
  await withBucket({ public: true }, async (bucket, service) => {
    await service.storage.from(bucket).upload("logo.png", bytes(90), { contentType: "image/png" });
    const publicUrl = anonClient().storage.from(bucket).getPublicUrl("logo.png", { download: "logo.png" })
      .data.publicUrl;
    const response = await fetch(publicUrl);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "image/png");
    assert.equal(
      response.headers.get("content-disposition"),
      "attachment; filename=logo.png; filename*=UTF-8''logo.png;",
    );
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), bytes(90));
    const missing = await fetch(publicUrl.replace("logo.png?", "nothing.png?"));
    assert.equal(missing.status, 400);
    assert.equal((await missing.json()).statusCode, "404");
  });
});

Deno.test("storage: a bad JWT is refused with Supabase's AccessDenied", async () => {
  const { api_url, anon_key } = stackStatus();
  const [header, payload] = anon_key.split(".");
  const forged = createClient(api_url, `${header}.${payload}.${"A".repeat(43)}`, CLIENT_OPTIONS);
  assertStorageError((await forged.storage.listBuckets()).error, {
    statusCode: "403",
    message: "invalid signature",
    code: "AccessDenied",
  });
  const response = await fetch(`${api_url}/storage/v1/bucket`);
  assert.equal(response.status, 400);
  assert.equal((await response.json()).message, "headers must have required property 'authorization'");
});

Deno.test("storage: buckets can be read, listed, updated, emptied and deleted", async () => {
  await withBucket({ fileSizeLimit: 2048 }, async (bucket, service) => {
    const got = await service.storage.getBucket(bucket);
    assert.equal(got.error, null);
    assert.deepEqual(
      { id: got.data?.id, public: got.data?.public, limit: got.data?.file_size_limit },
      { id: bucket, public: false, limit: 2048 },
    );
    assert.ok((await service.storage.listBuckets()).data?.some((entry) => entry.id === bucket));
    assert.deepEqual((await anonClient().storage.listBuckets()).data, []);

    const updated = await service.storage.updateBucket(bucket, { public: true, allowedMimeTypes: ["application/pdf"] });
    assert.deepEqual(updated.data, { message: "Successfully updated" });
    const after = await service.storage.getBucket(bucket);
    assert.deepEqual(
      { public: after.data?.public, types: after.data?.allowed_mime_types, limit: after.data?.file_size_limit },
      { public: true, types: ["application/pdf"], limit: 2048 },
    );

    await service.storage.from(bucket).upload("x/1.pdf", bytes(4), { contentType: "application/pdf" });
    assertStorageError((await service.storage.deleteBucket(bucket)).error, {
      statusCode: "409",
      message: "The bucket you tried to delete is not empty",
    });
    assert.deepEqual((await service.storage.emptyBucket(bucket)).data, { message: "Successfully emptied" });
    assert.deepEqual((await service.storage.from(bucket).list("x")).data, []);
    assertStorageError((await service.storage.createBucket(bucket)).error, {
      statusCode: "409",
      message: "The resource already exists",
      code: "BucketAlreadyExists",
    });
  });
});
