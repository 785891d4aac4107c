/**
 * XLSX text: every worksheet by name, its rows scanned as the part is inflated (no tree is built), shared strings
 * scanned lazily as far as the rows need them, numbers, booleans, dates and formulas' cached values as text. Every
 * step builds at most the text the sink still takes, whatever the cells or strings declare.
 */
import { corrupt } from "./errors.ts";
import { type Relationship, relationshipOfType, relationshipsOf } from "./ooxml.ts";
import type { TextSink } from "./text.ts";
import {
  attribute,
  attributeIn,
  child,
  childrenNamed,
  decodeEntities,
  readXmlTree,
  rootOf,
  type ScannedTag,
  streamXmlText,
  TagScanner,
  type XmlNode,
} from "./xml.ts";
import type { GuardedZip } from "./zip.ts";

// Gaps wider than this between two cells of a row collapse to one empty cell.
const MAX_GAP = 20;
/** Excel holds at most this many characters in a cell; a longer value in the file is cut to it. */
export const MAX_CELL_CHARS = 32_767;
/** Shared strings kept in memory at most (UTF-16 code units, all strings together); past it, strings are empty. */
export const MAX_SHARED_STRING_CHARS = 16 * 1024 * 1024;
const PLAIN_DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

/** Extracts "# Sheet: name" blocks, one tab-separated line per row; returns the number of worksheets. */
export async function extractXlsx(zip: GuardedZip, mainPart: string, sink: TextSink): Promise<{ sheets: number }> {
  const workbook = rootOf(readXmlTree(zip, mainPart), "workbook");
  const relationships = relationshipsOf(zip, mainPart);
  const properties = child(workbook, "workbookPr");
  const date1904 = ["1", "true"].includes(properties ? attribute(properties, "date1904") ?? "" : "");
  const dateStyles = readDateStyles(zip, relationshipOfType(relationships, "styles"));
  const strings = new SharedStrings(zip, relationshipOfType(relationships, "sharedStrings"), sink);

  const sheetList = child(workbook, "sheets");
  const sheets = (sheetList ? childrenNamed(sheetList, "sheet") : []).flatMap((sheet) => {
    const relationship = relationships.find((r) => r.id === attribute(sheet, "r:id") && !r.external);
    // Chart sheets and dialog sheets hold no cells.
    if (!relationship || !relationship.type.endsWith("/worksheet")) return [];
    return [{ name: attribute(sheet, "name") ?? "", part: relationship.target }];
  });
  const context = { strings, dateStyles, date1904 };
  try {
    for (const sheet of sheets) {
      if (sink.stopped) break;
      if (!zip.has(sheet.part)) throw corrupt("a sheet listed in the workbook is missing");
      sink.add(`# Sheet: ${sheet.name}`);
      const rows = new RowScanner(sink);
      const chunks = streamXmlText(zip, sheet.part);
      try {
        for await (const chunk of chunks) {
          rows.scanner.feed(chunk);
          await addRows(rows.take(), context, sink);
          if (sink.stopped) break;
        }
      } finally {
        await chunks.return(undefined);
      }
    }
  } finally {
    await strings.close();
  }
  return { sheets: sheets.length };
}

/** A cell as written: its reference, type, style and value (or inline string), each cut at `MAX_CELL_CHARS`. */
interface RawCell {
  column?: number;
  type: string;
  style: number;
  value: string;
  inline: string;
}

/** Turns worksheet XML into rows of raw cells, holding only the rows not yet taken. */
class RowScanner {
  readonly scanner: TagScanner;
  #rows: RawCell[][] = [];
  #row: RawCell[] | undefined;
  #rowChars = 0;
  #cell: RawCell | undefined;
  #field: "value" | "inline" | undefined;
  #phonetic = 0;

  constructor(readonly sink: TextSink) {
    this.scanner = new TagScanner((tag) => this.#tag(tag), (raw) => this.#text(raw));
  }

  /** The rows completed so far. */
  take(): RawCell[][] {
    const rows = this.#rows;
    this.#rows = [];
    return rows;
  }

  #tag({ name, closing, selfClosing, attributes }: ScannedTag): void {
    if (closing) {
      if (name === "v" || name === "t") this.#field = undefined;
      else if (name === "rPh") this.#phonetic--;
      else if (name === "c") this.#endCell();
      else if (name === "row") this.#endRow();
    } else if (name === "row") {
      this.#row = [];
      this.#rowChars = 0;
      if (selfClosing) this.#endRow();
    } else if (name === "c") {
      this.#cell = {
        column: columnIndex(attributeIn(attributes, "r")),
        type: attributeIn(attributes, "t") ?? "n",
        style: Number(attributeIn(attributes, "s") ?? 0),
        value: "",
        inline: "",
      };
      if (selfClosing) this.#endCell();
    } else if (!selfClosing && this.#cell) {
      if (name === "v") this.#field = "value";
      else if (name === "t" && this.#phonetic === 0) this.#field = "inline";
      else if (name === "rPh") this.#phonetic++;
    }
    this.scanner.wantText = this.#field !== undefined;
  }

