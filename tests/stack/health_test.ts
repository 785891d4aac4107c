// The health function through the real supabase-js client, built from `npm run status -- --json`.
import { equal, match } from "node:assert/strict";
import { join } from "node:path";
import { createClient } from "@supabase/supabase-js";
import { ROOT } from "../../scripts/lib/paths.ts";
import { freePort } from "../../scripts/lib/postgres.ts";

async function statusJson(): Promise<Record<string, string>> {
  const output = await new Deno.Command("npm", {
    args: ["run", "--silent", "status", "--", "--json"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  equal(output.success, true, new TextDecoder().decode(output.stderr));
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

Deno.test("npm run status -- --json names the running stack's URLs and keys", async () => {
  const status = await statusJson();
  for (const key of ["api_url", "db_url", "anon_key", "service_role_key", "jwks_url", "clerk_webhook_secret"]) {
    equal(typeof status[key], "string", `${key} is missing`);
  }
  match(status.api_url, /^http:\/\/127\.0\.0\.1:\d+$/);
  match(status.clerk_webhook_secret, /^whsec_/);
});

Deno.test("supabase-js functions.invoke('health') answers ok with the database up", async () => {
  const status = await statusJson();
  const supabase = createClient(status.api_url, status.anon_key, { auth: { persistSession: false } });
  const { data, error } = await supabase.functions.invoke("health", { method: "GET" });
  equal(error, null);
  equal(data.status, "ok");
  equal(data.database, "ok");
});

Deno.test("health answers 503 with the same shape when the database does not answer", async () => {
  // The real health module, imported in this process with a database URL where nothing listens.
  const port = freePort();
  const script = `
    Deno.env.set("SUPABASE_URL", "http://127.0.0.1:1");
    Deno.env.set("SUPABASE_DB_URL", "postgresql://postgres:postgres@127.0.0.1:${port}/postgres");
    Deno.env.set("LOG_LEVEL", "silent");
    const { default: fn } = await import(${JSON.stringify(join(ROOT, "supabase/functions/health/index.ts"))});
    const response = await fn.fetch(new Request("http://localhost/health"));
    console.log(JSON.stringify({ status: response.status, body: await response.json() }));
    Deno.exit(0);
  `;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--config", join(ROOT, "deno.json"), script],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const result = JSON.parse(new TextDecoder().decode(output.stdout));
  equal(result.status, 503);
  equal(result.body.status, "unavailable");
  equal(result.body.database, "unreachable");
});

Deno.test("CORS preflight is answered and every response carries CORS headers", async () => {
  const status = await statusJson();
  const preflight = await fetch(`${status.api_url}/functions/v1/health`, {
    method: "OPTIONS",
    headers: { origin: "http://localhost:3000", "access-control-request-method": "GET" },
  });
  await preflight.body?.cancel();
  equal(preflight.status, 204);
  equal(preflight.headers.get("access-control-allow-origin"), "*");
  const wrongMethod = await fetch(`${status.api_url}/functions/v1/health`, { method: "DELETE" });
  equal(wrongMethod.status, 405);
  equal(wrongMethod.headers.get("access-control-allow-origin"), "*");
  equal((await wrongMethod.json()).error.code, "method_not_allowed");
});

Deno.test("an unknown function answers 404 like the Supabase gateway", async () => {
  const status = await statusJson();
  const response = await fetch(`${status.api_url}/functions/v1/no-such-function`);
  equal(response.status, 404);
  equal((await response.json()).code, "NOT_FOUND");
});
