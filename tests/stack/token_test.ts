// The local Clerk-like issuer: `npm run token` mints Clerk v2-shaped session tokens that verify
// against the stack's JWKS URL.
import { equal, match } from "node:assert/strict";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { ROOT } from "../../scripts/lib/paths.ts";
import { stackStatus } from "../support/stack.ts";

async function mint(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command("npm", {
    args: ["run", "--silent", "token", "--", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("npm run token prints a Clerk v2 session token that verifies against the JWKS URL", async () => {
  const { code, stdout } = await mint("--user", "user_abc", "--org", "org_xyz", "--role", "admin");
  equal(code, 0);
  const status = stackStatus();
  const { payload, protectedHeader } = await jwtVerify(stdout, createRemoteJWKSet(new URL(status.jwks_url)), {
    issuer: status.clerk_issuer,
  });
  equal(protectedHeader.alg, "RS256");
  equal(payload.sub, "user_abc");
  equal(payload.v, 2);
  equal(payload.azp, "http://localhost:3000");
  match(String(payload.sid), /^sess_/);
  equal((payload.o as { id: string; rol: string }).id, "org_xyz");
  equal((payload.o as { id: string; rol: string }).rol, "admin");
  equal(typeof payload.nbf, "number");
  equal(payload.exp! - payload.iat!, 3600);
});

Deno.test("npm run token without --user fails with one clear sentence", async () => {
  const { code, stderr } = await mint("--org", "org_xyz");
  equal(code, 1);
  match(stderr, /^error: --user is required: /);
});
