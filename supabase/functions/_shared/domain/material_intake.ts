/**
 * Team materials coming in: an upload checked before a byte of it is stored (the type read from its bytes, a short
 * extraction proving it opens) and stored whole or not at all (object, row, reserved bytes, job), then the
 * process_material job that extracts its text and has it summarized. The extractor and pdf.js's data files are
 * needed here only; reading, retrying and deleting materials is `materials.ts`.
 */
import { countAiCallInJob } from "./ai_calls.ts";
import { AiError, generateStructured, modelFor } from "../ai/openai.ts";
import type { Caller } from "../http/auth.ts";
import { materialSettings } from "../core/config.ts";
import { asService, asUser } from "../db/connection.ts";
import { ApiError, ErrorCode } from "../core/errors.ts";
import { ExtractionError, extractText, MIME_TYPES, sniffFormat } from "../extract/mod.ts";
import { log } from "../core/log.ts";
import { claimsOf, confirmNamedOrganization } from "./organizations.ts";
import { summarizationPrompt } from "../ai/prompts.ts";
import { MaterialSummary, OrganizationRef } from "../contract/schemas.ts";
import { mapDatabaseErrors } from "../db/sql_errors.ts";
import { materialsBucket } from "../db/storage.ts";
import { findTeam } from "./teams.ts";
import { readAtMost, uuid } from "../http/validate.ts";
import { type JobContext, PermanentJobError } from "./worker.ts";
import { findMaterial, type MaterialJson, materialJson, type MaterialRow } from "./materials.ts";

/** Room for the multipart envelope around the file (boundaries, headers, the team_id field). */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
/** Characters of extracted text kept (the database column's cap). */
export const MAX_EXTRACTED_CHARS = 200_000;
/** Characters of extracted text sent to the AI for a summary. */
const SUMMARY_INPUT_CHARS = 60_000;

function maxFileBytes(): number {
  return materialSettings().MAX_FILE_SIZE_MB * 1024 * 1024;
}

function tooLarge(limit: number): ApiError {
  return new ApiError(ErrorCode.payloadTooLarge, `The file is larger than ${limit / 1024 / 1024} MB`, {
    field: "file",
    limit_bytes: limit,
  });
}

/** Reads the request body, refusing early on a declared size and never holding more than the limit. */
async function readBoundedBody(request: Request): Promise<Uint8Array<ArrayBuffer>> {
  const limit = maxFileBytes();
  if (!request.body) {
    throw new ApiError(ErrorCode.invalidInput, "Send the file as multipart/form-data", { field: "file" });
  }
  return await readAtMost(request, limit + MULTIPART_OVERHEAD_BYTES, () => tooLarge(limit));
}

/** What an upload form carries. */
export interface Upload {
  teamId: string;
  /** The original API's organization_id field: checked against the session's active organization. */
  organizationId?: string;
  filename: string;
  bytes: Uint8Array;
}

/** The fields of a multipart upload: team_id, file, and the optional organization_id. */
const UPLOAD_FIELDS = new Set(["team_id", "organization_id", "file"]);

function isMultipart(request: Request): boolean {
  return (request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data");
}

/** The team named in the query string (`?team_id=`), if any. */
function queryTeamId(url: URL): string | undefined {
  const values = url.searchParams.getAll("team_id");
  if (values.length === 0) return undefined;
  if (values.length > 1 || !uuid().safeParse(values[0]).success) {
    throw new ApiError(ErrorCode.invalidInput, "Invalid team_id: Must be a UUID, given once", { field: "team_id" });
  }
  return values[0];
}

/**
 * Everything about an upload that can be checked without its body, checked before a byte of it is read:
 * the type and declared size (headers), that the caller is a member of an organization synced here, and,
 * when the query string names the team, that the caller can see it.
 */
export async function admitUpload(caller: Caller, request: Request, url: URL): Promise<void> {
  if (!isMultipart(request)) {
    throw new ApiError(ErrorCode.invalidInput, "Send the file as multipart/form-data with fields team_id and file", {
      field: "file",
    });
  }
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxFileBytes() + MULTIPART_OVERHEAD_BYTES) throw tooLarge(maxFileBytes());
  const teamId = queryTeamId(url);
  await mapDatabaseErrors(() =>
    asUser(claimsOf(caller), async (tx) => {
      const [{ member }] = await tx<{ member: boolean }[]>`
        select exists (select 1 from public.member_organization_ids()) as member`;
      if (!member) {
        throw new ApiError(ErrorCode.forbidden, "You are not a member of any organization here yet", {
          reason: "not_a_member",
        });
      }
      if (teamId) await findTeam(tx, teamId);
    })
  );
}