  #text(raw: string): void {
    const cell = this.#cell;
    if (!cell || !this.#field) return;
    if (cell[this.#field].length < MAX_CELL_CHARS) cell[this.#field] += raw;
  }

  #endCell(): void {
    const cell = this.#cell;
    this.#cell = undefined;
    this.#field = undefined;
    if (!cell || !this.#row) return;
    // A row longer than the text still wanted is not kept whole: its first cells say enough.
    this.#rowChars += cell.value.length + cell.inline.length + 1;
    if (this.#rowChars > this.sink.maxChars - this.sink.length + MAX_CELL_CHARS) return;
    this.#row.push(cell);
  }

  #endRow(): void {
    if (this.#row && this.#row.length) this.#rows.push(this.#row);
    this.#row = undefined;
  }
}

interface CellContext {
  strings: SharedStrings;
  dateStyles: Set<number>;
  date1904: boolean;
}

/** Adds rows to the sink as tab-separated lines, never building more text than the sink still takes. */
async function addRows(rows: RawCell[][], context: CellContext, sink: TextSink): Promise<void> {
  let block = "";
  for (const row of rows) {
    const room = sink.maxChars - sink.length - block.length;
    const line = await rowText(row, context, room + 1);
    if (line.trim()) block += block ? `\n${line}` : line;
    if (block.length > sink.maxChars - sink.length || sink.stopped) break;
  }
  sink.add(block, "\n");
}

async function rowText(row: RawCell[], context: CellContext, room: number): Promise<string> {
  const cells: string[] = [];
  let length = 0;
  for (const cell of row) {
    if (cell.column !== undefined && cell.column > cells.length) {
      const gap = cell.column - cells.length;
      for (let i = 0; i < (gap > MAX_GAP ? 1 : gap); i++) cells.push("");
    }
    const text = (await cellText(cell, context)).replace(/[\t\n\r\v\f]+/g, " ");
    cells.push(text);
    length += text.length + 1;
    if (length > room) break;
  }
  return cells.join("\t").trimEnd();
}

async function cellText(cell: RawCell, context: CellContext): Promise<string> {
  const value = cell.value;
  switch (cell.type) {
    case "s": {
      const index = Number(value);
      return Number.isInteger(index) && index >= 0 ? (await context.strings.get(index)) ?? "" : "";
    }
    case "inlineStr":
      return decodeXString(decodeEntities(cell.inline));
    case "b":
      return value === "" ? "" : value === "1" || value === "true" ? "TRUE" : "FALSE";
    case "str":
    case "e":
    case "d":
      return decodeXString(decodeEntities(value));
    default: {
      if (value === "") return "";
      const date = context.dateStyles.has(cell.style);
      // Most stored numbers are already short decimals: keep them as written.
      if (!date && value.length <= 15 && PLAIN_DECIMAL.test(value)) return value;
      const number = Number(value);
      if (!Number.isFinite(number)) return decodeEntities(value);
      if (date) return formatDate(number, context.date1904) ?? formatNumber(number);
      return formatNumber(number);
    }
  }
}

/**
 * Shared strings, scanned only as far as the highest index asked for so far, each cut at `MAX_CELL_CHARS`, all
 * of them together at most `MAX_SHARED_STRING_CHARS` (past it, strings are empty and the text is marked cut).
 */
class SharedStrings {
  #strings: string[] = [];
  #chars = 0;
  #chunks: AsyncGenerator<string> | undefined;
  #scanner: TagScanner;
  #current: string | undefined;
  #inText = false;
  #phonetic = 0;

  constructor(zip: GuardedZip, relationship: Relationship | undefined, readonly sink: TextSink) {
    if (relationship && zip.has(relationship.target)) this.#chunks = streamXmlText(zip, relationship.target);
    this.#scanner = new TagScanner(({ name, closing, selfClosing }) => {
      if (name === "si") {
        if (closing) this.#push();
        else {
          this.#current = "";
          if (selfClosing) this.#push();
        }
      } else if (name === "rPh" && !selfClosing) this.#phonetic += closing ? -1 : 1;
      else if (name === "t" && !selfClosing) this.#inText = !closing && this.#phonetic === 0;
      this.#scanner.wantText = this.#inText && this.#current !== undefined;
    }, (raw) => {
      if (this.#current !== undefined && this.#current.length < MAX_CELL_CHARS) this.#current += raw;
    });
  }

  /** The string at `index` (an empty `<si/>` keeps its index), or undefined past the end. */
  async get(index: number): Promise<string | undefined> {
    while (index >= this.#strings.length && this.#chunks) {
      if (this.#chars > MAX_SHARED_STRING_CHARS) {
        this.sink.truncate("size_limit");
        await this.close();
        break;
      }
      const next = await this.#chunks.next();
      if (next.done) {
        this.#chunks = undefined;
        break;
      }
      this.#scanner.feed(next.value);
    }
    return this.#strings[index];
  }

  #push(): void {
    const text = decodeXString(decodeEntities((this.#current ?? "").slice(0, MAX_CELL_CHARS)));
    this.#current = undefined;
    this.#inText = false;
    this.#chars += text.length + 16;
    this.#strings.push(text);
  }

  /** Stops inflating the part. */
  async close(): Promise<void> {
    await this.#chunks?.return(undefined);
    this.#chunks = undefined;
  }
}

/** Zero-based column of a cell reference: `C7` → 2. */
function columnIndex(reference: string | undefined): number | undefined {
  if (reference === undefined) return undefined;
  const letters = /^[A-Za-z]{1,3}/.exec(reference)?.[0];
  if (!letters) return undefined;
  let index = 0;
  for (const letter of letters.toUpperCase()) index = index * 26 + letter.charCodeAt(0) - 64;
  return index - 1;
}

/** `_x000D_`-style escapes of OOXML strings (ST_Xstring). */
function decodeXString(text: string): string {
  if (!text.includes("_x")) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Numbers as Excel shows them at most: 15 significant digits (0.1 + 0.2 is 0.3). */
function formatNumber(number: number): string {
  return String(Number(number.toPrecision(15)));
}

/** A date serial as ISO text: a date, a date and time, or a time of day. */
function formatDate(serial: number, date1904: boolean): string | undefined {
  if (serial < 0 || serial > 2_958_465) return undefined;
  // The 1900 system counts a 29 February 1900 that never was: serials before it are one day early.
  const days = date1904 ? serial + 1462 : serial < 61 ? serial + 1 : serial;
  const date = new Date(Math.round((days - 25569) * 86_400_000));
  const iso = date.toISOString();
  const time = iso.slice(11, 19).replace(/:00$/, "");
  if (serial < 1) return time;
  return Number.isInteger(serial) ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${time}`;
}

// Built-in number formats that show dates or times.
const BUILTIN_DATE_FORMATS = new Set([
  14,
  15,
  16,
  17,
  18,
  19,
  20,
  21,
  22,
  27,
  28,
  29,
  30,
  31,
  32,
  33,
  34,
  35,
  36,
  45,
  46,
  47,
  50,
  51,
  52,
  53,
  54,
  55,
  56,
  57,
  58,
]);

/** Indices of the cell styles (`cellXfs`) whose number format shows a date or a time. */
function readDateStyles(zip: GuardedZip, relationship: Relationship | undefined): Set<number> {
  const styles = new Set<number>();
  if (!relationship || !zip.has(relationship.target)) return styles;
  const sheet = rootOf(readXmlTree(zip, relationship.target), "styleSheet");
  const custom = new Map<number, string>();
  const formats = child(sheet, "numFmts");
  for (const format of formats ? childrenNamed(formats, "numFmt") : []) {
    custom.set(Number(attribute(format, "numFmtId")), attribute(format, "formatCode") ?? "");
  }
  const xfs = child(sheet, "cellXfs");
  (xfs ? childrenNamed(xfs, "xf") : []).forEach((xf: XmlNode, index) => {
    const id = Number(attribute(xf, "numFmtId") ?? 0);
    const code = custom.get(id);
    if (code !== undefined ? isDateFormat(code) : BUILTIN_DATE_FORMATS.has(id)) styles.add(index);
  });
  return styles;
}

function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/[_*]./g, "")
    .replace(/\[(?![hms]+\])[^\]]*\]/gi, "");
  return /[ymdhs]/i.test(bare) && !/general/i.test(bare);
}
