/** XML helpers for OOXML parts: refusing DTDs, decoding, parsing small parts with fast-xml-parser, scanning large ones tag by tag. */
import { XMLParser } from "fast-xml-parser";
import { corrupt, limitsExceeded } from "./errors.ts";
import type { GuardedZip } from "./zip.ts";

/** Parts parsed whole into a tree must be at most this large; bigger text parts are streamed (sheets, shared strings, the Word body). */
export const MAX_PARSED_PART_BYTES = 8 * 1024 * 1024;

/** A streamed part's tag, comment or CDATA section may be at most this long (in characters). */
export const MAX_TAG_CHARS = 1024 * 1024;

/** A node of fast-xml-parser's `preserveOrder` output: `{ "tag": children, ":@": attributes }` or `{ "#text": "..." }`. */
export type XmlNode = Record<string, unknown>;

const DTD = /<!(?:DOCTYPE|ENTITY)/i;

// Entities are decoded by `decodeEntities` (the five XML ones and character references): with no DTD allowed,
// there is nothing else to expand, and the parser's own entity handling stays off.
const orderedParser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // No callback needs the element's path; building it for every tag costs more than the parse itself.
  jPath: false,
});

/** Refuses a document type declaration anywhere: it is the door to entity expansion ("billion laughs"). */
export function refuseDtd(xml: string): void {
  if (DTD.test(xml)) throw limitsExceeded("the file's XML declares a document type or entities, which is not allowed");
}

/** Decodes a part's bytes (UTF-8, or UTF-16 with a byte order mark). */
export function decodeXml(bytes: Uint8Array): string {
  return new TextDecoder(encodingOf(bytes)).decode(bytes);
}

/** Reads a whole part as text, refusing DTDs and parts too large to parse within the time budget. */
export function readXmlText(zip: GuardedZip, name: string): string {
  const entry = zip.entry(name);
  if (entry && entry.uncompressedSize > MAX_PARSED_PART_BYTES) {
    throw limitsExceeded(`a part of the file is larger than ${MAX_PARSED_PART_BYTES / 1024 / 1024} MB of XML`);
  }
  const xml = decodeXml(zip.read(name));
  refuseDtd(xml);
  return xml;
}

/** Reads and parses a whole part in document order. */
export function readXmlTree(zip: GuardedZip, name: string): XmlNode[] {
  return parseOrdered(readXmlText(zip, name));
}

/** Parses XML in document order; the parser's failures are the file's (`corrupt`). */
export function parseOrdered(xml: string): XmlNode[] {
  try {
    return orderedParser.parse(xml) as XmlNode[];
  } catch (error) {
    throw parseError(error);
  }
}

/** A parser's failure as ours: nesting past the parser's limit (or the stack) is `limits_exceeded`, else `corrupt`. */
export function parseError(error: unknown) {
  if (error instanceof RangeError || /nested/i.test((error as Error)?.message ?? "")) {
    return limitsExceeded("the file's structure is nested too deeply");
  }
  return corrupt("the file's XML is malformed", error);
}

/** Streams a part as decoded text chunks, refusing DTDs across chunk boundaries. */
export async function* streamXmlText(zip: GuardedZip, name: string): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let tail = "";
  for await (const bytes of zip.stream(name)) {
    decoder ??= new TextDecoder(encodingOf(bytes));
    const text = decoder.decode(bytes, { stream: true });
    refuseDtd(tail + text);
    tail = text.slice(-16);
    yield text;
  }
  const rest = decoder?.decode() ?? "";
  if (rest) yield rest;
}

