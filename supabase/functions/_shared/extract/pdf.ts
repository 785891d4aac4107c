/**
 * PDF text with unpdf (pdf.js), page by page, stopping at the character cap or the deadline. Text items are joined
 * by their positions (`joinItems`), and the values of filled-in form fields and the text of comments follow the
 * pages' text. CJK fonts that name a predefined character map are read with pdf.js's CMaps, shipped beside this
 * module (`pdfjs/`).
 */
import { getResolvedPDFJS } from "unpdf";
import { corrupt, encrypted, limitsExceeded } from "./errors.ts";
import type { TextSink } from "./text.ts";

type PdfJs = Awaited<ReturnType<typeof getResolvedPDFJS>>;
type PdfDocument = Awaited<ReturnType<PdfJs["getDocument"]>["promise"]>;

/**
 * The most objects one object stream may hold. pdf.js parses every object of an object stream as soon as one of
 * them is needed, in one call that cannot be interrupted (about 15 µs an object: 65,000 objects cost a second
 * before the first page); writers put 100 to 500 objects in a stream.
 */
export const MAX_OBJECTS_PER_STREAM = 10_000;

/**
 * pdf.js's data files that text depends on, shipped beside this module (config.toml lists them as the extracting
 * functions' `static_files`; the hosted bundle has no node_modules to find them in): the character maps of CJK
 * encodings (`cmaps/`, without which text in a font using a predefined CMap such as UniJIS-UCS2-H is lost) and the
 * Symbol and ZapfDingbats font programs, whose built-in encodings map those fonts' glyphs. The other standard fonts
 * are not needed for text: their encodings are known without their programs (`useSystemFonts`).
 */
const PDF_DATA = new URL("./pdfjs/", import.meta.url);
const PDF_DATA_FOLDERS = new Map([["cMapUrl", "cmaps"], ["standardFontDataUrl", "standard_fonts"]]);
const pdfData = new Map<string, Promise<Uint8Array>>();

/** pdf.js's `BinaryDataFactory`: reads the shipped files, each once per isolate. */
class BundledPdfData {
  constructor(_urls: unknown) {}

  fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    const folder = PDF_DATA_FOLDERS.get(kind);
    if (!folder || !/^[\w.+-]+$/.test(filename)) return Promise.reject(new Error(`no ${kind} data: ${filename}`));
    const path = `${folder}/${filename}`;
    let data = pdfData.get(path);
    if (!data) {
      data = Deno.readFile(new URL(path, PDF_DATA));
      pdfData.set(path, data);
      data.catch(() => pdfData.delete(path));
    }
    // A copy each time: pdf.js may take ownership of the buffer it is handed.
    return data.then((bytes) => bytes.slice());
  }
}

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
    const { getDocument } = await getResolvedPDFJS();
    pdf = await getDocument({
      data: bytes.slice(),
      disableFontFace: true,
      useSystemFonts: true,
      BinaryDataFactory: BundledPdfData,
      stopAtErrors: false,
      // Text extraction never needs an image's pixels.
      maxImageSize: 1,
      verbosity: 0,
    }).promise;
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
    // Form fields and comments, in one call once every page is read: pdf.js's per-page `getAnnotations` extracts a
    // page's text a second time wherever a link or a highlight lies on it (to give the text under it).
    if (!sink.stopped) {
      const annotations = await annotationText(pdf);
      if (annotations) sink.add(annotations);
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
 * Joins a page's text items in content order:
 * - a line break after an item that ends a line, or where the next item sits on another baseline: half the text's
 *   height or more away, or wholly above or below the previous item (a small caption under a large heading);
 * - a space where a gap wider than a fifth of the text's height separates two items on one line, on either side
 *   (and neither side already has one), and where the baseline steps up or down with a change of size
 *   (a subscript, a superscript, a smaller run set beside a larger one): those are separate words to a reader;
 * - nothing where the same text is drawn again on itself (overprinting, a stamp repeated at one place).
 */
export function joinItems(items: TextItem[]): string {
  let text = "";
  let previous: TextItem | undefined;
  for (const item of items) {
    if (typeof item.str !== "string") continue;
    if (previous && !previous.hasEOL && item.str !== "" && text !== "") {
      // Positions measured along the previous item's writing direction (rotated text runs up or down the page).
      const [a, b, , , x, y] = previous.transform;
      const length = Math.hypot(a, b);
      const [dx, dy] = length > 0 ? [a / length, b / length] : [1, 0];
      const along = (item.transform[4] - x) * dx + (item.transform[5] - y) * dy;
      const across = (item.transform[5] - y) * dx - (item.transform[4] - x) * dy;
      const previousHeight = Math.max(Math.abs(previous.height), 1);
      const itemHeight = Math.max(Math.abs(item.height), 1);
      const height = Math.max(itemHeight, previousHeight);
      const close = height * 0.2;
      if (item.str === previous.str && Math.abs(along) <= close && Math.abs(across) <= close) continue;
      if (!/\s$/.test(text)) {
        // How far the two items' bands (baseline to baseline plus height) overlap across the line.
        const overlap = Math.min(previousHeight, across + itemHeight) - Math.max(0, across);
        if (Math.abs(across) >= height * 0.5 || overlap <= 0) text += "\n";
        else if (/^\s/.test(item.str)) {
          // the item brings its own space
        } else if (
          // A gap on either side (runs may come right to left, or out of order) is a space; items that touch or
          // overlap (tracking, kerning) join without one.
          Math.max(along - previous.width, -along - item.width) > close ||
          (Math.abs(across) >= height * 0.15 && Math.min(itemHeight, previousHeight) < height * 0.85)
        ) {
          text += " ";
        }
      }
    }
    text += item.hasEOL ? `${item.str}\n` : item.str;
    if (item.str !== "" || item.hasEOL) previous = item;
  }
  return text;
}

/** pdf.js's annotation types that carry text a reader typed: a comment (sticky note), free text, a form field. */
const TEXT_ANNOTATIONS = new Set([1, 3, 20]);

/**
 * The values of the document's filled-in form fields and the text of its comments (free text and pop-up notes), in
 * page order. Asked by type, so pdf.js builds only those annotations and reads no page's text again.
 */
async function annotationText(pdf: PdfDocument): Promise<string> {
  let annotations: Record<string, unknown>[] | null;
  try {
    annotations = await pdf.getAnnotationsByType(TEXT_ANNOTATIONS, new Set()) as Record<string, unknown>[] | null;
  } catch {
    return ""; // damaged annotations take nothing from the pages' text
  }
  const lines: string[] = [];
  const byPage = (annotations ?? []).map((annotation, at) => ({ annotation, at }))
    .sort((a, b) => Number(a.annotation.pageIndex) - Number(b.annotation.pageIndex) || a.at - b.at);
  for (const { annotation } of byPage) {
    // Hidden (flag 2) or never shown on screen (NoView, 32): left out, as pdf.js's display leaves them out.
    if (annotation.hidden || (Number(annotation.annotationFlags) & (2 | 32)) !== 0) continue;
    const value = annotation.fieldValue;
    // Text and choice fields; a checkbox's or a button's value is a state name, not text.
    if (annotation.subtype === "Widget" && ["Tx", "Ch"].includes(String(annotation.fieldType))) {
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
