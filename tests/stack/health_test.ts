// The health function through the real supabase-js client, built from `npm run status -- --json`; each part
// it checks is broken on the test database (and put back) to show it is named.
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { createClient } from "@supabase/supabase-js";
import type postgres from "postgres";
import { ROOT } from "../../scripts/lib/paths.ts";
import { freePort } from "../../scripts/lib/postgres.ts";
import { withDb } from "../support/db.ts";
import { stackStatus } from "../support/stack.ts";

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
  for (
    const key of [
      "api_url",
      "db_url",
      "anon_key",
      "service_role_key",
      "secret_key",
      "publishable_key",
      "jwks_url",
      "clerk_webhook_secret",
    ]
  ) {
    equal(typeof status[key], "string", `${key} is missing`);
  }
  match(status.api_url, /^http:\/\/127\.0\.0\.1:\d+$/);
  match(status.clerk_webhook_secret, /^whsec_/);
});

const CHECKS = ["database", "pg_net", "cron", "worker_secrets", "storage", "ai", "clerk"];

interface Health {
  status: number;
  body: {
    status: string;
    checks: Record<string, { ok: boolean; detail: string }>;
    missing: string[];
    time: string;
  };
}

/** GET /health on the running stack. */
async function health(): Promise<Health> {
  const response = await fetch(`${stackStatus().api_url}/functions/v1/health`);
  return { status: response.status, body: await response.json() };
}

/** Breaks one part of the test database, checks what health says, and always puts the part back. */
async function whileBroken(
  parts: { brk: (sql: postgres.Sql) => Promise<void>; restore: (sql: postgres.Sql) => Promise<void> },
  expect: (health: Health) => void,
): Promise<void> {
  await withDb(async (sql) => {
    await parts.brk(sql);
    try {
      expect(await health());
    } finally {
      await parts.restore(sql);
    }
  });
  const after = await health();
  equal(after.status, 200, `restored, health is ok again: ${JSON.stringify(after.body.missing)}`);
}

function assertDegraded(result: Health, part: string, detail: RegExp): void {
  equal(result.status, 503);
  equal(result.body.status, "degraded");
  deepEqual(result.body.missing, [part]);
  equal(result.body.checks[part].ok, false);
  match(result.body.checks[part].detail, detail);
  for (const other of CHECKS.filter((name) => name !== part)) equal(result.body.checks[other].ok, true, other);
}

Deno.test("supabase-js functions.invoke('health') answers ok with every part checked", async () => {
  const status = await statusJson();
  const supabase = createClient(status.api_url, status.anon_key, { auth: { persistSession: false } });
  const { data, error } = await supabase.functions.invoke("health", { method: "GET" });
  equal(error, null);
  equal(data.status, "ok");
  deepEqual(data.missing, []);
  deepEqual(Object.keys(data.checks), CHECKS);
  for (const name of CHECKS) equal(data.checks[name].ok, true, `${name}: ${data.checks[name].detail}`);
  match(data.checks.database.detail, /direct from SUPABASE_DB_URL, pool of 2 per isolate/);
  match(data.checks.pg_net.detail, /net\.http_post|pg_net \S+ is enabled/);
  match(data.checks.cron.detail, /jobs-sweep, quota-rollover, housekeeping scheduled/);
  match(data.checks.worker_secrets.detail, /equal to WORKER_SECRET/);
  match(data.checks.storage.detail, /bucket team-materials exists/);
  match(data.checks.ai.detail, /^fake AI/);
  ok(!JSON.stringify(data).includes(status.worker_secret), "the worker secret never leaves the database");
  ok(!JSON.stringify(data).includes("sha256"), "nor its digest");
});

Deno.test("health: a cron job unscheduled is 503 naming it", async () => {
  let saved: { schedule: string; command: string } | undefined;
  await whileBroken({
    brk: async (sql) => {
      [saved] = await sql`select schedule, command from cron.job where jobname = 'jobs-sweep'`;
      ok(saved, "jobs-sweep is scheduled to begin with");
      await sql`select cron.unschedule('jobs-sweep')`;
    },
    restore: async (sql) => {
      await sql`select cron.schedule('jobs-sweep', ${saved!.schedule}, ${saved!.command})`;
    },
  }, (result) => assertDegraded(result, "cron", /not scheduled or inactive: jobs-sweep/));
});

