/**
 * Team materials: uploaded documents kept in Storage, their text extracted and summarized by a job, and their
 * summaries used when the team asks for custom activities. This module reads, retries and deletes them; an upload
 * and the job that processes it are `material_intake.ts`, the only one that needs the text extractor.
 */
import type { z } from "zod";
import type { Caller } from "../http/auth.ts";
import { asService, asUser, type Transaction } from "../db/connection.ts";
import { ApiError, ErrorCode } from "../core/errors.ts";
import { log } from "../core/log.ts";
import { claimsOf } from "./organizations.ts";
import type { Material } from "../contract/schemas.ts";
import { mapDatabaseErrors } from "../db/sql_errors.ts";
import { materialsBucket } from "../db/storage.ts";
import { findTeam } from "./teams.ts";

export type MaterialJson = z.infer<typeof Material>;

export interface MaterialRow {
  id: string;
  team_id: string;
  organization_id: string;
  storage_path: string;
  filename: string;
  mime_type: string;
  size_bytes: string | number;
  sha256: string | null;
  format: MaterialJson["format"];
  status: MaterialJson["status"];
  summary: string | null;
  key_points: string[];
  extracted_chars: number | null;
  extracted_truncated: boolean;
  error: string | null;
  job_id: string | null;
  processing: {
    status: string;
    attempts: number;
    max_attempts: number;
    deferrals: number;
    run_after: string;
    last_error: string | null;
  } | null;
  created_at: Date;
  updated_at: Date;
}

const MATERIAL_COLUMNS = `id, team_id, organization_id, storage_path, filename, mime_type, size_bytes, sha256, format,
  status, summary, key_points, char_length(extracted_text) as extracted_chars, extracted_truncated, error, job_id,
  created_at, updated_at, (select jsonb_build_object('status', j.status, 'attempts', j.attempts,
    'max_attempts', j.max_attempts, 'deferrals', j.deferrals, 'run_after', j.run_after, 'last_error', j.last_error)
    from public.jobs j where j.id = team_materials.job_id) as processing`;

/** The API shape of a material row. */
export function materialJson(row: MaterialRow): MaterialJson {
  return {
    id: row.id,
    team_id: row.team_id,
    organization_id: row.organization_id,
    filename: row.filename,
    mime_type: row.mime_type,
    size_bytes: Number(row.size_bytes),
    sha256: row.sha256,
    format: row.format,
    status: row.status,
    summary: row.summary,
    key_points: row.key_points,
    extracted_chars: row.extracted_chars,
    extracted_truncated: row.extracted_truncated,
    error: row.error,
    job_id: row.job_id,
    processing: row.processing
      ? {
        status: row.processing.status,
        attempts: row.processing.attempts,
        max_attempts: row.processing.max_attempts,
        deferrals: row.processing.deferrals,
        retry_at: row.processing.status === "queued" ? new Date(row.processing.run_after).toISOString() : null,
        last_error: row.processing.last_error,
      }
      : null,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

/** A material as the transaction's role may see it (404 otherwise). */
export async function findMaterial(tx: Transaction, materialId: string): Promise<MaterialRow> {
  const [row] = await tx.unsafe<MaterialRow[]>(`select ${MATERIAL_COLUMNS} from public.team_materials where id = $1`, [
    materialId,
  ]);
  if (!row) throw new ApiError(ErrorCode.notFound, "No such material", { resource: "material" });
  return row;
}

/** A team's materials, newest first. */
export async function listMaterials(caller: Caller, teamId: string): Promise<MaterialJson[]> {
  return await mapDatabaseErrors(() =>
    asUser(claimsOf(caller), async (tx) => {
      await findTeam(tx, teamId);
      const rows = await tx.unsafe<MaterialRow[]>(
        `select ${MATERIAL_COLUMNS} from public.team_materials where team_id = $1 order by created_at desc, id`,
        [teamId],
      );
      return rows.map(materialJson);
    })
  );
}

/** Processes a failed material again: its job is queued afresh (409 unless the material failed). */
export async function retryMaterial(caller: Caller, materialId: string): Promise<MaterialJson> {
  await mapDatabaseErrors(() => asUser(claimsOf(caller), (tx) => findMaterial(tx, materialId)));
  return await mapDatabaseErrors(() =>
    asService(async (tx) => {
      await tx`select id from public.retry_material(${materialId})`;
      return materialJson(await findMaterial(tx, materialId));
    })
  );
}

/** Deletes a material: its row and reserved bytes, its pending job, then its stored object. */
export async function deleteMaterial(caller: Caller, materialId: string): Promise<void> {
  await mapDatabaseErrors(() => asUser(claimsOf(caller), (tx) => findMaterial(tx, materialId)));
  const [{ path }] = await asService((tx) =>
    tx<{ path: string | null }[]>`select public.delete_material(${materialId}) as path`
  );
  if (!path) throw new ApiError(ErrorCode.notFound, "No such material", { resource: "material" });
  const { error } = await materialsBucket().remove([path]);
  if (error) {
    log("error", "could not remove a deleted material's object", { material_id: materialId, error: error.message });
  }
}

/** A short-lived signed URL to download a material (members of its organization only). */
export async function materialDownloadUrl(
  caller: Caller,
  materialId: string,
): Promise<{ url: string; expires_in: number; filename: string }> {
  const row = await mapDatabaseErrors(() => asUser(claimsOf(caller), (tx) => findMaterial(tx, materialId)));
  const expiresIn = 60;
  const { data, error } = await materialsBucket().createSignedUrl(row.storage_path, expiresIn, {
    download: row.filename,
  });
  if (error || !data) throw new Error(`Could not sign a download URL: ${error?.message}`);
  return { url: data.signedUrl, expires_in: expiresIn, filename: row.filename };
}
