/**
 * DOCX text with mammoth, fed through the guarded zip: mammoth never sees the archive, only the parts it asks
 * for, each inflated under the caps and refused if it declares a DTD; and the body is cut once its text passes
 * the cap, so that mammoth's work is bounded whatever the document's size.
 */
import mammoth from "mammoth";
import { corrupt, ExtractionError } from "./errors.ts";
import { openPackage } from "./ooxml.ts";
import type { TextSink } from "./text.ts";
import { MAX_PARSED_PART_BYTES, readXmlText, streamXmlText } from "./xml.ts";
import type { GuardedZip } from "./zip.ts";

/**
 * Extracts a Word document's text with mammoth's `extractRawText`: paragraphs, list items, table cells and
 * hyperlink text, one paragraph per block (footnotes, comments, headers and footers are not part of it).
 */
export async function extractDocx(zip: GuardedZip, sink: TextSink): Promise<void> {
  const { mainPart } = openPackage(zip);
  const body = await readBodyPrefix(zip, mainPart, sink);

  // mammoth's own zip adapter shape (`exists`, `read`): the `file` input of mammoth's openZip.
  const file = {
    exists: (name: string) => zip.has(name),
    read: (name: string, encoding?: string) =>
      Promise.resolve().then(() => {
        if (sameName(name, mainPart)) return encoding ? body.xml : new TextEncoder().encode(body.xml);
        if (encoding === "base64") throw corrupt("images are not read"); // only HTML conversion asks for them
        if (encoding) return readXmlText(zip, name);
        return zip.read(name);
      }),
  };
  let text: string;
  try {
    // deno-lint-ignore no-explicit-any -- `file` is accepted by mammoth's openZip but not declared in its types
    const result = await mammoth.extractRawText({ file } as any);
    text = result.value;
  } catch (error) {
    if (error instanceof ExtractionError) throw error;
    throw corrupt("the Word document is damaged", error);
  }
  sink.add(text);
  if (body.cut) sink.truncate(body.cut);
}

/**
 * Reads the main document part as a stream and stops once its text passes the cap (or the deadline passes): the
 * prefix is cut at a tag boundary and the elements still open are closed, so mammoth gets a well-formed document
 * whose text is just over the cap. mammoth's work is then bounded whatever the document's size.
 */
export async function readBodyPrefix(
  zip: GuardedZip,
  part: string,
  sink: TextSink,
): Promise<{ xml: string; cut?: "max_chars" | "deadline" }> {
  const entry = zip.entry(part);
  // Small parts are read whole: nothing to cut.
  if (entry && entry.uncompressedSize <= Math.min(4 * sink.maxChars, MAX_PARSED_PART_BYTES)) {
    return { xml: readXmlText(zip, part) };
  }

  const tag = /<(\/?)([A-Za-z_][\w.:-]*)(?:"[^"]*"|'[^']*'|[^'">])*?(\/?)>/y;
  const stack: string[] = [];
  let xml = "";
  let position = 0; // everything before is scanned, and it is a tag boundary
  let inText = false;
  let textChars = 0;
  const cutHere = (reason: "max_chars" | "deadline") => ({
    xml: xml.slice(0, position) + stack.toReversed().map((name) => `</${name}>`).join(""),
    cut: reason,
  });
  const chunks = streamXmlText(zip, part);
  try {
    for await (const chunk of chunks) {
      xml += chunk;
      for (;;) {
        const lt = xml.indexOf("<", position);
        if (lt < 0) break;
        const special = xml.startsWith("<!--", lt) ? "-->" : xml.startsWith("<?", lt) ? "?>" : undefined;
        if (special || xml.startsWith("<![CDATA[", lt)) {
          const close = special ?? "]]>";
          const end = xml.indexOf(close, lt);
          if (end < 0) break;
          if (inText && !special) textChars += end - lt - 9;
          position = end + close.length;
          continue;
        }
        tag.lastIndex = lt;
        const match = tag.exec(xml);
        if (!match) break; // an incomplete tag: wait for the next chunk
        if (inText) textChars += textLength(xml, position, lt);
        position = tag.lastIndex;
        const [, closing, name, selfClosing] = match;
        const local = name.slice(name.indexOf(":") + 1);
        if (closing) {
          stack.pop();
          if (local === "t") inText = false;
          if (textChars > sink.maxChars) return cutHere("max_chars");
        } else if (!selfClosing) {
          stack.push(name);
          if (local === "t") inText = true;
        }
      }
      if (sink.stopped) return cutHere("deadline");
    }
  } finally {
    await chunks.return(undefined);
  }
  return { xml };
}

/** Characters of text between two indices, an entity or character reference counting as one. */
function textLength(xml: string, start: number, end: number): number {
  let length = end - start;
  for (let amp = xml.indexOf("&", start); amp >= 0 && amp < end; amp = xml.indexOf("&", amp + 1)) {
    const semicolon = xml.indexOf(";", amp);
    if (semicolon > amp && semicolon < end && semicolon - amp <= 10) length -= semicolon - amp;
  }
  return length;
}

function sameName(a: string, b: string): boolean {
  return a.replace(/^\/+/, "").toLowerCase() === b.replace(/^\/+/, "").toLowerCase();
}
