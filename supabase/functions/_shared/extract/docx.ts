/**
 * DOCX text read by our own streaming scanner: every Word part is inflated slice by slice under the zip caps and
 * scanned once, tag by tag, without building a tree, so time and memory grow with the text kept, not with the
 * document, and the scan stops as soon as the character cap or the deadline is reached.
 *
 * Read, in this order: the body (paragraphs, tables as tab-separated rows, text boxes once, fields' results,
 * embedded HTML or plain-text chunks (`altChunk`) where they sit), then SmartArt text, headers, footers, footnotes,
 * endnotes and comments (each distinct text once). Deleted revisions, field codes and the fallback of a markup
 * compatibility block whose choice had text (the same text box twice) are skipped.
 */
import { limitsExceeded } from "./errors.ts";
import { type Relationship, relationshipsOf } from "./ooxml.ts";
import type { TextSink } from "./text.ts";
import {
  attributeIn,
  decodeEntities,
  decodeXml,
  MAX_PARSED_PART_BYTES,
  MAX_TAG_CHARS,
  streamXmlText,
  tagEnd,
} from "./xml.ts";
import type { GuardedZip } from "./zip.ts";

/** Parts read after the body, by relationship type (the last URI segment), in this order. */
const SIDE_PARTS = ["diagramData", "header", "footer", "footnotes", "endnotes", "comments"];
/** Text is handed to the sink in blocks of about this many characters, at paragraph ends. */
const BLOCK_CHARS = 32 * 1024;
/** A single paragraph longer than this is handed over at a space. */
const HARD_BLOCK_CHARS = 1024 * 1024;

/** Extracts a Word document's text into the sink. */
export async function extractDocx(zip: GuardedZip, mainPart: string, sink: TextSink): Promise<void> {
  const relationships = relationshipsOf(zip, mainPart);
  await scanPart(zip, mainPart, sink, relationships);
  const seen = new Set<string>();
  for (const type of SIDE_PARTS) {
    for (const relationship of relationships) {
      if (sink.stopped) return;
      if (relationship.external || !relationship.type.endsWith(`/${type}`) || !zip.has(relationship.target)) continue;
      if (seen.has(relationship.target)) continue;
      seen.add(relationship.target);
      await scanPart(zip, relationship.target, sink, relationshipsOf(zip, relationship.target), seen);
    }
  }
}

/**
 * Scans one WordprocessingML part. `distinct`, when given, holds the texts already added from side parts: a
 * header repeated for first, even and odd pages is added once.
 */
async function scanPart(
  zip: GuardedZip,
  part: string,
  sink: TextSink,
  relationships: Relationship[],
  distinct?: Set<string>,
): Promise<void> {
  const scanner = new WordScanner(zip, relationships);
  const collected: string[] = [];
  let collectedChars = 0;
  const flush = (force: boolean) => {
    const block = scanner.take(force);
    if (block === undefined) return;
    if (!distinct) return sink.add(block, "\n\n");
    collected.push(block);
    collectedChars += block.length;
  };
  // A side part's text is held until it is whole (to compare it with the others): never more than the sink takes.
  const full = () => distinct !== undefined && collectedChars > sink.maxChars - sink.length;
  const chunks = streamXmlText(zip, part);
  try {
    for await (const chunk of chunks) {
      scanner.feed(chunk);
      flush(false);
      if (sink.stopped) return;
      if (full()) break;
    }
    scanner.end();
    flush(true);
  } finally {
    await chunks.return(undefined);
  }
  if (distinct) {
    const text = collected.join("\n\n").trim();
    if (text && !distinct.has(`text:${text}`)) {
      distinct.add(`text:${text}`);
      sink.add(text, "\n\n");
    }
  }
}

