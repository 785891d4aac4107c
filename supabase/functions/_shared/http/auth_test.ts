import { equal, ok } from "node:assert/strict";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { authenticate, authorizedPartiesCheck, clerkSettings, verifySessionToken } from "./auth.ts";
import { ApiError } from "../core/errors.ts";

const ISSUER = "https://clerk.test.example";

async function keyPair(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}

/** A JWKS endpoint speaking the real protocol, and a signer for tokens. */
async function clerkFixture(options: { authorizedParties?: string; allowAny?: string } = {}) {
  const good = await keyPair("good");
  const other = await keyPair("other");
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => Response.json({ keys: [good.jwk] }),
  );
  Deno.env.set("CLERK_JWKS_URL", `http://127.0.0.1:${server.addr.port}/.well-known/jwks.json`);
  Deno.env.set("CLERK_ISSUER", ISSUER);
  Deno.env.set("CLERK_AUTHORIZED_PARTIES", options.authorizedParties ?? "");
  Deno.env.set("CLERK_ALLOW_ANY_AUTHORIZED_PARTY", options.allowAny ?? "true");
  clerkSettings.refresh();
  const now = Math.floor(Date.now() / 1000);
  const sign = (claims: JWTPayload = {}, signer = good) =>
    new SignJWT({
      sub: "user_1",
      iss: ISSUER,
      iat: now,
      nbf: now - 5,
      exp: now + 60,
      sid: "sess_1",
      v: 2,
      azp: "http://localhost:3000",
      o: { id: "org_1", rol: "admin" },
      ...claims,
    })
      .setProtectedHeader({ alg: "RS256", kid: signer.kid })
      .sign(signer.privateKey);
  return { sign, other, now, close: () => server.shutdown() };
}

async function refusedFor(token: string): Promise<string> {
  const result = await verifySessionToken(token);
  ok(!result.ok, "the token should be refused");
  equal(result.failure.fault, "caller", result.failure.reason);
  return result.failure.reason;
}

Deno.test("a valid v2 session token yields the user, session and active organization", async () => {
  const clerk = await clerkFixture();
  try {
    const result = await verifySessionToken(await clerk.sign());
    ok(result.ok);
    equal(result.caller.userId, "user_1");
    equal(result.caller.sessionId, "sess_1");
    equal(result.caller.orgId, "org_1");
    equal(result.caller.orgRole, "admin");
  } finally {
    await clerk.close();
  }
});

Deno.test("a v1 token's org_id and org:admin role are understood", async () => {
  const clerk = await clerkFixture();
  try {
    const result = await verifySessionToken(
      await clerk.sign({ o: undefined, org_id: "org_v1", org_role: "org:admin" }),
    );
    ok(result.ok);
    equal(result.caller.orgId, "org_v1");
    equal(result.caller.orgRole, "admin");
  } finally {
    await clerk.close();
  }
});

Deno.test("expired, not-yet-valid, foreign-key, other-issuer, pending and malformed tokens are refused", async () => {
  const clerk = await clerkFixture();
  try {
    equal(await refusedFor(await clerk.sign({ exp: clerk.now - 60 })), "The session token has expired");
    equal(await refusedFor(await clerk.sign({ nbf: clerk.now + 120 })), "The session token is not valid yet");
    equal(await refusedFor(await clerk.sign({}, clerk.other)), "The session token is not valid");
    equal(
      await refusedFor(await clerk.sign({ iss: "https://evil.example" })),
      "The session token's iss claim is invalid",
    );
    equal(await refusedFor(await clerk.sign({ sts: "pending" })), "The session is pending: finish signing in first");
    equal(await refusedFor("not.a.jwt"), "The session token is not valid");
    equal(await refusedFor(""), "The session token is not valid");
  } finally {
    await clerk.close();
  }
});

Deno.test("a token within the clock skew is accepted; alg none is refused", async () => {
  const clerk = await clerkFixture();
  try {
    ok((await verifySessionToken(await clerk.sign({ exp: clerk.now - 2 }))).ok, "2 s past exp is within the skew");
    const header = btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=+$/, "");
    const payload = btoa(JSON.stringify({ sub: "user_1", iss: ISSUER, exp: clerk.now + 60 })).replace(/=+$/, "");
    equal(await refusedFor(`${header}.${payload}.`), "The session token is not valid");
  } finally {
    await clerk.close();
  }
});

Deno.test("azp must be in CLERK_AUTHORIZED_PARTIES when it is set", async () => {
  const clerk = await clerkFixture({ authorizedParties: "https://app.example, http://localhost:3000" });
  try {
    ok((await verifySessionToken(await clerk.sign())).ok);
    equal(
      await refusedFor(await clerk.sign({ azp: "https://other.example" })),
      "The session token was issued for another application",
    );
    equal(
      await refusedFor(await clerk.sign({ azp: undefined })),
      "The session token was issued for another application",
    );
  } finally {
    await clerk.close();
  }
});

Deno.test("an empty CLERK_AUTHORIZED_PARTIES is an operator error unless the local stack's opt-out is on", async () => {
  const clerk = await clerkFixture({ authorizedParties: "", allowAny: "false" });
  try {
    equal(authorizedPartiesCheck(), "missing");
    const result = await verifySessionToken(await clerk.sign());
    ok(!result.ok);
    equal(result.failure.fault, "operator");
    ok(result.failure.reason.includes("CLERK_AUTHORIZED_PARTIES is not set"), result.failure.reason);
    Deno.env.set("CLERK_ALLOW_ANY_AUTHORIZED_PARTY", "true");
    clerkSettings.refresh();
    equal(authorizedPartiesCheck(), "any_allowed_locally");
    ok((await verifySessionToken(await clerk.sign({ azp: "https://any.example" }))).ok);
    Deno.env.set("CLERK_AUTHORIZED_PARTIES", "http://localhost:3000");
    clerkSettings.refresh();
    equal(authorizedPartiesCheck(), "configured");
  } finally {
    await clerk.close();
  }
});

Deno.test("an unreachable JWKS is the operator's fault, not the caller's", async () => {
  const clerk = await clerkFixture();
  const token = await clerk.sign();
  await clerk.close();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  Deno.env.set("CLERK_JWKS_URL", `http://127.0.0.1:${port}/jwks.json`);
  clerkSettings.refresh();
  const result = await verifySessionToken(token);
  ok(!result.ok);
  equal(result.failure.fault, "operator");
});

Deno.test("authenticate answers 401 without a bearer token", async () => {
  try {
    await authenticate(new Request("http://localhost/x"));
    ok(false, "should throw");
  } catch (error) {
    ok(error instanceof ApiError);
    equal(error.status, 401);
    equal(error.code, "unauthorized");
  }
});
