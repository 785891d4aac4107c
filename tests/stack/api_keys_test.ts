// The new API keys (sb_secret_..., sb_publishable_...) against the local Storage API, which accepts them as
// the hosted gateway does, and the functions' Storage calls made with the secret key the platform provides.
import { equal, match, ok } from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import { stackStatus } from "../support/stack.ts";

const CLIENT_OPTIONS = { auth: { persistSession: false, autoRefreshToken: false } };

Deno.test("the stack has new keys besides the legacy ones", () => {
  const status = stackStatus();
  match(status.secret_key, /^sb_secret_[0-9a-f]{32}$/);
  match(status.publishable_key, /^sb_publishable_[0-9a-f]{32}$/);
});

Deno.test("supabase-js with the secret key acts as the service; the publishable key as anon; an unknown key gets 401", async () => {
  const status = stackStatus();
  const secret = createClient(status.api_url, status.secret_key, CLIENT_OPTIONS).storage.from("team-materials");
  const name = `api-keys-test/${crypto.randomUUID()}.pdf`;
  const uploaded = await secret.upload(name, new Blob(["%PDF-1.4 test"], { type: "application/pdf" }));
  equal(uploaded.error, null);
  try {
    const listed = await secret.list("api-keys-test");
    equal(listed.error, null);
    ok(listed.data!.some((entry) => `api-keys-test/${entry.name}` === name), "the service sees the file");

    const publishable = createClient(status.api_url, status.publishable_key, CLIENT_OPTIONS).storage
      .from("team-materials");
    const anonList = await publishable.list("api-keys-test");
    equal(anonList.error, null);
    equal(anonList.data!.length, 0, "anon sees nothing in the private bucket");
    const anonDownload = await publishable.download(name);
    ok(anonDownload.error, "anon cannot download from the private bucket");

    const unknown = createClient(status.api_url, `sb_secret_${"0".repeat(32)}`, CLIENT_OPTIONS).storage
      .from("team-materials");
    const refused = await unknown.list("api-keys-test");
    ok(refused.error, "an unknown secret key is refused");
    equal((refused.error as { status?: number }).status, 401);
  } finally {
    equal((await secret.remove([name])).error, null);
  }
});

Deno.test("the functions reach Storage with SUPABASE_SECRET_KEYS when the platform provides it", async () => {
  const response = await fetch(`${stackStatus().api_url}/functions/v1/health`);
  const body = await response.json();
  equal(response.status, 200);
  match(body.checks.storage.detail, /with SUPABASE_SECRET_KEYS\.default$/);
});
