/** The local stack's secrets: made once per data folder, kept there, never committed. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { SignJWT } from "jose";

/** Secrets shared by the local gateway, the functions and the database. */
export interface StackSecrets {
  /** Signs the anon and service_role keys and Storage tokens (Supabase's JWT secret). */
  jwt_secret: string;
  /** Sent by the database to the jobs-worker function (stored in Vault as `worker_secret`). */
  worker_secret: string;
  /** Svix signing secret of the local Clerk webhook (`whsec_...`). */
  clerk_webhook_secret: string;
}

function randomBase64(bytes: number): string {
  const buffer = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...buffer));
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Loads the data folder's secrets, creating them the first time. */
export async function loadSecrets(dataDir: string): Promise<StackSecrets> {
  const file = join(dataDir, "secrets.json");
  if (existsSync(file)) return JSON.parse(await Deno.readTextFile(file));
  const secrets: StackSecrets = {
    jwt_secret: randomHex(32),
    worker_secret: randomHex(32),
    clerk_webhook_secret: `whsec_${randomBase64(24)}`,
  };
  await Deno.mkdir(dataDir, { recursive: true });
  await Deno.writeTextFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** The anon and service_role API keys: HS256 JWTs signed with the JWT secret, as Supabase issues them. */
export async function apiKeys(jwtSecret: string): Promise<{ anon_key: string; service_role_key: string }> {
  const key = new TextEncoder().encode(jwtSecret);
  const sign = (role: string) =>
    new SignJWT({ role, iss: "supabase-local" })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuedAt(1_700_000_000)
      .setExpirationTime(2_000_000_000)
      .sign(key);
  return { anon_key: await sign("anon"), service_role_key: await sign("service_role") };
}

/** The new API keys (`sb_secret_...`, `sb_publishable_...`; not JWTs, the gateway exchanges them). */
export interface NewApiKeys {
  secret: string;
  publishable: string;
}

/** The stack's new keys, derived from its JWT secret (stable per data folder, different between stacks). */
export async function newApiKeys(jwtSecret: string): Promise<NewApiKeys> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(jwtSecret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const derive = async (label: string) => {
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(label)));
    return Array.from(mac.slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
  };
  return {
    secret: `sb_secret_${await derive("secret")}`,
    publishable: `sb_publishable_${await derive("publishable")}`,
  };
}
