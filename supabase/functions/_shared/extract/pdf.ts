/**
 * PDF text with unpdf (pdf.js), page by page, stopping at the character cap or the deadline. Text items are joined
 * by their positions (a new line where the baseline moves, a space where a gap separates two items), and the
 * values of filled-in form fields and the text of comments on a page follow its text.
 */
import { getDocumentProxy } from "unpdf";
import { corrupt, encrypted, limitsExceeded } from "./errors.ts";
import type { TextSink } from "./text.ts";

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;
type PdfPage = Awaited<ReturnType<PdfDocument["getPage"]>>;

/**
 * The most objects one object stream may hold. pdf.js parses every object of an object stream as soon as one of
 * them is needed, in one call that cannot be interrupted (about 15 µs an object: 65,000 objects cost a second
 * before the first page); writers put 100 to 500 objects in a stream.
 */
export const MAX_OBJECTS_PER_STREAM = 10_000;
const OBJSTM = [..."/ObjStm"].map((c) => c.charCodeAt(0));

// deno-lint-ignore no-control-regex
const GLYPH_CODES = / ?[\u0000-\u0008\u000B\u000C\u000E-\u001F]+ ?/g;
// deno-lint-ignore no-control-regex
const GLYPH_CODE_RUNS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]{2,}/g;

/** What this reader uses of a pdf.js text item. */
interface TextItem {
  str: string;
  hasEOL: boolean;
  transform: number[];
  width: number;
  height: number;
}

/** Extracts the text of each page in order; returns the number of pages in the document. */
export async function extractPdf(bytes: Uint8Array, sink: TextSink): Promise<{ pages: number }> {
  checkObjectStreams(bytes);
  let pdf: PdfDocument;
  try {
    // pdf.js may take ownership of the buffer it is given: hand it a copy, the caller keeps the original.
    pdf = await getDocumentProxy(bytes.slice(), {
      disableFontFace: true,
      useSystemFonts: false,
      stopAtErrors: false,
      // Text extraction never needs an image's pixels.
      maxImageSize: 1,
      verbosity: 0,
    });
  } catch (error) {
    throw pdfError(error);
  }
  // Characters that pdf.js could not map to Unicode (a font without a character map gives its glyph codes, which
  // are control characters). A lone one between readable characters is nearly always a word space whose glyph has
  // no map, and becomes a space; runs of them are text lost, counted, and the text is marked partial when they are
  // many. Either way they become one space, never glued words.
  let unmapped = 0;
  let total = 0;
  try {
    let damaged = 0;
    for (let number = 1; number <= pdf.numPages; number++) {
      if (sink.stopped) break;
      let text: string;
      try {
        const page = await pdf.getPage(number);
        const content = await page.getTextContent();
        text = joinItems(content.items as TextItem[]);
        const annotations = await annotationText(page);
        if (annotations) text += `\n${annotations}`;
        page.cleanup();
      } catch (error) {
        // A damaged page costs its own text, not the document's: the others are read, the text marked partial.
        if (++damaged === pdf.numPages) throw error;
        continue;
      }
      total += text.replace(/\s+/g, "").length;
      for (const run of text.match(GLYPH_CODE_RUNS) ?? []) unmapped += run.length;
      text = text.replace(GLYPH_CODES, " ");
      sink.add(text);
    }
    if (damaged > 0) sink.truncate("damaged_pages");
    if (unmapped >= 50 && unmapped >= total * 0.2) sink.truncate("unmapped_glyphs");
    return { pages: pdf.numPages };
  } catch (error) {
    throw pdfError(error);
  } finally {
    await pdf.loadingTask.destroy().catch(() => {});
  }
}

/**
 * Refuses, before pdf.js is called, a PDF with an object stream declaring more than `MAX_OBJECTS_PER_STREAM`
 * objects (`/N`): pdf.js would parse them all in one uninterruptible call. Reads the raw bytes only: an object
 * stream's dictionary is never compressed or encrypted.
 */
