/** Stored files, through the Storage API with the service role (the service decides who may touch what). */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { z } from "zod";
import { defineSettings, materialSettings } from "../core/config.ts";

/** What the storage client needs. */
export const storageSettings = defineSettings({
  SUPABASE_URL: z.url(),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1),
});

let client: SupabaseClient | undefined;

/** The isolate's service-role client, created on first use. */
function serviceClient(): SupabaseClient {
  const settings = storageSettings();
  client ??= createClient(settings.SUPABASE_URL, settings.SUPABASE_SERVICE_ROLE_KEY, {
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