/** The tag scanner: fed decoded XML text in chunks of any size, it keeps the text and drops the markup. */
class WordScanner {
  #xml = "";
  #at = 0;
  #out = "";
  /** Characters handed over already: with `#out.length`, every character kept so far. */
  #taken = 0;
  /** Where the open table cell's text starts in `#out` (-1 when not in a cell or the cell was handed over). */
  #cells: number[] = [];
  #inText = false;
  #runDepth = 0;
  #skipDepth = 0;
  #skipName = "";
  /** For each open `mc:AlternateContent`: where its choice's text started, then whether the choice had text. */
  #alternates: { choiceStart: number; choiceHadText: boolean }[] = [];

  constructor(readonly zip: GuardedZip, readonly relationships: Relationship[]) {}

  /** Scans as far as the text allows; an incomplete tag waits for the next chunk. */
  feed(chunk: string): void {
    this.#xml = this.#at > 0 ? this.#xml.slice(this.#at) + chunk : this.#xml + chunk;
    this.#at = 0;
    const xml = this.#xml;
    for (;;) {
      const lt = xml.indexOf("<", this.#at);
      if (lt < 0) {
        // Text running past the chunk: keep all of it but a possibly split entity.
        if (this.#inText && this.#skipDepth === 0) {
          const amp = xml.lastIndexOf("&");
          const end = amp >= this.#at && xml.indexOf(";", amp) < 0 ? amp : xml.length;
          this.#text(xml.slice(this.#at, end));
          this.#at = end;
        } else this.#at = xml.length; // whitespace between tags, or text outside runs: not kept
        return;
      }
      if (lt > this.#at && this.#inText && this.#skipDepth === 0) this.#text(xml.slice(this.#at, lt));
      const next = xml.charCodeAt(lt + 1);
      if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
        const close = xml.startsWith("<!--", lt) ? "-->" : xml.startsWith("<![CDATA[", lt) ? "]]>" : ">";
        const end = xml.indexOf(close, lt + 2);
        if (end < 0) return this.#wait(lt);
        if (close === "]]>" && this.#inText && this.#skipDepth === 0) this.#out += xml.slice(lt + 9, end);
        this.#at = end + close.length;
        continue;
      }
      const gt = tagEnd(xml, lt);
      if (gt < 0) return this.#wait(lt);
      this.#at = gt + 1;
      this.#tag(xml, lt, gt);
    }
  }

  /** The end of the part: what is left is not a tag. */
  end(): void {
    this.#xml = "";
    this.#at = 0;
  }

  /** Text ready for the sink: a block at a paragraph end once large enough, or everything when `force`. */
  take(force: boolean): string | undefined {
    if (this.#out.length === 0) return undefined;
    if (force || (this.#out.length >= BLOCK_CHARS && this.#out.endsWith("\n\n") && this.#cells.length === 0)) {
      const block = this.#out;
      this.#out = "";
      this.#taken += block.length;
      return block;
    }
    if (this.#out.length >= HARD_BLOCK_CHARS) {
      const space = this.#out.lastIndexOf(" ");
      const cut = space > HARD_BLOCK_CHARS / 2 ? space + 1 : this.#out.length;
      const block = this.#out.slice(0, cut);
      this.#out = this.#out.slice(cut);
      this.#taken += block.length;
      this.#cells = this.#cells.map(() => -1);
      return block;
    }
    return undefined;
  }

  #wait(lt: number): void {
    this.#at = lt;
    if (this.#xml.length - lt > MAX_TAG_CHARS) throw limitsExceeded("a tag in the file's XML is longer than 1 MB");
  }

  #text(raw: string): void {
    this.#out += decodeEntities(raw);
  }

  #tag(xml: string, lt: number, gt: number): void {
    const closing = xml.charCodeAt(lt + 1) === 0x2f;
    const selfClosing = !closing && xml.charCodeAt(gt - 1) === 0x2f;
    const nameStart = closing ? lt + 2 : lt + 1;
    let nameEnd = nameStart;
    while (nameEnd < gt) {
      const c = xml.charCodeAt(nameEnd);
      if (c === 0x20 || c === 0x2f || c === 0x09 || c === 0x0a || c === 0x0d) break;
      nameEnd++;
    }
    const qualified = xml.slice(nameStart, nameEnd);
    const colon = qualified.indexOf(":");
    const name = colon < 0 ? qualified : qualified.slice(colon + 1);

    if (this.#skipDepth > 0) {
      // Inside a skipped element: only its own nesting matters.
      if (name === this.#skipName) {
        if (closing) this.#skipDepth--;
        else if (!selfClosing) this.#skipDepth++;
      }
      return;
    }
    if (closing) {
      switch (name) {
        case "t":
          this.#inText = false;
          break;
        case "r":
          if (this.#runDepth > 0) this.#runDepth--;
          break;
        case "p":
          this.#out += this.#cells.length > 0 ? "\n" : "\n\n";
          break;
        case "tc":
          this.#closeCell();
          break;
        case "tr":
          if (this.#cells.length > 0 || this.#out.endsWith("\t")) this.#out = this.#out.replace(/\t+$/, "") + "\n";
          break;
        case "tbl":
          this.#out += "\n";
          break;
        case "Choice": {
          const alternate = this.#alternates.at(-1);
          if (alternate) alternate.choiceHadText ||= this.#taken + this.#out.length > alternate.choiceStart;
          break;
        }
        case "AlternateContent":
          this.#alternates.pop();
          break;
      }
      return;
    }
    switch (name) {
      case "t":
        if (!selfClosing) this.#inText = true;
        break;
      case "r":
        if (!selfClosing) this.#runDepth++;
        break;
      case "tab":
        if (this.#runDepth > 0) this.#out += "\t";
        break;
      case "br":
      case "cr":
        if (this.#runDepth > 0) this.#out += "\n";
        break;
      case "noBreakHyphen":
        this.#out += "-";
        break;
      case "tc":
        if (!selfClosing) this.#cells.push(this.#out.length);
        break;
      case "docPr": {
        // A drawing's description (alt text), which screen readers read out.
        const description = attributeIn(xml.slice(nameEnd, gt), "descr")?.trim();
        if (description) this.#out += `[Image: ${description.replace(/\s+/g, " ")}]`;
        break;
      }
      case "altChunk":
        this.#out += `\n\n${this.#altChunk(xml.slice(nameEnd, gt))}\n\n`;
        if (!selfClosing) this.#skip(name);
        break;
      case "AlternateContent":
        if (!selfClosing) this.#alternates.push({ choiceStart: 0, choiceHadText: false });
        break;
      case "Choice": {
        const alternate = this.#alternates.at(-1);
        if (alternate && !selfClosing) alternate.choiceStart = this.#taken + this.#out.length;
        break;
      }
      // A fallback repeats its choice (a text box in VML after the same one in DrawingML).
      case "Fallback":
        if (!selfClosing && this.#alternates.at(-1)?.choiceHadText) this.#skip(name);
        break;
      // Field codes, deleted text and the properties of runs and paragraphs are not the document's text.
      case "instrText":
      case "delText":
      case "delInstrText":
      case "rPr":
      case "pPr":
        if (!selfClosing) this.#skip(name);
        break;
    }
  }

  #skip(name: string): void {
    this.#skipDepth = 1;
    this.#skipName = name;
  }

  #closeCell(): void {
    const start = this.#cells.pop();
    if (start === undefined) return;
    if (start >= 0) {
      const cell = this.#out.slice(start).trim().replace(/\s*\n\s*/g, " ").replace(/\t/g, " ");
      this.#out = this.#out.slice(0, start) + cell + "\t";
    } else this.#out += "\t";
  }

  /** The text of an embedded chunk (HTML, XHTML or plain text); other kinds (RTF, nested documents) give none. */
  #altChunk(attributes: string): string {
    const id = /\b(?:r:)?id\s*=\s*["']([^"']*)["']/.exec(attributes)?.[1];
    const relationship = this.relationships.find((r) => r.id === id && !r.external);
    if (!relationship) return "";
    const entry = this.zip.entry(relationship.target);
    if (!entry) return "";
    if (entry.uncompressedSize > MAX_PARSED_PART_BYTES) {
      throw limitsExceeded(`an embedded part is larger than ${MAX_PARSED_PART_BYTES / 1024 / 1024} MB`);
    }
    const target = relationship.target.toLowerCase();
    const bytes = this.zip.read(relationship.target);
    if (/\.(?:txt|text)$/.test(target)) return decodeXml(bytes);
    if (/\.(?:mht|mhtml)$/.test(target)) {
      const archive = quotedPrintable(decodeHtml(bytes));
      const start = archive.search(/<html[\s>]/i);
      const end = archive.search(/<\/html\s*>/i);
      return start < 0 ? "" : htmlText(archive.slice(start, end > start ? end : undefined));
    }
    if (/\.(?:html?|xhtml|xml)$/.test(target)) return htmlText(decodeHtml(bytes));
    return "";
  }
}

/** Decodes an HTML chunk: a byte order mark, else the charset its meta tag declares, else UTF-8. */
function decodeHtml(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return decodeXml(bytes);
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 2048));
  const charset = /charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1];
  try {
    return new TextDecoder(charset ?? "utf-8").decode(bytes);
  } catch {
    return new TextDecoder().decode(bytes);
  }
}

/** A MIME HTML archive's parts with their quoted-printable soft breaks and escapes undone (as Latin-1 bytes). */
function quotedPrintable(text: string): string {
  if (!/content-transfer-encoding:\s*quoted-printable/i.test(text)) return text;
  const bytes = text.replace(/=\r?\n/g, "").replace(
    /=([0-9A-F]{2})/g,
    (_, hex) => String.fromCharCode(parseInt(hex, 16)),
  );
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bytes, (c) => c.charCodeAt(0) & 0xff));
  } catch {
    return bytes;
  }
}

