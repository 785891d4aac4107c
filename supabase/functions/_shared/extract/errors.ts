/** The one error extraction rejects with: a code the caller maps to a status, and a message a person can read. */

/** Why a file's text could not be extracted. */
export const ExtractionErrorCode = {
  /** Not a PDF, DOCX, PPTX or XLSX file, judged from its bytes (includes legacy .doc/.xls/.ppt). */
  unsupportedType: "unsupported_type",
  /** Password-protected: a PDF that needs a password to open, or an OOXML file inside an encrypted container. */
  encrypted: "encrypted",
  /** Recognised but damaged: empty, truncated, a broken zip or PDF, a missing main part. */
  corrupt: "corrupt",
  /** Refused as hostile or too large to unpack: a zip bomb, too many parts, XML declaring entities. */
  limitsExceeded: "limits_exceeded",
} as const;

/** One of the extraction error codes. */
export type ExtractionErrorCodeValue = (typeof ExtractionErrorCode)[keyof typeof ExtractionErrorCode];

/** A file whose text cannot be extracted; `message` is safe to show as the material's error. */
export class ExtractionError extends Error {
  override name = "ExtractionError";

  constructor(readonly code: ExtractionErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An `unsupported_type` error whose message says what is wrong with the file. */
export function unsupportedType(detail = "the file is not a PDF, DOCX, PPTX or XLSX document"): ExtractionError {
  return new ExtractionError(ExtractionErrorCode.unsupportedType, `Cannot extract text: ${detail}`);
}

/** An `encrypted` error. */
export function encrypted(detail = "the file is encrypted"): ExtractionError {
  return new ExtractionError(ExtractionErrorCode.encrypted, `Cannot extract text: ${detail}`);
}

/** A `corrupt` error; `cause` keeps the parser's own error for logs, never for the message. */
export function corrupt(detail = "the file is damaged", cause?: unknown): ExtractionError {
  return new ExtractionError(ExtractionErrorCode.corrupt, `Cannot extract text: ${detail}`, { cause });
}

/** A `limits_exceeded` error. */
export function limitsExceeded(detail: string): ExtractionError {
  return new ExtractionError(ExtractionErrorCode.limitsExceeded, `Cannot extract text: ${detail}`);
}
