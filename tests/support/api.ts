/** Calling the functions as a frontend does: the real supabase-js client and `functions.invoke`. */
import { createClient, FunctionsHttpError, type SupabaseClient } from "@supabase/supabase-js";
import { stackStatus } from "./stack.ts";

/** A supabase-js client that sends the given Clerk session token (or only the anon key). */
export function clientFor(token?: string): SupabaseClient {
  const status = stackStatus();
  return createClient(status.api_url, status.anon_key, {
    auth: { persistSession: false, autoRefreshToken: false },
    ...(token ? { accessToken: async () => await Promise.resolve(token) } : {}),
  });
}

/** The shared error shape, as any failed call answers. */
export interface ApiErrorBody {
  // deno-lint-ignore no-explicit-any
  error?: { code: string; message: string; details?: any };
}

/** What a call answered: the status and the JSON body, success or error alike. */
export interface CallResult<T = Record<string, unknown>> {
  status: number;
  body: T & ApiErrorBody;
}

/** Invokes a function through supabase-js and returns its status and body, whatever the outcome. */
export async function call<T = Record<string, unknown>>(
  client: SupabaseClient,
  name: string,
  options: {
    method?: "GET" | "POST" | "PATCH" | "DELETE";
    body?: unknown;
    query?: Record<string, string>;
    headers?: Record<string, string>;
  } = {},
): Promise<CallResult<T>> {
  const query = options.query ? `?${new URLSearchParams(options.query)}` : "";
  const { data, error, response } = await client.functions.invoke(`${name}${query}`, {
    method: options.method ?? "POST",
    body: options.body as Record<string, unknown> | undefined,
    headers: options.headers,
  });
  if (error) {
    if (error instanceof FunctionsHttpError) {
      const res = error.context as Response;
      return { status: res.status, body: await res.json() as T & ApiErrorBody };
    }
    throw error;
  }
  return { status: response?.status ?? 200, body: data as T & ApiErrorBody };
}
