/**
 * Stored files, through the Storage API with the project's secret key (a new `sb_secret_...` key or the
 * legacy service_role key): the service decides who may touch what.
 */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { materialSettings, platformSettings, secretApiKey } from "../core/config.ts";

let client: SupabaseClient | undefined;

/** The isolate's service client, created on first use. */
function serviceClient(): SupabaseClient {
  client ??= createClient(platformSettings().SUPABASE_URL, secretApiKey().key, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  return client;
}

/** The bucket that holds team materials. */
export function materialsBucket() {
  return serviceClient().storage.from(materialSettings().STORAGE_BUCKET_NAME);
}

/** Removes objects from the materials bucket (in batches: the API takes up to 1,000 names per call). */
export async function removeStoredObjects(paths: string[]): Promise<void> {
  for (let start = 0; start < paths.length; start += 1000) {
    const { error } = await materialsBucket().remove(paths.slice(start, start + 1000));
    if (error) throw new Error(`Cannot remove stored files: ${error.message}`);
  }
}
