/**
 * Text extraction from uploaded materials (PDF, DOCX, PPTX, XLSX): the format from the bytes, the text capped at
 * the column's size and at a time budget that fits the edge CPU limit, hostile files refused with a reason a
 * person can read.
 */
import { extractDocx } from "./docx.ts";
import { corrupt, ExtractionError, limitsExceeded, unsupportedType } from "./errors.ts";
import { rejectCompoundFile } from "./ole.ts";
import { openPackage } from "./ooxml.ts";
import { extractPdf } from "./pdf.ts";
import { extractPptx } from "./pptx.ts";
import { type Format, isZip, MIME_TYPES, sniffFormat } from "./sniff.ts";
import { DEFAULT_DEADLINE_MS, MAX_CHARS, TextSink, type TruncationReason } from "./text.ts";
import { extractXlsx } from "./xlsx.ts";
import { GuardedZip } from "./zip.ts";

export { ExtractionError, MIME_TYPES, sniffFormat };
export type { ExtractionErrorCodeValue as ExtractionErrorCode } from "./errors.ts";
export type { Format, TruncationReason };

/** Options of `extractText`; `filename` is informational only, the format always comes from the bytes. */
export interface ExtractOptions {
  filename?: string;
  /** At most 200,000 (the column's cap), which is also the default. */
  maxChars?: number;
  /** Budget in milliseconds, default 1,500; extraction stops between pages, slides, sheets or rows. */
  deadlineMs?: number;
  /**
   * The clock `deadlineMs` is measured on, in milliseconds; default the wall clock. The jobs worker passes its
   * isolate's CPU clock, so that waiting (on the network, on other jobs) does not eat a file's budget.
   */
  clock?: () => number;
}

/** What `extractText` resolves to. */
export interface ExtractionResult {
  format: Format;
  text: string;
  /** True when the document has more text than was returned. */
  truncated: boolean;
  /** Why the text was cut, when it was. */
  truncatedBy?: TruncationReason;
  /** `text.length`. */
  chars: number;
  /** Pages of a PDF, slides of a PPTX, worksheets of an XLSX (all of them, read or not). */
  pages?: number;
  slides?: number;
  sheets?: number;
  elapsedMs: number;
}

/**
 * Extracts the text of a PDF, DOCX, PPTX or XLSX file. Rejects with an `ExtractionError` whose `code` is
 * `unsupported_type`, `encrypted`, `corrupt` (an empty file is `corrupt`) or `limits_exceeded`, and with nothing
 * else (the options' own `RangeError`s aside).
 */
export async function extractText(bytes: Uint8Array, options: ExtractOptions = {}): Promise<ExtractionResult> {
  const started = performance.now();
  const maxChars = Math.min(options.maxChars ?? MAX_CHARS, MAX_CHARS);
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  if (!Number.isInteger(maxChars) || maxChars < 0) throw new RangeError("maxChars must be a non-negative integer");
  if (!(deadlineMs > 0)) throw new RangeError("deadlineMs must be positive");
  const sink = new TextSink(maxChars, (options.clock?.() ?? started) + deadlineMs, options.clock);

  if (bytes.length === 0) throw corrupt("the file is empty");
  let extracted: Awaited<ReturnType<typeof extractInto>>;
  try {
    extracted = await extractInto(bytes, sink);
  } catch (error) {
    throw coded(error);
  }
  const { format, counts } = extracted;
  const text = sink.toString();
  return {
    format,
    text,
    truncated: sink.truncatedBy !== undefined,
    ...(sink.truncatedBy ? { truncatedBy: sink.truncatedBy } : {}),
    chars: text.length,
    ...counts,
    elapsedMs: Math.round(performance.now() - started),
  };
}

/**
 * Every failure leaves as an `ExtractionError`: a stack overflow is XML nested too deeply for the parsers, and
 * anything else a parser throws on bytes it cannot read is a damaged file.
 */
function coded(error: unknown): ExtractionError {
  if (error instanceof ExtractionError) return error;
  if (error instanceof RangeError) {
    return limitsExceeded("the file's structure is nested too deeply");
  }
  return corrupt("the file is damaged or in an unexpected form", error);
}

async function extractInto(
  bytes: Uint8Array,
  sink: TextSink,
): Promise<{ format: Format; counts: Partial<Record<"pages" | "slides" | "sheets", number>> }> {
  if (isZip(bytes)) {
    // The strict path: unlike sniffFormat, every failure here is reported with its own code.
    const zip = GuardedZip.open(bytes);
    const { format, mainPart } = openPackage(zip);
    if (format === "docx") {
      await extractDocx(zip, mainPart, sink);
      return { format, counts: {} };
    }
    if (format === "pptx") return { format, counts: extractPptx(zip, mainPart, sink) };
    return { format, counts: await extractXlsx(zip, mainPart, sink) };
  }
  const sniffed = sniffFormat(bytes);
  if (sniffed === "ole") rejectCompoundFile(bytes);
  if (sniffed === "pdf") return { format: "pdf", counts: await extractPdf(bytes, sink) };
  throw unsupportedType();
}
