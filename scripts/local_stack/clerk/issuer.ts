/**
 * A local stand-in for Clerk's token issuer: an RS256 key pair kept in the data folder, its JWKS, and
 * session tokens shaped like Clerk's v2 session tokens. Only the issuer differs from production.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";
import { Webhook } from "svix";

/** The authorized party (frontend origin) local tokens name by default. */
export const LOCAL_AUTHORIZED_PARTY = "http://localhost:3000";

interface StoredKeys {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

async function loadKeys(dataDir: string): Promise<StoredKeys> {
  const file = join(dataDir, "clerk", "keys.json");
  if (existsSync(file)) return JSON.parse(await Deno.readTextFile(file));
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = `ins_local_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const keys: StoredKeys = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: "RS256", use: "sig" },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" },
  };
  await Deno.mkdir(join(dataDir, "clerk"), { recursive: true });
  // Written aside, then linked into place (atomic, fails if present): when two processes create keys at
  // once, the first complete file wins and everyone uses it.
  const temporary = `${file}.${crypto.randomUUID()}`;
  await Deno.writeTextFile(temporary, JSON.stringify(keys, null, 2), { mode: 0o600 });
  try {
    await Deno.link(temporary, file);
    return keys;
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    return JSON.parse(await Deno.readTextFile(file));
  } finally {
    await Deno.remove(temporary);
  }
}

/** The issuer URL of a local stack (Clerk's Frontend API URL in production). */
export function clerkIssuer(apiUrl: string): string {
  return `${apiUrl}/clerk`;
}

/** The JWKS document served at `<issuer>/.well-known/jwks.json`. */
export async function clerkJwks(dataDir: string): Promise<{ keys: JWK[] }> {
  const keys = await loadKeys(dataDir);
  return { keys: [keys.publicJwk] };
}

/** What a local session token says about its user. */
export interface SessionTokenOptions {
  userId: string;
  orgId?: string;
  orgRole?: string;
  orgSlug?: string;
  issuer: string;
  authorizedParty?: string;
  ttlSeconds?: number;
  /** Unix seconds before which the token is not valid (default: 5 s ago). */
  notBefore?: number;
  status?: "active" | "pending";
}

/** Mints a session token shaped like Clerk's v2 session token (sub, sid, azp, iss, exp, nbf, o, v: 2). */
export async function mintSessionToken(dataDir: string, options: SessionTokenOptions): Promise<string> {
  const keys = await loadKeys(dataDir);
  const privateKey = await importJWK(keys.privateJwk, "RS256");
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    azp: options.authorizedParty ?? LOCAL_AUTHORIZED_PARTY,
    sid: `sess_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`,
    v: 2,
    fva: [0, -1],
  };
  if (options.status) claims.sts = options.status;
  if (options.orgId) {
    claims.o = {
      id: options.orgId,
      rol: (options.orgRole ?? "member").replace(/^org:/, ""),
      slg: options.orgSlug ?? options.orgId,
    };
  }
  return await new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: keys.kid, typ: "JWT" })
    .setSubject(options.userId)
    .setIssuer(options.issuer)
    .setIssuedAt(now)
    .setNotBefore(options.notBefore ?? now - 5)
    .setExpirationTime(now + (options.ttlSeconds ?? 3600))
    .sign(privateKey);
}

/** A Clerk event as its webhook delivers it: the JSON body and Svix's signature headers. */
export interface SignedDelivery {
  body: string;
  headers: Record<string, string>;
}

/** Signs an event with a Svix secret (`whsec_...`) exactly as Clerk's webhooks are signed. */
export function signClerkDelivery(
  secret: string,
  event: unknown,
  options: { svixId?: string; sentAt?: Date } = {},
): SignedDelivery {
  const body = JSON.stringify(event);
  const svixId = options.svixId ?? `msg_${crypto.randomUUID().replaceAll("-", "")}`;
  const sentAt = options.sentAt ?? new Date();
  return {
    body,
    headers: {
      "content-type": "application/json",
      "svix-id": svixId,
      "svix-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
      "svix-signature": new Webhook(secret).sign(svixId, sentAt, body),
    },
  };
}
