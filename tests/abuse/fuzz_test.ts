// Property: whatever a client sends (generated JSON bodies, query strings, headers, multipart forms, tokens)
// to any function, and whatever a signed Clerk delivery carries, the answer is never a 5xx, and every error
// is in the shared shape. fast-check generates the requests; a failure prints the shrunk request.
import fc from "npm:fast-check@4.11.0";
import { equal, ok } from "node:assert/strict";
import { ENDPOINTS } from "../../supabase/functions/_shared/contract/api_spec.ts";
import { clientFor } from "../support/api.ts";
import { createOrganization, postDelivery, sessionToken, signedDelivery, uniqueId } from "../support/clerk.ts";
import { pdfWithText } from "../support/documents.ts";
import { stackStatus } from "../support/stack.ts";
import { createTeam } from "../support/teams.ts";

/**
 * Requests per generated case (sent together) and cases per property: 8 x 1,250 API requests and 8 x 400
 * webhook deliveries, 13,200 requests in about a minute on a small machine.
 */
const BATCH = 8;
const API_RUNS = 1250;
const WEBHOOK_RUNS = 400;

const NUL = String.fromCharCode(0);

const FIELDS = [
  "team_id",
  "name",
  "profile",
  "size",
  "work_mode",
  "industry",
  "goals",
  "interests",
  "notes",
  "organization_id",
  "public_activity_id",
  "duration_minutes",
  "requirements",
  "material_ids",
  "activity_id",
  "status",
  "job_id",
  "material_id",
  "source",
  "category",
  "q",
  "limit",
  "cursor",
  "min_duration",
  "max_duration",
  "group_size",
];

interface Fixture {
  base: string;
  anonKey: string;
  tokens: string[];
  ids: string[];
  pdf: Uint8Array;
  functions: { name: string; method: string }[];
}

/** Values that have broken servers before: NUL, huge and odd numbers, long and odd strings, real ids. */
function interestingValue(ids: string[]): fc.Arbitrary<unknown> {
  const text = fc.oneof(
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.constantFrom(
      NUL,
      `a${NUL}b`,
      "",
      " ",
      "x".repeat(5000),
      "../../etc/passwd",
      "' or 1=1 --",
      "------------------------------------",
      "00000000-0000-0000-0000-000000000000",
      "\ud800",
      "remote",
      "paid",
      "suggested",
      "icebreaker",
    ),
    fc.constantFrom(...ids),
    fc.uuid(),
  );
  const number = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, -1, 1, 5, 2 ** 31, 2 ** 53, 1e308, -0),
  );
  return fc.oneof(
    { weight: 4, arbitrary: text },
    { weight: 2, arbitrary: number },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.array(text, { maxLength: 25 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

/** JSON bodies shaped like ours (known field names, a profile object) or anything at all. */
function body(ids: string[]): fc.Arbitrary<unknown> {
  const value = interestingValue(ids);
  const key = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...FIELDS) }, { weight: 1, arbitrary: fc.string() });
  const shaped = fc.dictionary(
    key,
    fc.oneof({ weight: 6, arbitrary: value }, {
      weight: 1,
      arbitrary: fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 6 }),
    }),
    { maxKeys: 6 },
  );
  return fc.oneof({ weight: 5, arbitrary: shaped }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) });
}

const headerText = fc.stringMatching(/^[\x20-\x7e]{0,300}$/);

type Generated = {
  fn: { name: string; method: string };
  method: string;
  token: number;
  query: [string, string][];
  kind: "json" | "raw" | "multipart" | "none";
  json: unknown;
  raw: string;
  parts: { name: string; value: string | Uint8Array | "pdf"; filename: string }[];
  contentType: string | null;
  idempotencyKey: string | null;
};

