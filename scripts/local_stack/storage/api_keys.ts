/**
 * Supabase's new API keys (`sb_secret_...`, `sb_publishable_...`) are not JWTs: the hosted API gateway checks
 * them and, when the Authorization header carries the same key (as supabase-js sends it), replaces it with a
 * short-lived JWT of the matching role before the request reaches Storage. This does the same for the local
 * Storage API. Legacy JWT keys and user tokens pass through unchanged.
 */
import type { NewApiKeys } from "../secrets.ts";
import { signToken } from "./auth.ts";

const NEW_KEY = /^sb_(secret|publishable)_/;

/** The gateway's answer to a key it does not know. */
function invalidApiKey(): Response {
  return Response.json({ message: "Invalid API key", hint: "Double check your Supabase API key." }, { status: 401 });
}

/** The request as Storage would receive it behind the gateway, or the gateway's 401 for an unknown new key. */
export async function exchangeNewApiKey(
  request: Request,
  keys: NewApiKeys,
  jwtKey: Uint8Array,
): Promise<Request | Response> {
  const apikey = request.headers.get("apikey");
  const bearer = request.headers.get("authorization")?.replace(/^Bearer\s+/i, "") ?? null;
  const presented = [apikey, bearer].filter((value): value is string => value !== null && NEW_KEY.test(value));
  if (presented.length === 0) return request;
  const roleOf = (key: string) => key === keys.secret ? "service_role" : key === keys.publishable ? "anon" : null;
  if (presented.some((key) => roleOf(key) === null)) return invalidApiKey();
  // A user's JWT in Authorization is kept; a new key there (or none) becomes the key's role.
  if (bearer !== null && !NEW_KEY.test(bearer)) return request;
  const role = roleOf(bearer ?? apikey!)!;
  const headers = new Headers(request.headers);
  headers.set("authorization", `Bearer ${await signToken({ role, iss: "supabase-local" }, jwtKey, 300)}`);
  return new Request(request, { headers });
}
