/** Format detection from the bytes alone: magic numbers, and for zip files the OOXML content types. */
import { ExtractionErrorCode } from "./errors.ts";
import { OLE_MAGIC } from "./ole.ts";
import { type OoxmlFormat, openPackage } from "./ooxml.ts";
import { GuardedZip, readCentralDirectory } from "./zip.ts";

/** A format extraction reads. */
export type Format = "pdf" | OoxmlFormat;

/** The canonical MIME type of each format, to store with the file whatever the client claimed. */
export const MIME_TYPES: Record<Format, string> = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
// Readers accept a PDF header anywhere in the first kilobyte (some generators prepend junk).
const PDF_HEADER_WINDOW = 1024;
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // PK\3\4

// Where each format's main part lives in files written by Office, LibreOffice, Google and the common libraries;
// used only when the content types cannot be read, so that a damaged document is reported as damaged.
const MAIN_PART_NAMES: [string, OoxmlFormat][] = [
  ["word/document.xml", "docx"],
  ["ppt/presentation.xml", "pptx"],
  ["xl/workbook.xml", "xlsx"],
];

/**
 * Tells the format from the first bytes and, for zip files, the OOXML content types (inflating only
 * `[Content_Types].xml` and `_rels/.rels`, under the zip caps). `"ole"` is a compound file: encrypted OOXML or a
 * legacy Office file. `null` is anything else, including an empty file and a zip that is not DOCX, PPTX or XLSX.
 */
export function sniffFormat(bytes: Uint8Array): Format | "ole" | null {
  if (startsWith(bytes, OLE_MAGIC)) return "ole";
  if (!isZip(bytes)) return isPdf(bytes) ? "pdf" : null;
  try {
    return openPackage(GuardedZip.open(bytes)).format;
  } catch (error) {
    if ((error as { code?: string }).code === ExtractionErrorCode.unsupportedType) return null;
  }
  try {
    const names = new Set(readCentralDirectory(bytes).map((entry) => entry.name.toLowerCase()));
    const found = MAIN_PART_NAMES.filter(([name]) => names.has(name));
    return found.length === 1 ? found[0][1] : null;
  } catch {
    return null;
  }
}

/** Whether the bytes start like a PDF. */
export function isPdf(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, PDF_HEADER_WINDOW) - PDF_MAGIC.length;
  for (let at = 0; at <= end; at++) {
    if (bytes[at] === 0x25 && PDF_MAGIC.every((b, i) => bytes[at + i] === b)) return true;
  }
  return false;
}

/** Whether the bytes start like a zip archive. */
export function isZip(bytes: Uint8Array): boolean {
  return startsWith(bytes, ZIP_MAGIC);
}

function startsWith(bytes: Uint8Array, magic: ArrayLike<number>): boolean {
  if (bytes.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic[i]) return false;
  return true;
}
