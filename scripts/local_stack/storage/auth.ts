/**
 * JWTs for the local Storage API: the caller's HS256 token (Supabase's jwt plugin) and the tokens of
 * signed URLs. Failures carry jsonwebtoken's messages ("jwt expired", "invalid signature", ...) because
 * Supabase Storage verifies with jsonwebtoken and puts its message in the error body.
 */
import { errors, jwtVerify, SignJWT } from "jose";
import type { JWTPayload } from "jose";
import type { Scope } from "./db.ts";
import { ERRORS, validationError } from "./errors.ts";

/** The roles Supabase's API roles map to; any other `role` claim is refused. */
const ROLES = ["anon", "authenticated", "service_role"] as const;

/** A verified caller: the database scope its requests run in and its JWT subject. */
export interface Caller {
  scope: Exclude<Scope, "superuser">;
  sub: unknown;
}

/** The HS256 key for a JWT secret. */
export function hmacKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

function jsonwebtokenMessage(token: string, error: unknown): string {
  if (token.split(".").length !== 3) return "jwt malformed";
  if (error instanceof errors.JWTExpired) return "jwt expired";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "invalid signature";
  if (error instanceof errors.JOSEAlgNotAllowed) return "invalid algorithm";
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === "nbf") {
    return "jwt not active";
  }
  // jsonwebtoken's word for three parts that do not decode to a JWT.
  return "invalid token";
}

/** Verifies an HS256 token; throws `fail(message)` with jsonwebtoken's wording. */
export async function verifyToken(
  token: string,
  key: Uint8Array,
  fail: (message: string) => Error,
): Promise<JWTPayload> {
  if (!token) throw fail("jwt must be provided");
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"] });
    return payload;
  } catch (error) {
    throw fail(jsonwebtokenMessage(token, error));
  }
}

/** Signs a payload the way Supabase's signJWT does: HS256, `iat`, and `exp` after `expiresIn` seconds. */
export async function signToken(
  payload: Record<string, unknown>,
  key: Uint8Array,
  expiresIn: number,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return await new SignJWT(payload)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(now)
    .setExpirationTime(now + expiresIn)
    .sign(key);
}

function bearerToken(request: Request): string | null {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) return authorization.replace(/^Bearer\s+/i, "");
  // The hosted gateway derives Authorization from the apikey when a client sends only the key.
  return request.headers.get("apikey");
}

/**
 * The caller of a route that needs a valid JWT. A bad token is Supabase's AccessDenied (statusCode 403,
 * HTTP 400); a missing header fails schema validation as it does there.
 */
export async function requireCaller(request: Request, key: Uint8Array): Promise<Caller> {
  const token = bearerToken(request);
  if (token === null) throw validationError("headers must have required property 'authorization'");
  const claims = await verifyToken(token, key, ERRORS.accessDenied);
  const role = claims.role ?? "anon";
  const known = ROLES.find((name) => name === role);
  if (!known) throw ERRORS.accessDenied(`role "${String(role)}" is not allowed`);
  return { scope: { role: known, claims: claims as Record<string, unknown> }, sub: claims.sub };
}

/** The caller of a route that also serves unauthenticated requests (Supabase's `allowInvalidJwt`). */
export async function optionalCaller(request: Request, key: Uint8Array): Promise<Caller | null> {
  try {
    return await requireCaller(request, key);
  } catch {
    return null;
  }
}