Deno.test("health: a Vault entry missing is 503 naming it", async () => {
  for (const name of ["worker_secret", "project_url"]) {
    let saved: { value: string; description: string } | undefined;
    await whileBroken({
      brk: async (sql) => {
        [saved] = await sql`
          select decrypted_secret as value, description from vault.decrypted_secrets where name = ${name}`;
        ok(saved, `${name} is in Vault to begin with`);
        await sql`delete from vault.secrets where name = ${name}`;
      },
      restore: async (sql) => {
        await sql`select vault.create_secret(${saved!.value}, ${name}, ${saved!.description})`;
      },
    }, (result) => assertDegraded(result, "worker_secrets", new RegExp(`Vault is missing ${name}`)));
  }
});

Deno.test("health: the materials bucket gone is 503 naming it", async () => {
  let saved: Record<string, unknown> | undefined;
  await whileBroken({
    brk: async (sql) => {
      [saved] = await sql`select to_jsonb(b) as row from storage.buckets b where id = 'team-materials'`;
      ok(saved, "the bucket exists to begin with");
      // Objects of earlier tests still point at it; their foreign key is not checked while it is away.
      await sql.begin(async (tx) => {
        await tx`set local session_replication_role = replica`;
        await tx`delete from storage.buckets where id = 'team-materials'`;
      });
    },
    restore: async (sql) => {
      await sql.begin(async (tx) => {
        await tx`set local session_replication_role = replica`;
        await tx`insert into storage.buckets select * from jsonb_populate_record(null::storage.buckets, ${
          sql.json(saved!.row as never)
        })`;
      });
    },
  }, (result) => assertDegraded(result, "storage", /bucket team-materials does not exist/));
});

Deno.test("health: pg_net missing is 503 saying jobs are never woken", async () => {
  const rename = (from: string, to: string) => async (sql: postgres.Sql) => {
    const [fn] = await sql`
      select p.oid::regprocedure::text as signature from pg_proc p
      where p.pronamespace = 'net'::regnamespace and p.proname = ${from}`;
    ok(fn, `net.${from} exists`);
    await sql.unsafe(`alter function ${fn.signature} rename to ${to}`);
  };
  await whileBroken(
    { brk: rename("http_post", "http_post_offline"), restore: rename("http_post_offline", "http_post") },
    (result) => assertDegraded(result, "pg_net", /pg_net is not enabled, so jobs are never woken/),
  );
});

/** Clerk settings as a hosted project has them: an allowlist of frontend origins, no local opt-out. */
const CLERK_PRODUCTION = {
  CLERK_JWKS_URL: "https://clerk.example.com/.well-known/jwks.json",
  CLERK_ISSUER: "https://clerk.example.com",
  CLERK_AUTHORIZED_PARTIES: "https://app.example.com",
  CLERK_ALLOW_ANY_AUTHORIZED_PARTY: null,
};