function request(fixture: Fixture): fc.Arbitrary<Generated> {
  const value = fc.oneof(fc.string({ unit: "binary", maxLength: 60 }), fc.constantFrom(NUL, ...fixture.ids));
  return fc.record({
    fn: fc.constantFrom(...fixture.functions),
    method: fc.oneof({ weight: 8, arbitrary: fc.constant("own") }, {
      weight: 1,
      arbitrary: fc.constantFrom("GET", "POST", "PATCH", "DELETE", "PUT"),
    }),
    token: fc.nat({ max: fixture.tokens.length }),
    query: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 10 })), value), {
      maxLength: 5,
    }),
    kind: fc.constantFrom("json", "json", "json", "raw", "multipart", "none"),
    json: body(fixture.ids),
    raw: fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.constantFrom("{", "[]", "null", '{"a":')),
    parts: fc.array(
      fc.record({
        name: fc.oneof(fc.constantFrom("team_id", "file", "file", "extra"), fc.string({ maxLength: 8 })),
        value: fc.oneof(value, fc.uint8Array({ maxLength: 3000 }), fc.constant("pdf" as const)),
        filename: fc.oneof(fc.constantFrom("a.pdf", "../../x.docx", `n${NUL}.pdf`, ""), fc.string({ maxLength: 300 })),
      }),
      { maxLength: 4 },
    ),
    contentType: fc.oneof(
      fc.constant(null),
      fc.constantFrom("application/json", "text/plain", "multipart/form-data", "multipart/form-data; boundary=x"),
      headerText,
    ),
    idempotencyKey: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: headerText }),
  }) as fc.Arbitrary<Generated>;
}

async function send(fixture: Fixture, g: Generated): Promise<{ status: number; text: string; what: string }> {
  const method = g.method === "own" ? g.fn.method : g.method;
  const url = new URL(`${fixture.base}/functions/v1/${g.fn.name}`);
  for (const [k, v] of g.query) url.searchParams.append(k, v);
  const headers = new Headers({ apikey: fixture.anonKey });
  if (g.token < fixture.tokens.length) headers.set("authorization", `Bearer ${fixture.tokens[g.token]}`);
  if (g.idempotencyKey !== null) headers.set("idempotency-key", g.idempotencyKey);
  let payload: BodyInit | undefined;
  if (method !== "GET") {
    if (g.kind === "json") payload = JSON.stringify(g.json);
    if (g.kind === "raw") payload = g.raw;
    if (g.kind === "multipart") {
      const form = new FormData();
      for (const part of g.parts) {
        if (typeof part.value === "string" && part.value !== "pdf") form.append(part.name, part.value);
        else {
          const bytes = part.value === "pdf" ? fixture.pdf : part.value as Uint8Array;
          form.append(part.name, new File([bytes as Uint8Array<ArrayBuffer>], part.filename));
        }
      }
      payload = form;
    }
  }
  if (g.contentType !== null && g.kind !== "multipart") headers.set("content-type", g.contentType);
  const response = await fetch(url, { method, headers, body: payload });
  const text = await response.text();
  return { status: response.status, text, what: `${method} ${url.pathname}${url.search} (${g.kind})` };
}

function assertSharedShape(result: { status: number; text: string; what: string }) {
  ok(result.status < 500, `${result.what} answered ${result.status}: ${result.text.slice(0, 500)}`);
  if (result.status >= 400) {
    const body = JSON.parse(result.text);
    equal(typeof body.error?.code, "string", `${result.what}: ${result.text.slice(0, 300)}`);
    equal(typeof body.error?.message, "string", `${result.what}: ${result.text.slice(0, 300)}`);
  }
}

