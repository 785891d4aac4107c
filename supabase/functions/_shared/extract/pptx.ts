/** PPTX text with fast-xml-parser: slides in presentation order, with tables, grouped shapes and speaker notes. */
import { corrupt } from "./errors.ts";
import { openPackage, relationshipOfType, relationshipsOf } from "./ooxml.ts";
import type { TextSink } from "./text.ts";
import {
  attribute,
  child,
  childrenNamed,
  childrenOf,
  localNameOf,
  readXmlTree,
  rootOf,
  textOf,
  type XmlNode,
} from "./xml.ts";
import type { GuardedZip } from "./zip.ts";

/** Extracts "# Slide n" blocks in the order of `p:sldIdLst`; returns the number of slides. */
export function extractPptx(zip: GuardedZip, sink: TextSink): { slides: number } {
  const { mainPart } = openPackage(zip);
  const presentation = rootOf(readXmlTree(zip, mainPart), "presentation");
  const relationships = relationshipsOf(zip, mainPart);
  const ids = child(presentation, "sldIdLst");
  const slides = ids ? childrenNamed(ids, "sldId") : [];
  for (const [index, slideId] of slides.entries()) {
    if (sink.stopped) break;
    const id = attribute(slideId, "r:id");
    const relationship = relationships.find((r) => r.id === id && !r.external);
    if (!relationship || !zip.has(relationship.target)) throw corrupt("a slide listed in the presentation is missing");
    const slide = readXmlTree(zip, relationship.target);
    let block = `# Slide ${index + 1}\n${shapeText(rootOf(slide, "sld"))}`;
    const notesPart = relationshipOfType(relationshipsOf(zip, relationship.target), "notesSlide");
    if (notesPart && zip.has(notesPart.target)) {
      const notes = notesText(rootOf(readXmlTree(zip, notesPart.target), "notes"));
      if (notes) block += `\n\nNotes: ${notes}`;
    }
    sink.add(block);
  }
  return { slides: slides.length };
}

/** The text of every shape under a node, in document order: text bodies, tables, groups, graphic frames. */
function shapeText(node: XmlNode): string {
  const blocks: string[] = [];
  collect(node, blocks);
  return blocks.filter(Boolean).join("\n");
}

function collect(node: XmlNode, blocks: string[]): void {
  for (const c of childrenOf(node)) {
    const name = localNameOf(c);
    if (name === "txBody") blocks.push(paragraphsText(c));
    else if (name === "tbl") blocks.push(tableText(c));
    else if (name === "AlternateContent") {
      // Markup compatibility: one of the alternatives, never both (the fallback usually repeats the choice).
      const choice = child(c, "Choice") ?? child(c, "Fallback");
      if (choice) collect(choice, blocks);
    } else if (name !== undefined) collect(c, blocks);
  }
}

/** The paragraphs of a text body, one per line; `a:br` breaks a line, fields (slide numbers, dates) keep their text. */
function paragraphsText(body: XmlNode): string {
  const lines: string[] = [];
  for (const paragraph of childrenNamed(body, "p")) {
    let line = "";
    for (const run of childrenOf(paragraph)) {
      const name = localNameOf(run);
      if (name === "r" || name === "fld") {
        const t = child(run, "t");
        if (t) line += textOf(t);
      } else if (name === "br") line += "\n";
    }
    if (line.trim()) lines.push(line);
  }
  return lines.join("\n");
}

/** A table, one row per line, cells separated by tabs. */
function tableText(table: XmlNode): string {
  return childrenNamed(table, "tr")
    .map((row) =>
      childrenNamed(row, "tc")
        .map((cell) => (child(cell, "txBody") ? paragraphsText(child(cell, "txBody")!) : "").replace(/\n/g, " "))
        .join("\t")
    )
    .filter((line) => line.trim())
    .join("\n");
}

/** The speaker notes: only the body placeholder, not the slide image or the slide number. */
function notesText(notes: XmlNode): string {
  const blocks: string[] = [];
  const tree = child(child(notes, "cSld") ?? notes, "spTree");
  for (const shape of tree ? childrenOf(tree) : []) {
    if (localNameOf(shape) !== "sp") continue;
    const placeholder = child(child(child(shape, "nvSpPr") ?? {}, "nvPr") ?? {}, "ph");
    if (!placeholder || attribute(placeholder, "type") !== "body") continue;
    const body = child(shape, "txBody");
    if (body) blocks.push(paragraphsText(body));
  }
  return blocks.filter(Boolean).join("\n");
}