/** The real health module in a process of its own, with these variables set (null: unset). */
async function healthWith(env: Record<string, string | null>): Promise<Health> {
  const script = `
    for (const [name, value] of Object.entries(${JSON.stringify(env)})) {
      if (value === null) Deno.env.delete(name); else Deno.env.set(name, value);
    }
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
  equal(output.success, true, new TextDecoder().decode(output.stderr));
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

/** The test stack's database and Storage with production Clerk settings, for `healthWith`. */
function stackEnv(): Record<string, string | null> {
  const status = stackStatus();
  return {
    SUPABASE_URL: status.api_url,
    SUPABASE_DB_URL: status.db_url,
    SUPABASE_SERVICE_ROLE_KEY: status.service_role_key,
    // Other tests in this process may have set these; the child inherits our environment.
    DATABASE_URL: null,
    DB_POOL_SIZE: null,
    OPENAI_BASE_URL: null,
    SUPABASE_SECRET_KEYS: null,
    SUPABASE_SECRET_KEY: null,
    ...CLERK_PRODUCTION,
  };
}

Deno.test("health: no AI key, or a WORKER_SECRET that differs from Vault's, is 503 naming it", async () => {
  const status = stackStatus();
  const base = stackEnv();
  const noAi = await healthWith({ ...base, WORKER_SECRET: status.worker_secret, OPENAI_API_KEY: null });
  assertDegraded(noAi, "ai", /OPENAI_API_KEY is not set/);
  const realAi = await healthWith({ ...base, WORKER_SECRET: status.worker_secret, OPENAI_API_KEY: "sk-test" });
  equal(realAi.status, 200);
  match(realAi.body.checks.ai.detail, /^OPENAI_API_KEY is set; the AI is at https:\/\/api\.openai\.com\/v1/);
  const otherSecret = await healthWith({ ...base, WORKER_SECRET: "x".repeat(32), OPENAI_API_KEY: "sk-test" });
  assertDegraded(otherSecret, "worker_secrets", /differs from the functions' WORKER_SECRET/);
  const newKeys = await healthWith({
    ...base,
    WORKER_SECRET: status.worker_secret,
    OPENAI_API_KEY: "sk-test",
    SUPABASE_SERVICE_ROLE_KEY: null,
    SUPABASE_SECRET_KEYS: JSON.stringify({ default: "sb_secret_test" }),
  });
  equal(newKeys.status, 200);
  match(newKeys.body.checks.storage.detail, /with SUPABASE_SECRET_KEYS\.default$/);
});

Deno.test("health: production settings without CLERK_AUTHORIZED_PARTIES are 503 naming clerk", async () => {
  const base = { ...stackEnv(), WORKER_SECRET: stackStatus().worker_secret, OPENAI_API_KEY: "sk-test" };
  const missing = await healthWith({ ...base, CLERK_AUTHORIZED_PARTIES: null });
  assertDegraded(missing, "clerk", /CLERK_AUTHORIZED_PARTIES is not set, so every signed-in call answers 500/);
  const local = await healthWith({ ...base, CLERK_AUTHORIZED_PARTIES: null, CLERK_ALLOW_ANY_AUTHORIZED_PARTY: "true" });
  equal(local.status, 200);
  match(local.body.checks.clerk.detail, /^local stack: any azp is accepted/);
  const noIssuer = await healthWith({ ...base, CLERK_ISSUER: null });
  assertDegraded(noIssuer, "clerk", /CLERK_ISSUER/);
});

Deno.test("health answers 503 naming the database, and every part it could not check, when the database does not answer", async () => {
  const result = await healthWith({
    SUPABASE_URL: "http://127.0.0.1:1",
    SUPABASE_DB_URL: `postgresql://postgres:postgres@127.0.0.1:${freePort()}/postgres`,
    DATABASE_URL: null,
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: null,
    ...CLERK_PRODUCTION,
  });
  equal(result.status, 503);
  equal(result.body.status, "degraded");
  deepEqual(result.body.missing, ["database", "pg_net", "cron", "worker_secrets", "storage"]);
  match(result.body.checks.database.detail, /the database does not answer/);
  equal(result.body.checks.cron.detail, "not checked: the database does not answer");
  equal(result.body.checks.ai.ok, true);
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

Deno.test("health on a database without the migrations says to push them", async () => {
  const status = stackStatus();
  const name = `health_empty_${crypto.randomUUID().slice(0, 8)}`;
  await withDb((sql) => sql.unsafe(`create database ${name}`));
  try {
    const url = new URL(status.db_url);
    url.pathname = `/${name}`;
    const result = await healthWith({
      SUPABASE_URL: status.api_url,
      SUPABASE_DB_URL: url.href,
      DATABASE_URL: null,
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: null,
      ...CLERK_PRODUCTION,
    });
    equal(result.status, 503);
    deepEqual(result.body.missing, ["database", "pg_net", "cron", "worker_secrets", "storage"]);
    match(
      result.body.checks.database.detail,
      /^answers \(.*\), but public\.health_report failed .*run supabase db push$/,
    );
    equal(result.body.checks.pg_net.detail, "not checked: the migrations are not applied");
  } finally {
    await withDb((sql) => sql.unsafe(`drop database ${name} with (force)`));
  }
});
