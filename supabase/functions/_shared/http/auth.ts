/**
 * Clerk session tokens, verified here because the platform gateway cannot (verify_jwt = false): signature
 * against CLERK_JWKS_URL, `exp`/`nbf` with a small clock skew, `iss`, `azp` against an allowlist, and
 * `sts != pending`. Verification returns a result saying whose fault a failure is.
 */
import { createRemoteJWKSet, errors as joseErrors, type JWTPayload, jwtVerify } from "jose";
import { commaList, defineSettings } from "../core/config.ts";
import { ApiError, ErrorCode } from "../core/errors.ts";
import { z } from "zod";

/**
 * Clerk settings. CLERK_AUTHORIZED_PARTIES (the frontend origins allowed in `azp`) is required; only the local
 * stack, which sets CLERK_ALLOW_ANY_AUTHORIZED_PARTY=true, may leave it empty.
 */
export const clerkSettings = defineSettings({
  CLERK_JWKS_URL: z.url(),
  CLERK_ISSUER: z.string().min(1),
  CLERK_AUTHORIZED_PARTIES: commaList(),
  CLERK_ALLOW_ANY_AUTHORIZED_PARTY: z.enum(["true", "false"]).default("false"),
});

/** The message for an operator who left CLERK_AUTHORIZED_PARTIES empty outside the local stack. */
export const MISSING_AUTHORIZED_PARTIES =
  "Invalid configuration: CLERK_AUTHORIZED_PARTIES is not set: list your frontend origins (only the local stack may leave it empty, with CLERK_ALLOW_ANY_AUTHORIZED_PARTY=true)";

/**
 * Whether tokens' `azp` is checked: `configured` (an allowlist is set), `any_allowed_locally` (empty, and the
 * local stack's opt-out is on) or `missing` (empty in production settings: every signed-in call answers 500).
 */
export function authorizedPartiesCheck(): "configured" | "any_allowed_locally" | "missing" {
  const settings = clerkSettings();
  if (settings.CLERK_AUTHORIZED_PARTIES.length > 0) return "configured";
  return settings.CLERK_ALLOW_ANY_AUTHORIZED_PARTY === "true" ? "any_allowed_locally" : "missing";
}

/** Seconds of clock difference tolerated on `exp` and `nbf`. */
export const CLOCK_SKEW_SECONDS = 5;

/** Who is calling, from a verified Clerk session token. */
export interface Caller {
  /** Clerk user id (`sub`). */
  userId: string;
  sessionId: string | null;
  /** Clerk id of the active organization (`o.id` in v2 tokens, `org_id` in v1), if any. */
  orgId: string | null;
  /** Role in the active organization, without Clerk's `org:` prefix. */
  orgRole: string | null;
  claims: JWTPayload;
}

/** Why a token was refused: the caller's fault (401) or the operator's (500, e.g. JWKS unreachable). */
export interface AuthFailure {
  fault: "caller" | "operator";
  reason: string;
}

/** The outcome of verifying a token. */
export type VerifyResult = { ok: true; caller: Caller } | { ok: false; failure: AuthFailure };

let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
let jwksUrl: string | undefined;

/** The isolate's JWKS resolver, created once (it caches keys and refetches on an unknown `kid`). */
function keySet(url: string) {
  if (!jwks || jwksUrl !== url) {
    jwks = createRemoteJWKSet(new URL(url), { timeoutDuration: 5000, cooldownDuration: 30_000 });
    jwksUrl = url;
  }
  return jwks;
}

function callerFrom(claims: JWTPayload): Caller {
  const org = claims.o as { id?: unknown; rol?: unknown } | undefined;
  const orgId = typeof org?.id === "string" ? org.id : typeof claims.org_id === "string" ? claims.org_id : null;
  const rawRole = typeof org?.rol === "string" ? org.rol : typeof claims.org_role === "string" ? claims.org_role : null;
  return {
    userId: claims.sub!,
    sessionId: typeof claims.sid === "string" ? claims.sid : null,
    orgId,
    orgRole: rawRole ? rawRole.replace(/^org:/, "") : null,
    claims,
  };
}

function callerFault(reason: string): VerifyResult {
  return { ok: false, failure: { fault: "caller", reason } };
}

/** Verifies a Clerk session token. Never throws. */
export async function verifySessionToken(token: string): Promise<VerifyResult> {
  let settings;
  try {
    settings = clerkSettings();
    if (authorizedPartiesCheck() === "missing") throw new Error(MISSING_AUTHORIZED_PARTIES);
  } catch (error) {
    return { ok: false, failure: { fault: "operator", reason: (error as Error).message } };
  }
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, keySet(settings.CLERK_JWKS_URL), {
      issuer: settings.CLERK_ISSUER,
      algorithms: ["RS256"],
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: ["sub", "exp"],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) return callerFault("The session token has expired");
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      return callerFault(
        error.claim === "nbf"
          ? "The session token is not valid yet"
          : `The session token's ${error.claim} claim is invalid`,
      );
    }
    if (error instanceof joseErrors.JWKSNoMatchingKey) return callerFault("The session token is not valid");
    const jwksUnavailable = error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid ||
      error instanceof TypeError || (error instanceof Error && error.message.includes("JSON Web Key Set"));
    if (jwksUnavailable) {
      return { ok: false, failure: { fault: "operator", reason: `Could not fetch the JWKS: ${error.message}` } };
    }
    if (error instanceof joseErrors.JOSEError) return callerFault("The session token is not valid");
    return { ok: false, failure: { fault: "operator", reason: String(error) } };
  }
  if (typeof claims.sub !== "string" || claims.sub === "") return callerFault("The session token has no subject");
  const allowed = settings.CLERK_AUTHORIZED_PARTIES;
  if (allowed.length > 0 && (typeof claims.azp !== "string" || !allowed.includes(claims.azp))) {
    return callerFault("The session token was issued for another application");
  }
  if (claims.sts === "pending") return callerFault("The session is pending: finish signing in first");
  return { ok: true, caller: callerFrom(claims) };
}

/** The bearer token of a request, or null. */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

/** Verifies the request's session token; throws ApiError 401 (caller) or 500 (operator). */
export async function authenticate(request: Request): Promise<Caller> {
  const token = bearerToken(request);
  if (!token) {
    throw new ApiError(ErrorCode.unauthorized, "Sign in first: send the Clerk session token as a Bearer token");
  }
  const result = await verifySessionToken(token);
  if (result.ok) return result.caller;
  if (result.failure.fault === "operator") throw new Error(`Token verification unavailable: ${result.failure.reason}`);
  throw new ApiError(ErrorCode.unauthorized, result.failure.reason);
}