const ENTITY = /&(?:#x([0-9a-fA-F]{1,6})|#(\d{1,7})|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Decodes the five XML entities and character references (all a DTD-free document can contain). */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(ENTITY, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name) return NAMED[name];
    const code = hex ? parseInt(hex, 16) : Number(dec);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** The local name of a tag or attribute: `p:sp` → `sp`. */
export function localName(qualified: string): string {
  const colon = qualified.indexOf(":");
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

/** The tag of an ordered node (`undefined` for text). */
export function tagOf(node: XmlNode): string | undefined {
  for (const key in node) if (key !== ":@" && key !== "#text") return key;
  return undefined;
}

/** The children of an ordered node. */
export function childrenOf(node: XmlNode): XmlNode[] {
  const tag = tagOf(node);
  const children = tag === undefined ? undefined : node[tag];
  return Array.isArray(children) ? children as XmlNode[] : [];
}

/** An attribute by local name (so `r:id` and `id` are told apart by asking for the prefixed one explicitly). */
export function attribute(node: XmlNode, name: string): string | undefined {
  const attributes = node[":@"] as Record<string, string> | undefined;
  if (!attributes) return undefined;
  if (name in attributes) return decodeEntities(attributes[name]);
  if (name.includes(":")) {
    const wanted = localName(name);
    for (const key in attributes) {
      if (key.includes(":") && localName(key) === wanted && !key.startsWith("xmlns")) {
        return decodeEntities(attributes[key]);
      }
    }
  }
  return undefined;
}

/** The first child with this local name. */
export function child(node: XmlNode, name: string): XmlNode | undefined {
  return childrenOf(node).find((c) => localNameOf(c) === name);
}

/** The children with this local name. */
export function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  return childrenOf(node).filter((c) => localNameOf(c) === name);
}

/** The root element of a parsed document. */
export function rootOf(tree: XmlNode[], name: string): XmlNode {
  const root = tree.find((node) => localNameOf(node) === name);
  if (!root) throw corrupt(`the file's XML has no ${name} element`);
  return root;
}

/** The local name of an ordered node's tag. */
export function localNameOf(node: XmlNode): string | undefined {
  const tag = tagOf(node);
  return tag === undefined ? undefined : localName(tag);
}

function encodingOf(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return "utf-8";
}

/** What a `TagScanner` reports for each tag. */
export interface ScannedTag {
  /** Local name (no prefix). */
  name: string;
  closing: boolean;
  selfClosing: boolean;
  /** The raw attribute text of an opening tag (between the name and `>`). */
  attributes: string;
}

/**
 * A streaming tag scanner for large parts (worksheets, shared strings): fed decoded XML in chunks of any size, it
 * calls `onTag` for each tag and `onText` for the (still escaped) text between tags while `wantText` is true.
 * It builds no tree and holds at most one incomplete tag or text run between chunks.
 */
export class TagScanner {
  #xml = "";
  #at = 0;
  /** Set by the caller (usually in `onTag`): whether text between tags is wanted. */
  wantText = false;

  /** Whether everything fed so far was scanned (no tag, comment or section left open). */
  get complete(): boolean {
    return this.#at >= this.#xml.length || this.#xml.slice(this.#at).trim() === "";
  }

  constructor(
    readonly onTag: (tag: ScannedTag) => void,
    readonly onText: (raw: string) => void,
    readonly maxPendingChars: number = MAX_TAG_CHARS,
  ) {}

  feed(chunk: string): void {
    this.#xml = this.#at > 0 ? this.#xml.slice(this.#at) + chunk : this.#xml + chunk;
    this.#at = 0;
    const xml = this.#xml;
    for (;;) {
      const lt = xml.indexOf("<", this.#at);
      if (lt < 0) {
        if (this.wantText) {
          // Keep back a possibly split entity.
          const amp = xml.lastIndexOf("&");
          const end = amp >= this.#at && xml.indexOf(";", amp) < 0 ? amp : xml.length;
          if (end > this.#at) this.onText(xml.slice(this.#at, end));
          this.#at = end;
        } else this.#at = xml.length;
        return;
      }
      if (lt > this.#at && this.wantText) this.onText(xml.slice(this.#at, lt));
      const next = xml.charCodeAt(lt + 1);
      if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
        const close = xml.startsWith("<!--", lt) ? "-->" : xml.startsWith("<![CDATA[", lt) ? "]]>" : ">";
        const end = xml.indexOf(close, lt + 2);
        if (end < 0) return this.#wait(lt);
        if (close === "]]>" && this.wantText) this.onText(escapeText(xml.slice(lt + 9, end)));
        this.#at = end + close.length;
        continue;
      }
      const gt = tagEnd(xml, lt);
      if (gt < 0) return this.#wait(lt);
      this.#at = gt + 1;
      const closing = next === 0x2f;
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
      this.onTag({
        name: colon < 0 ? qualified : qualified.slice(colon + 1),
        closing,
        selfClosing,
        attributes: closing ? "" : xml.slice(nameEnd, selfClosing ? gt - 1 : gt),
      });
    }
  }

  #wait(lt: number): void {
    this.#at = lt;
    if (this.#xml.length - lt > this.maxPendingChars) {
      throw limitsExceeded("a tag in the file's XML is longer than 1 MB");
    }
  }
}

/**
 * The index of the `>` that ends the tag opening at `lt` (a `>` inside a quoted attribute value is skipped), or
 * -1 if the tag does not end in `xml`. Work is linear in the tag's length.
 */
export function tagEnd(xml: string, lt: number): number {
  let quote = 0;
  for (let i = lt + 1; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x3e /* > */) return i;
    else if (c === 0x22 /* " */ || c === 0x27 /* ' */) quote = c;
  }
  return -1;
}

const ATTRIBUTE_PATTERNS = new Map<string, RegExp>();

/** The value of an attribute in raw attribute text, by qualified name (decoded), or undefined. */
export function attributeIn(attributes: string, name: string): string | undefined {
  let pattern = ATTRIBUTE_PATTERNS.get(name);
  if (!pattern) {
    // XML allows white space around `=`.
    pattern = new RegExp(`(?:^|\\s)${name.replace(/[.:-]/g, "\\$&")}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`);
    ATTRIBUTE_PATTERNS.set(name, pattern);
  }
  const match = pattern.exec(attributes);
  if (!match) return undefined;
  return decodeEntities(match[1] ?? match[2]);
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
}
