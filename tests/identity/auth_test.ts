// Every user-facing endpoint refuses bad session tokens with 401 in the shared shape, and a valid token of
// a non-member gets 403 or 404, never data.
import { equal, ok } from "node:assert/strict";
import { generateKeyPair, SignJWT } from "jose";
import { call, clientFor } from "../support/api.ts";
import { createOrganization, sessionToken, uniqueId } from "../support/clerk.ts";
import { stackStatus } from "../support/stack.ts";

/** Every user-facing endpoint, called with a plausible request. */
const ENDPOINTS: { name: string; method: "GET" | "POST" | "PATCH" | "DELETE"; body?: unknown }[] = [
  { name: "teams-create", method: "POST", body: { name: "T", profile: { size: 3, work_mode: "remote" } } },
  { name: "teams-list", method: "GET" },
  { name: "teams-update", method: "PATCH", body: { team_id: crypto.randomUUID(), name: "New" } },
  { name: "teams-delete", method: "DELETE", body: { team_id: crypto.randomUUID() } },
  { name: "public-activities-list", method: "GET" },
  { name: "quota-status", method: "GET" },
];

async function badTokens(): Promise<Record<string, string>> {
  const userId = uniqueId("user");
  const now = Math.floor(Date.now() / 1000);
  const foreign = await generateKeyPair("RS256", { extractable: true });
  const jwks = await (await fetch(stackStatus().jwks_url)).json();
  const kid = jwks.keys[0].kid as string;
  const signWith = (key: CryptoKey, keyId: string) =>
    new SignJWT({ sub: userId, iss: stackStatus().clerk_issuer, azp: "http://localhost:3000", v: 2 })
      .setProtectedHeader({ alg: "RS256", kid: keyId })
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(key);
  const unsigned = [
    btoa(JSON.stringify({ alg: "none", typ: "JWT" })),
    btoa(JSON.stringify({ sub: userId, iss: stackStatus().clerk_issuer, exp: now + 60 })),
  ].map((part) => part.replace(/=+$/, "")).join(".") + ".";
  return {
    expired: await sessionToken(userId, { ttlSeconds: -120 }),
    "not yet valid": await sessionToken(userId, { notBefore: now + 600 }),
    "signed by an unknown key": await signWith(foreign.privateKey, "ins_unknown"),
    "signed by another key under our kid": await signWith(foreign.privateKey, kid),
    "alg none": unsigned,
    "another issuer": await sessionToken(userId, { issuer: "https://clerk.evil.example" }),
    "a party not allowed": await sessionToken(userId, { authorizedParty: "https://evil.example" }),
    pending: await sessionToken(userId, { status: "pending" }),
    malformed: "not-a-token",
    "the anon key": stackStatus().anon_key,
  };
}

Deno.test("auth: bad tokens get 401 with the shared error shape on every endpoint", async () => {
  const tokens = await badTokens();
  for (const [label, token] of Object.entries(tokens)) {
    for (const endpoint of ENDPOINTS) {
      const result = await call(clientFor(label === "the anon key" ? undefined : token), endpoint.name, endpoint);
      equal(result.status, 401, `${endpoint.name} with ${label}`);
      const error = result.body.error as { code: string; message: string };
      equal(error.code, "unauthorized", `${endpoint.name} with ${label}`);
      ok(error.message.length > 0);
    }
  }
});

Deno.test("auth: a valid token of a user who is not a member gets 403 or 404, never data", async () => {
  const org = await createOrganization();
  const admin = clientFor(org.admin.token);
  const created = await call(admin, "teams-create", {
    body: { name: "Private", profile: { size: 4, work_mode: "onsite" } },
  });
  equal(created.status, 201);
  const team = created.body.team as { id: string; organization_id: string };

  const strangerId = uniqueId("user");
  // A stranger whose token even names the organization as active (a token claim alone grants nothing).
  for (const token of [await sessionToken(strangerId), await sessionToken(strangerId, { orgId: org.clerkOrgId })]) {
    const stranger = clientFor(token);
    const attempts = [
      await call(stranger, "teams-list", { method: "GET", query: { organization_id: team.organization_id } }),
      await call(stranger, "quota-status", { method: "GET", query: { organization_id: team.organization_id } }),
      await call(stranger, "teams-update", { method: "PATCH", body: { team_id: team.id, name: "Mine" } }),
      await call(stranger, "teams-delete", { method: "DELETE", body: { team_id: team.id } }),
      await call(stranger, "teams-create", {
        body: { name: "Intruder", profile: { size: 2, work_mode: "remote" }, organization_id: team.organization_id },
      }),
    ];
    for (const attempt of attempts) {
      ok([403, 404].includes(attempt.status), `got ${attempt.status}: ${JSON.stringify(attempt.body)}`);
      ok(!("team" in attempt.body) && !("teams" in attempt.body) && !("quotas" in attempt.body));
    }
  }
  const teams = await call(admin, "teams-list", { method: "GET" });
  equal((teams.body.teams as { name: string }[]).map((t) => t.name).join(), "Private");
});