/** The team_id field and the one file of a multipart upload (the team may be named in the query instead). */
export async function parseUpload(
  request: Request,
  url: URL,
): Promise<Upload> {
  if (!isMultipart(request)) {
    throw new ApiError(ErrorCode.invalidInput, "Send the file as multipart/form-data with fields team_id and file", {
      field: "file",
    });
  }
  const type = request.headers.get("content-type")!;
  const fromQuery = queryTeamId(url);
  const body = await readBoundedBody(request);
  let form: FormData;
  try {
    form = await new Response(body as Uint8Array<ArrayBuffer>, { headers: { "content-type": type } }).formData();
  } catch {
    throw new ApiError(ErrorCode.invalidInput, "The multipart body could not be read", { field: "body" });
  }
  for (const name of new Set(form.keys())) {
    if (!UPLOAD_FIELDS.has(name)) {
      throw new ApiError(ErrorCode.invalidInput, `Invalid ${name.replaceAll("\0", "")}: Unknown field`, {
        field: name.replaceAll("\0", ""),
      });
    }
    if (form.getAll(name).length > 1) {
      throw new ApiError(
        ErrorCode.invalidInput,
        name === "file" ? "Invalid file: Send one file per upload" : `Invalid ${name}: Given more than once`,
        { field: name, received: `${form.getAll(name).length} parts` },
      );
    }
  }
  const fromForm = form.get("team_id") ?? undefined;
  if (fromForm !== undefined && (typeof fromForm !== "string" || !uuid().safeParse(fromForm).success)) {
    throw new ApiError(ErrorCode.invalidInput, "Invalid team_id: Must be a UUID", { field: "team_id" });
  }
  if (fromQuery && fromForm && fromQuery !== fromForm) {
    throw new ApiError(ErrorCode.invalidInput, "Invalid team_id: The query and the form name different teams", {
      field: "team_id",
    });
  }
  const teamId = fromForm ?? fromQuery;
  if (!teamId) {
    throw new ApiError(ErrorCode.invalidInput, "Invalid team_id: Required: expected a UUID", { field: "team_id" });
  }
  const organizationField = form.get("organization_id");
  const organizationId = typeof organizationField === "string" ? OrganizationRef.safeParse(organizationField) : null;
  if (organizationField !== null && !organizationId?.success) {
    throw new ApiError(ErrorCode.invalidInput, "Invalid organization_id: Must be an organization id", {
      field: "organization_id",
    });
  }
  const file = form.get("file");
  if (!(file instanceof File)) {
    throw new ApiError(
      ErrorCode.invalidInput,
      file === null ? "Invalid file: Required: expected a file part" : "Invalid file: Expected a file, received text",
      { field: "file", expected: "file", received: file === null ? "nothing" : "string" },
    );
  }
  if (file.size > maxFileBytes()) throw tooLarge(maxFileBytes());
  const filename = withoutControlCharacters((file.name || "document").normalize("NFC")).slice(0, 255) || "document";
  return {
    teamId,
    organizationId: organizationId?.success ? organizationId.data : undefined,
    filename,
    bytes: new Uint8Array(await file.arrayBuffer()),
  };
}

/** Drops control characters (newlines, NUL, DEL) from a client-supplied file name. */
function withoutControlCharacters(name: string): string {
  return [...name].filter((char) => {
    const code = char.codePointAt(0)!;
    return code >= 0x20 && code !== 0x7f;
  }).join("");
}