const HTML_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  bull: "•",
  middot: "·",
  copy: "©",
  reg: "®",
  trade: "™",
  euro: "€",
};

/**
 * HTML without comments, scripts, styles and the head, in one pass (a regular expression with a back reference
 * would rescan the rest of the document for every unclosed `<script`).
 */
function withoutHiddenParts(html: string): string {
  const lower = html.toLowerCase();
  let out = "";
  let at = 0;
  for (;;) {
    const open = lower.indexOf("<", at);
    if (open < 0) break;
    const hidden = lower.startsWith("<!--", open)
      ? "-->"
      : /^<(script|style|head|title)[\s>]/.exec(lower.slice(open, open + 8))
      ? `</${/^<(\w+)/.exec(lower.slice(open, open + 8))![1]}`
      : undefined;
    if (!hidden) {
      out += html.slice(at, open + 1);
      at = open + 1;
      continue;
    }
    out += html.slice(at, open) + " ";
    const close = lower.indexOf(hidden, open + 4);
    if (close < 0) return out;
    const end = lower.indexOf(">", close);
    if (end < 0) return out;
    at = end + 1;
  }
  return out + html.slice(at);
}

/** The visible text of an HTML document: no scripts, styles or comments; blocks on their own lines. */
export function htmlText(html: string): string {
  return withoutHiddenParts(html)
    .replace(/\s+/g, " ")
    .replace(/<(?:br|\/p|\/div|\/h[1-6]|\/li|\/tr|\/table|\/blockquote|\/pre)\b[^>]*>/gi, "\n")
    .replace(/<\/t[dh]\s*>/gi, "\t")
    .replace(/<[^>]*>/g, "")
    .replace(/&(?:#x([0-9a-f]{1,6})|#(\d{1,7})|([a-z]{2,8}));/gi, (whole, hex, dec, name) => {
      if (name) return HTML_ENTITIES[name.toLowerCase()] ?? whole;
      const code = hex ? parseInt(hex, 16) : Number(dec);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    })
    .replace(/ *\n[ \n]*/g, "\n\n")
    .replace(/^ +| +$/gm, "")
    .trim();
}
