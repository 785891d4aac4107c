/**
 * XLSX text with fast-xml-parser: every worksheet by name, rows streamed in pieces, shared strings read lazily as
 * far as the rows need them, numbers, booleans, dates and formulas' cached values as text.
 */
import { XMLParser } from "fast-xml-parser";
import { corrupt } from "./errors.ts";
import { openPackage, type Relationship, relationshipOfType, relationshipsOf } from "./ooxml.ts";
import type { TextSink } from "./text.ts";
import {
  attribute,
  child,
  childrenNamed,
  decodeEntities,
  readXmlTree,
  rootOf,
  streamXmlText,
  wholeElements,
  type XmlNode,
} from "./xml.ts";
import type { GuardedZip } from "./zip.ts";

type Plain = Record<string, unknown>;

// Pieces of sheet data and shared strings are parsed into plain objects; repeated elements always as arrays.
const pieceParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  isArray: (name) => name === "row" || name === "c" || name === "r" || name === "si",
  // No callback needs the element's path; building it for every tag costs more than the parse itself.
  jPath: false,
});

// Gaps wider than this between two cells of a row collapse to one empty cell.
const MAX_GAP = 20;
const ROW_PIECE_CHARS = 128 * 1024;
const STRING_PIECE_CHARS = 64 * 1024;
const PLAIN_DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

/** Extracts "# Sheet: name" blocks, one tab-separated line per row; returns the number of worksheets. */
export async function extractXlsx(zip: GuardedZip, sink: TextSink): Promise<{ sheets: number }> {
  const { mainPart } = openPackage(zip);
  const workbook = rootOf(readXmlTree(zip, mainPart), "workbook");
  const relationships = relationshipsOf(zip, mainPart);
  const properties = child(workbook, "workbookPr");
  const date1904 = ["1", "true"].includes(properties ? attribute(properties, "date1904") ?? "" : "");
  const dateStyles = readDateStyles(zip, relationshipOfType(relationships, "styles"));
  const strings = new SharedStrings(zip, relationshipOfType(relationships, "sharedStrings"));

  const sheetList = child(workbook, "sheets");
  const sheets = (sheetList ? childrenNamed(sheetList, "sheet") : []).flatMap((sheet) => {
    const relationship = relationships.find((r) => r.id === attribute(sheet, "r:id") && !r.external);
    // Chart sheets and dialog sheets hold no cells.
    if (!relationship || !relationship.type.endsWith("/worksheet")) return [];
    return [{ name: attribute(sheet, "name") ?? "", part: relationship.target }];
  });
  try {
    for (const sheet of sheets) {
      if (sink.stopped) break;
      if (!zip.has(sheet.part)) throw corrupt("a sheet listed in the workbook is missing");
      sink.add(`# Sheet: ${sheet.name}`);
      for await (const piece of wholeElements(streamXmlText(zip, sheet.part), "row", ROW_PIECE_CHARS)) {
        const lines: string[] = [];
        for (const row of asArray(parsePiece(piece).row)) {
          const line = await rowText(row as Plain, { strings, dateStyles, date1904 });
          if (line.trim()) lines.push(line);
        }
        sink.add(lines.join("\n"), "\n");
        if (sink.stopped) break;
      }
    }
  } finally {
    await strings.close();
  }
  return { sheets: sheets.length };
}

interface CellContext {
  strings: SharedStrings;
  dateStyles: Set<number>;
  date1904: boolean;
}

async function rowText(row: Plain, context: CellContext): Promise<string> {
  const cells: string[] = [];
  for (const cell of asArray(row.c) as Plain[]) {
    const column = columnIndex(cell["@r"]);
    if (column !== undefined && column > cells.length) {
      const gap = column - cells.length;
      for (let i = 0; i < (gap > MAX_GAP ? 1 : gap); i++) cells.push("");
    }
    cells.push((await cellText(cell, context)).replace(/[\t\n\r\v\f]+/g, " "));
  }
  return cells.join("\t").trimEnd();
}

async function cellText(cell: Plain, context: CellContext): Promise<string> {
  const type = cell["@t"] ?? "n";
  const value = textValue(cell.v);
  switch (type) {
    case "s": {
      const index = Number(value);
      return Number.isInteger(index) && index >= 0 ? (await context.strings.get(index)) ?? "" : "";
    }
    case "inlineStr":
      return richText(cell.is);
    case "b":
      return value === "" ? "" : value === "1" || value === "true" ? "TRUE" : "FALSE";
    case "str":
    case "e":
    case "d":
      return decodeXString(decodeEntities(value));
    default: {
      if (value === "") return "";
      const style = Number(cell["@s"] ?? 0);
      const date = context.dateStyles.has(style);
      // Most stored numbers are already short decimals: keep them as written.
      if (!date && value.length <= 15 && PLAIN_DECIMAL.test(value)) return value;
      const number = Number(value);
      if (!Number.isFinite(number)) return value;
      if (date) return formatDate(number, context.date1904) ?? formatNumber(number);
      return formatNumber(number);
    }
  }
}

/** Shared strings, parsed piece by piece only as far as the highest index asked for so far. */
class SharedStrings {
  #strings: string[] = [];
  #pieces: AsyncGenerator<string> | undefined;

  constructor(zip: GuardedZip, relationship: Relationship | undefined) {
    if (relationship && zip.has(relationship.target)) {
      this.#pieces = wholeElements(streamXmlText(zip, relationship.target), "si", STRING_PIECE_CHARS);
    }
  }

  /** The string at `index` (an empty `<si/>` keeps its index), or undefined past the end. */
  async get(index: number): Promise<string | undefined> {
    while (index >= this.#strings.length && this.#pieces) {
      const next = await this.#pieces.next();
      if (next.done) {
        this.#pieces = undefined;
        break;
      }
      for (const item of asArray(parsePiece(next.value).si)) this.#strings.push(richText(item));
    }
    return this.#strings[index];
  }

  /** Stops inflating the part. */
  async close(): Promise<void> {
    await this.#pieces?.return(undefined);
  }
}

/** Text of a rich string (`<si>` or `<is>`): its `<t>`, or its runs' `<t>` joined; phonetic runs (`<rPh>`) skipped. */
function richText(node: unknown): string {
  if (typeof node === "string") return "";
  if (!node || typeof node !== "object") return "";
  const item = node as Plain;
  let text = textValue(item.t);
  for (const run of asArray(item.r)) text += textValue((run as Plain | undefined)?.t);
  return decodeXString(decodeEntities(text));
}

function textValue(node: unknown): string {
  if (typeof node === "string") return node;
  if (Array.isArray(node)) return node.map(textValue).join("");
  if (node && typeof node === "object") {
    const text = (node as Plain)["#text"];
    return typeof text === "string" ? text : "";
  }
  return "";
}

function parsePiece(piece: string): Plain {
  try {
    return ((pieceParser.parse(`<x>${piece}</x>`) as Plain).x ?? {}) as Plain;
  } catch (error) {
    throw corrupt("the workbook's XML is malformed", error);
  }
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Zero-based column of a cell reference: `C7` → 2. */
function columnIndex(reference: unknown): number | undefined {
  if (typeof reference !== "string") return undefined;
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
