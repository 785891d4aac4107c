/**
 * A streaming multipart/form-data reader. `Request.formData()` holds the whole body in memory; uploads can
 * be large, so parts are read one at a time and a part's content is handed over in chunks as it arrives.
 */
import { ERRORS } from "./errors.ts";

const CRLF = new Uint8Array([13, 10]);
const DOUBLE_DASH = new Uint8Array([45, 45]);
const MAX_HEADER_BYTES = 16 * 1024;

/** One part's headers: its field name, and for a file its file name and content type. */
export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
}

/** The boundary of a multipart/form-data content type, or null when there is none. */
export function multipartBoundary(contentType: string): string | null {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : null;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const last = haystack.length - needle.length;
  outer: for (let i = from; i <= last; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && indexOf(bytes, prefix) === 0;
}

function dispositionParam(disposition: string, key: string): string | undefined {
  const match = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, "i")
    .exec(disposition);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : match[2].trim();
}

function parseHeaders(block: string): MultipartPart {
  const headers = new Map<string, string>();
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
  }
  const disposition = headers.get("content-disposition") ?? "";
  return {
    name: dispositionParam(disposition, "name") ?? "",
    filename: dispositionParam(disposition, "filename"),
    contentType: headers.get("content-type"),
  };
}

/** Reads a multipart body part by part; a part's content must be read (or skipped) before the next part. */
export class MultipartReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  // The body starts with "--boundary" and not "\r\n--boundary"; a leading CRLF lets one delimiter serve both.
  #buffer: Uint8Array = CRLF;
  #delimiter: Uint8Array;
  #state: "preamble" | "headers" | "content" | "done" = "preamble";

  constructor(body: ReadableStream<Uint8Array>, boundary: string) {
    this.#reader = body.getReader();
    this.#delimiter = new TextEncoder().encode(`\r\n--${boundary}`);
  }

  async #fill(): Promise<boolean> {
    const { done, value } = await this.#reader.read();
    if (done) return false;
    this.#buffer = concat(this.#buffer, value);
    return true;
  }

  async #need(bytes: number): Promise<void> {
    while (this.#buffer.length < bytes) {
      if (!(await this.#fill())) throw ERRORS.noContentProvided();
    }
  }

  /** The next part's headers, or null once the closing delimiter is read. */
  async nextPart(): Promise<MultipartPart | null> {
    if (this.#state === "content" || this.#state === "preamble") {
      for await (const _ of this.content()) { /* skip what the caller did not read */ }
    }
    if (this.#state === "done") return null;
    await this.#need(2);
    if (startsWith(this.#buffer, DOUBLE_DASH)) {
      this.#state = "done";
      return null;
    }
    let end = indexOf(this.#buffer, CRLF);
    while (end < 0) {
      if (this.#buffer.length > MAX_HEADER_BYTES || !(await this.#fill())) {
        throw ERRORS.noContentProvided();
      }
      end = indexOf(this.#buffer, CRLF);
    }
    this.#buffer = this.#buffer.subarray(end + 2);
    const blankLine = concat(CRLF, CRLF);
    let headerEnd = startsWith(this.#buffer, CRLF) ? -2 : indexOf(this.#buffer, blankLine);
    while (headerEnd === -1) {
      if (this.#buffer.length > MAX_HEADER_BYTES || !(await this.#fill())) {
        throw ERRORS.noContentProvided();
      }
      headerEnd = startsWith(this.#buffer, CRLF) ? -2 : indexOf(this.#buffer, blankLine);
    }
    const block = headerEnd === -2 ? "" : new TextDecoder().decode(this.#buffer.subarray(0, headerEnd));
    this.#buffer = this.#buffer.subarray(headerEnd === -2 ? 2 : headerEnd + 4);
    this.#state = "content";
    return parseHeaders(block);
  }

  /** The current part's content in chunks, ending at the next delimiter. */
  async *content(): AsyncGenerator<Uint8Array> {
    if (this.#state === "done" || this.#state === "headers") return;
    const keep = this.#delimiter.length - 1;
    while (true) {
      const at = indexOf(this.#buffer, this.#delimiter);
      if (at >= 0) {
        const chunk = this.#buffer.subarray(0, at);
        this.#buffer = this.#buffer.subarray(at + this.#delimiter.length);
        this.#state = "headers";
        if (chunk.length > 0) yield chunk;
        return;
      }
      // Everything but a possible start of the delimiter can be handed over now.
      if (this.#buffer.length > keep) {
        const chunk = this.#buffer.subarray(0, this.#buffer.length - keep);
        this.#buffer = this.#buffer.slice(this.#buffer.length - keep);
        yield chunk;
      }
      if (!(await this.#fill())) throw ERRORS.noContentProvided();
    }
  }

  /** Stops reading the body (the rest is never buffered). */
  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}