Deno.test("fuzz: generated requests to every function never answer 5xx, and errors keep the shared shape", async () => {
  const status = stackStatus();
  const org = await createOrganization("free");
  const teamId = await createTeam(clientFor(org.admin.token), "Fuzz team");
  const unsynced = await sessionToken(uniqueId("user"), { orgId: uniqueId("org") });
  const methods = new Map(ENDPOINTS.map((e) => [e.name, e.method]));
  const fixture: Fixture = {
    base: status.api_url,
    anonKey: status.anon_key,
    tokens: [org.admin.token, org.member.token, unsynced, "not-a-token", `${org.admin.token}x`],
    ids: [teamId, crypto.randomUUID()],
    pdf: await pdfWithText(["A small document the fuzzer uploads"]),
    functions: status.functions.map((name) => ({ name, method: methods.get(name) ?? "POST" })),
  };
  let sent = 0;
  const started = performance.now();
  await fc.assert(
    fc.asyncProperty(fc.array(request(fixture), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
      const results = await Promise.all(batch.map((g) => send(fixture, g)));
      sent += results.length;
      for (const result of results) assertSharedShape(result);
    }),
    { numRuns: API_RUNS, seed: Number(Deno.env.get("FUZZ_SEED") ?? Date.now() % 2 ** 31) },
  );
  console.log(
    `fuzz: ${sent} requests to ${fixture.functions.length} functions in ${
      ((performance.now() - started) / 1000).toFixed(1)
    } s, none 5xx`,
  );
  ok(sent >= API_RUNS * BATCH);
});

Deno.test("fuzz: generated Clerk deliveries, signed or not, never answer 5xx", async () => {
  const types = [
    "user.created",
    "user.updated",
    "user.deleted",
    "organization.created",
    "organization.updated",
    "organization.deleted",
    "organizationMembership.created",
    "organizationMembership.updated",
    "organizationMembership.deleted",
    "session.created",
  ];
  const idValue = fc.oneof(
    fc.constant(null),
    fc.string({ unit: "binary", maxLength: 30 }),
    fc.constantFrom(`user_${NUL}`, "x".repeat(300), ""),
    fc.string({ minLength: 4, maxLength: 12 }).map((s) => `fuzz_${encodeURIComponent(s)}`),
  );
  const text = fc.oneof(fc.string({ unit: "binary", maxLength: 50 }), fc.constantFrom(NUL, "x".repeat(3000)));
  const time = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(Date.now(), 1e20, -5, 8.64e15 + 1));
  const data = fc.record({
    id: idValue,
    name: fc.option(text),
    first_name: fc.option(text),
    last_name: fc.option(text),
    username: fc.option(text),
    role: fc.option(text),
    updated_at: fc.option(time),
    public_metadata: fc.option(fc.oneof(fc.constant({ plan: "paid" }), fc.jsonValue({ maxDepth: 2 }))),
    primary_email_address_id: fc.constant("idn_1"),
    email_addresses: fc.option(fc.array(fc.record({ id: fc.constant("idn_1"), email_address: text }))),
    organization: fc.option(fc.record({ id: idValue })),
    public_user_data: fc.option(fc.record({ user_id: idValue })),
  }, { requiredKeys: [] });
  const delivery = fc.record({
    type: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...types) }, { weight: 1, arbitrary: text }),
    data: fc.oneof({ weight: 6, arbitrary: data }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }),
    timestamp: fc.option(time),
    signed: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  });
  let sent = 0;
  const started = performance.now();
  await fc.assert(
    fc.asyncProperty(fc.array(delivery, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
      const results = await Promise.all(batch.map(async (d) => {
        const event = { type: d.type, data: d.data as Record<string, unknown>, timestamp: d.timestamp ?? undefined };
        const signed = signedDelivery(event, d.signed ? {} : { secret: "whsec_" + btoa("not the real secret") });
        const response = await postDelivery(signed);
        return { status: response.status, text: await response.text(), what: `clerk-webhook ${d.type}` };
      }));
      sent += results.length;
      for (const result of results) assertSharedShape(result);
    }),
    { numRuns: WEBHOOK_RUNS, seed: Number(Deno.env.get("FUZZ_SEED") ?? Date.now() % 2 ** 31) },
  );
  console.log(`fuzz: ${sent} webhook deliveries in ${((performance.now() - started) / 1000).toFixed(1)} s, none 5xx`);
});