export function checkObjectStreams(bytes: Uint8Array): void {
  // Found by its "S" (a byte rarer than "/" or "j"), the document's bytes never decoded whole.
  const latin1 = new TextDecoder("latin1");
  for (let at = bytes.indexOf(0x53, 4); at !== -1; at = bytes.indexOf(0x53, at + 1)) {
    if (!OBJSTM.every((byte, i) => bytes[at - 4 + i] === byte)) continue;
    // The dictionary around the type: from the object's header to its stream keyword.
    const window = latin1.decode(bytes.subarray(Math.max(at - 1024, 0), at + 1024));
    const here = Math.min(at, 1024);
    const start = Math.max(window.lastIndexOf("obj", here), 0);
    const stream = window.indexOf("stream", here);
    // A count given by reference (`/N 12 0 R`) is not read: its object number says nothing.
    const count = /\/N\s+(\d{1,12})\b(?!\s+\d+\s+R)/.exec(window.slice(start, stream === -1 ? undefined : stream));
    if (count && Number(count[1]) > MAX_OBJECTS_PER_STREAM) {
      throw limitsExceeded(
        `the PDF packs ${count[1]} objects into one object stream (at most ${MAX_OBJECTS_PER_STREAM} are read)`,
      );
    }
  }
}

/**
 * Joins a page's text items in content order: a line break after an item that ends a line or where the next item
 * sits on another baseline (half the text's height or more away), a space where a gap wider than a fifth of the
 * text's height separates two items on one line, on either side (and neither side already has one).
 */
export function joinItems(items: TextItem[]): string {
  let text = "";
  let previous: TextItem | undefined;
  for (const item of items) {
    if (typeof item.str !== "string") continue;
    if (previous && !previous.hasEOL && item.str !== "" && text !== "" && !/\s$/.test(text)) {
      // Positions measured along the previous item's writing direction (rotated text runs up or down the page).
      const [a, b, , , x, y] = previous.transform;
      const length = Math.hypot(a, b);
      const [dx, dy] = length > 0 ? [a / length, b / length] : [1, 0];
      const along = (item.transform[4] - x) * dx + (item.transform[5] - y) * dy;
      const across = (item.transform[5] - y) * dx - (item.transform[4] - x) * dy;
      const height = Math.max(Math.abs(item.height), Math.abs(previous.height), 1);
      if (Math.abs(across) >= height * 0.5) text += "\n";
      // A gap on either side (runs may come right to left, or out of order) is a space; items that touch or overlap
      // (tracking, kerning, overprinting) join without one.
      else if (!/^\s/.test(item.str) && Math.max(along - previous.width, -along - item.width) > height * 0.2) {
        text += " ";
      }
    }
    text += item.hasEOL ? `${item.str}\n` : item.str;
    if (item.str !== "" || item.hasEOL) previous = item;
  }
  return text;
}

/** The values of a page's filled-in form fields and the text of its comments (free text and pop-up notes). */
async function annotationText(page: PdfPage): Promise<string> {
  let annotations: Record<string, unknown>[];
  try {
    annotations = await page.getAnnotations({ intent: "display" });
  } catch {
    return ""; // damaged annotations take nothing from the page's text
  }
  const lines: string[] = [];
  for (const annotation of annotations) {
    const value = annotation.fieldValue;
    // Text and choice fields; a checkbox's or a button's value is a state name, not text.
    if (annotation.subtype === "Widget" && !annotation.hidden && ["Tx", "Ch"].includes(String(annotation.fieldType))) {
      const values = Array.isArray(value) ? value : [value];
      for (const v of values) {
        if (typeof v === "string" && v.trim()) lines.push(v.trim());
      }
    } else if (annotation.subtype === "FreeText" || annotation.subtype === "Text") {
      const contents = (annotation.contentsObj as { str?: unknown } | undefined)?.str;
      if (typeof contents === "string" && contents.trim()) lines.push(contents.trim());
    }
  }
  return lines.join("\n");
}

function pdfError(error: unknown) {
  const name = (error as { name?: string } | null)?.name;
  if (name === "PasswordException") return encrypted("the PDF is password-protected");
  return corrupt("the PDF is damaged or incomplete", error);
}