/** Checks the bytes are a readable document of a supported type: 415 or 422 before anything is stored. */
async function checkDocument(bytes: Uint8Array, filename: string): Promise<"pdf" | "docx" | "pptx" | "xlsx"> {
  if (bytes.byteLength === 0) {
    throw new ApiError(ErrorCode.unprocessable, "The file is empty", { field: "file", reason: "corrupt" });
  }
  const sniffed = sniffFormat(bytes);
  if (sniffed === null) {
    throw new ApiError(ErrorCode.unsupportedMediaType, "Only PDF, DOCX, PPTX and XLSX files are supported", {
      field: "file",
      supported: ["pdf", "docx", "pptx", "xlsx"],
    });
  }
  try {
    // A short, capped pass proves the file opens (not encrypted, not corrupt) within the upload's CPU budget.
    const probe = await extractText(bytes, { filename, maxChars: 2_000, deadlineMs: 500 });
    return probe.format;
  } catch (error) {
    if (!(error instanceof ExtractionError)) throw error;
    if (error.code === "unsupported_type") {
      throw new ApiError(ErrorCode.unsupportedMediaType, error.message, { field: "file", reason: error.code });
    }
    throw new ApiError(ErrorCode.unprocessable, error.message, { field: "file", reason: error.code });
  }
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Undoes a half-done upload: the object (if stored) and the row with its reserved bytes. */
async function undoUpload(materialId: string, path: string, stored: boolean): Promise<void> {
  if (stored) {
    const { error } = await materialsBucket().remove([path]);
    if (error) {
      log("error", "could not remove the object of a failed upload", { material_id: materialId, error: error.message });
    }
  }
  await asService((tx) => tx`select public.delete_material(${materialId})`).catch((error) =>
    log("error", "could not delete the row of a failed upload", { material_id: materialId, error: String(error) })
  );
}

/**
 * The team (as the caller: another organization's team is a 404) and, unless the same file already has a
 * summary in the organization, that a summary unit is left this month: both before any parsing or storing.
 */
async function checkTeamAndAllowance(
  caller: Caller,
  upload: Upload,
  sha256: string,
): Promise<{ organizationId: string; userId: string | null }> {
  return await mapDatabaseErrors(() =>
    asUser(claimsOf(caller), async (tx) => {
      const team = await findTeam(tx, upload.teamId);
      await confirmNamedOrganization(tx, caller, {
        named: upload.organizationId,
        teamOrganizationId: team.organization_id,
      });
      const [row] = await tx<
        {
          user_id: string | null;
          reusable: boolean;
          plan: string;
          monthly_limit: number;
          used: number;
          reserved: number;
          remaining: number;
          resets_at: Date;
        }[]
      >`
        select public.current_app_user_id() as user_id,
               exists (select 1 from public.team_materials m
                       where m.organization_id = ${team.organization_id} and m.sha256 = ${sha256}
                         and m.status = 'ready' and m.summary is not null) as reusable,
               q.plan, q.monthly_limit, q.used, q.reserved, q.remaining, q.resets_at
        from public.quota_status(${team.organization_id}) q
        where q.feature = 'material_summary'`;
      if (row && !row.reusable && row.remaining <= 0) {
        throw new ApiError(
          ErrorCode.quotaExceeded,
          `The monthly limit of ${row.monthly_limit} material summaries is reached; it resets at ${
            new Date(row.resets_at).toISOString()
          }`,
          {
            feature: "material_summary",
            plan: row.plan,
            limit: row.monthly_limit,
            used: row.used,
            reserved: row.reserved,
            resets_at: new Date(row.resets_at).toISOString(),
          },
        );
      }
      return { organizationId: team.organization_id, userId: row?.user_id ?? null };
    })
  );
}

/**
 * Stores an upload: team and allowance first, then the document check, reserve bytes, store the object and
 * queue its summary (or reuse the summary of the same file); any failure undoes it all.
 */
export async function uploadMaterial(
  caller: Caller,
  upload: Upload,
): Promise<MaterialJson> {
  const sha256 = await sha256Hex(upload.bytes);
  const { organizationId, userId } = await checkTeamAndAllowance(caller, upload, sha256);
  const format = await checkDocument(upload.bytes, upload.filename);
  const [material] = await mapDatabaseErrors(() =>
    asService((tx) =>
      tx<MaterialRow[]>`
        select id, storage_path from public.reserve_material_upload(${organizationId}, ${upload.teamId},
          ${upload.filename}, ${MIME_TYPES[format]}, ${upload.bytes.byteLength}, ${userId})`
    )
  );
  let stored = false;
  try {
    const { error } = await materialsBucket().upload(material.storage_path, upload.bytes, {
      contentType: MIME_TYPES[format],
      upsert: false,
    });
    if (error) throw new Error(`Storage refused the object: ${error.message}`);
    stored = true;
    return await mapDatabaseErrors(() =>
      asService(async (tx) => {
        await tx`select public.finish_material_upload(${material.id}, ${sha256})`;
        return materialJson(await findMaterial(tx, material.id));
      })
    );
  } catch (error) {
    await undoUpload(material.id, material.storage_path, stored);
    throw error;
  }
}

/** The process_material job: download, extract (capped), summarize, then mark the material ready. */
export async function runMaterialJob({ job, signal, progress, cpuBudgetMs, cpuClock }: JobContext): Promise<void> {
  const materialId = job.payload.material_id;
  if (typeof materialId !== "string") throw new PermanentJobError("The job names no material");
  const [material] = await asService((tx) =>
    tx<{ storage_path: string; filename: string; organization_id: string; plan: "free" | "paid" }[]>`
      select m.storage_path, m.filename, m.organization_id, o.plan
      from public.team_materials m join public.organizations o on o.id = m.organization_id
      where m.id = ${materialId}`
  );
  if (!material) throw new PermanentJobError("The material was deleted");

  await progress("downloading", 10);
  const { data, error } = await materialsBucket().download(material.storage_path);
  if (error || !data) throw new Error(`Could not read the stored file: ${error?.message ?? "no data"}`);
  const bytes = new Uint8Array(await data.arrayBuffer());

  await progress("extracting text", 30);
  let extracted;
  try {
    // The deadline is the CPU the worker held back for this job: a longer read is cut and marked partial.
    extracted = await extractText(bytes, {
      filename: material.filename,
      maxChars: MAX_EXTRACTED_CHARS,
      deadlineMs: cpuBudgetMs,
      clock: cpuClock,
    });
  } catch (error) {
    if (error instanceof ExtractionError) throw new PermanentJobError(error.message);
    throw error;
  }
  if (extracted.text.trim().length === 0) {
    if (extracted.truncatedBy === "deadline") {
      // Nothing read before the deadline (a busy isolate, or a file of many empty pages): another attempt, in a
      // fresh isolate, may read it; after the last one the material fails with this reason.
      throw new Error("No text was read within the time a file may take to read; the file is tried again");
    }
    throw new PermanentJobError(
      "Cannot summarize: the document has no text to read (it may be scanned images); upload a version with text",
    );
  }

  await progress("summarizing", 60);
  const { model, maxTokens } = modelFor(material.plan, "summary");
  let summary: string;
  let keyPoints: string[];
  try {
    const answer = await generateStructured({
      schema: MaterialSummary,
      schemaName: "material_summary",
      messages: summarizationPrompt({
        filename: material.filename,
        text: extracted.text.slice(0, SUMMARY_INPUT_CHARS),
        truncated: extracted.truncated || extracted.text.length > SUMMARY_INPUT_CHARS,
      }),
      model,
      maxTokens,
      signal,
      beforeRequest: () => countAiCallInJob(material.organization_id),
    });
    summary = answer.value.summary;
    keyPoints = answer.value.key_points;
  } catch (error) {
    if (error instanceof AiError && !error.retryable) throw new PermanentJobError(`Cannot summarize: ${error.message}`);
    throw error;
  }
  if (signal.aborted) return;

  await progress("saving", 90);
  await asService(async (tx) => {
    const [{ completed }] = await tx<{ completed: boolean }[]>`
      select public.complete_material_job(${job.id}, ${job.attempts}, ${extracted.format},
        ${extracted.text.slice(0, MAX_EXTRACTED_CHARS)}, ${extracted.truncated}, ${summary.slice(0, 20_000)})
        as completed`;
    // In the same transaction, so a material is never ready without its key points.
    if (completed) {
      await tx`update public.team_materials set key_points = ${keyPoints}::text[] where id = ${materialId}`;
    }
  });
}
