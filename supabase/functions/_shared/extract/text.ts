/** Collects extracted text under the character cap and the deadline, and says why it stopped. */

/** The `team_materials` column caps extracted text at this many characters; extraction never returns more. */
export const MAX_CHARS = 200_000;

/** Hosted edge functions get 2 s of CPU; extraction stops at this wall-clock budget and returns what it has. */
export const DEFAULT_DEADLINE_MS = 1_500;

/**
 * Why the text is shorter than the document: the character cap, the time budget, a part of the file larger than
 * extraction holds in memory (the text read before it is kept), or a PDF whose fonts have no character map for
 * much of its text (those characters cannot be read and are left out), or PDF pages too damaged to read (the
 * other pages are read).
 */
export type TruncationReason = "max_chars" | "deadline" | "size_limit" | "unmapped_glyphs" | "damaged_pages";

// Controls other than tab and newline; NUL in particular cannot be stored in a Postgres text column.
// deno-lint-ignore no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F]/g;
const TRAILING_SPACES = /[ \t\u00A0]+$/gm;
const BLANK_LINES = /\n{3,}/g;
// deno-lint-ignore no-control-regex
const LINE_BREAKS = /\r\n?|\u000B|\u000C|\u2028|\u2029/g;

/** Makes one block of text storable and compact: no control characters, lone surrogates or runs of blank lines. */
export function cleanText(text: string): string {
  return text
    .replace(LINE_BREAKS, "\n")
    .replace(CONTROL_CHARS, "")
    .toWellFormed()
    .replace(TRAILING_SPACES, "")
    .replace(BLANK_LINES, "\n\n")
    // Leading tabs stay: they place a row's first cells in their columns.
    .replace(/^\s*\n/, "")
    .trimEnd();
}

/** The text extracted so far, capped at `maxChars`, with the deadline every extractor checks between units. */
export class TextSink {
  #parts: string[] = [];
  #length = 0;
  #truncatedBy: TruncationReason | undefined;

  #clockReadAfter = 0;

  /**
   * `deadlineAt` is a time on `clock` (default: the wall clock). A clock other than the wall clock (a CPU clock
   * reads /proc) is read at most every 10 ms of wall time, as extractors check `stopped` once per row or item.
   */
  constructor(
    readonly maxChars: number,
    readonly deadlineAt: number,
    readonly clock?: () => number,
  ) {}

  /** Characters collected so far (UTF-16 code units, never fewer than Postgres counts). */
  get length(): number {
    return this.#length;
  }

  /** Why extraction stopped early, if it did. */
  get truncatedBy(): TruncationReason | undefined {
    return this.#truncatedBy;
  }

  /** True once the cap was reached or the deadline passed: the extractor should stop reading. */
  get stopped(): boolean {
    if (this.#truncatedBy) return true;
    if (!this.clock) {
      if (performance.now() >= this.deadlineAt) this.#truncatedBy = "deadline";
    } else if (performance.now() >= this.#clockReadAfter) {
      this.#clockReadAfter = performance.now() + 10;
      if (this.clock() >= this.deadlineAt) this.#truncatedBy = "deadline";
    }
    return this.#truncatedBy !== undefined;
  }

  /** Marks the text as cut short for a reason found by the extractor itself (e.g. a document cut before parsing). */
  truncate(reason: TruncationReason): void {
    this.#truncatedBy ??= reason;
  }

  /** Appends one block (a page, a slide, a row), cleaned, after `separator`; cuts it at the cap. */
  add(block: string, separator = "\n\n"): void {
    if (this.#truncatedBy === "max_chars") return;
    const text = cleanText(block);
    if (text.trim() === "") return;
    const piece = this.#length === 0 ? text : separator + text;
    const room = this.maxChars - this.#length;
    if (piece.length <= room) {
      this.#parts.push(piece);
      this.#length += piece.length;
      return;
    }
    let end = room;
    // Never split a surrogate pair: half of one is not valid UTF-8.
    if (end > 0 && isHighSurrogate(piece.charCodeAt(end - 1))) end -= 1;
    const head = piece.slice(0, end).trimEnd();
    if (head !== "" && head.trim() !== "") {
      this.#parts.push(head);
      this.#length += head.length;
    }
    this.#truncatedBy = "max_chars";
  }

  /** The collected text. */
  toString(): string {
    return this.#parts.join("");
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
