/**
 * PPTX text: slides in presentation order, each read by a tag scanner (no tree is built) for its text bodies,
 * tables, grouped shapes and pictures' descriptions, with its speaker notes and SmartArt text; then the text
 * placed on the layouts and masters the slides use (not their placeholders' prompts).
 */
import { corrupt } from "./errors.ts";
import { relationshipOfType, relationshipsOf } from "./ooxml.ts";
import type { TextSink } from "./text.ts";
import {
  attribute,
  attributeIn,
  child,
  childrenNamed,
  decodeEntities,
  readXmlText,
  readXmlTree,
  rootOf,
  TagScanner,
} from "./xml.ts";
import type { ScannedTag } from "./xml.ts";
import type { GuardedZip } from "./zip.ts";

/** Which placeholder shapes to leave out: none (slides), all (layouts, masters), or page furniture (notes). */
type PlaceholderFilter = (type: string) => boolean;
const KEEP_ALL: PlaceholderFilter = () => false;
const SKIP_ALL: PlaceholderFilter = () => true;
/** Placeholders of a notes page that repeat the slide or the page furniture: the slide image, number, date, header, footer. */
const NOTES_FURNITURE = new Set(["sldImg", "sldNum", "dt", "hdr", "ftr"]);
const SKIP_FURNITURE: PlaceholderFilter = (type) => NOTES_FURNITURE.has(type);

/** Extracts "# Slide n" blocks in the order of `p:sldIdLst`; returns the number of slides. */
export function extractPptx(zip: GuardedZip, mainPart: string, sink: TextSink): { slides: number } {
  const presentation = rootOf(readXmlTree(zip, mainPart), "presentation");
  const relationships = relationshipsOf(zip, mainPart);
  const ids = child(presentation, "sldIdLst");
  const slides = ids ? childrenNamed(ids, "sldId") : [];
  // Layouts and masters in the order slides first use them: their own shapes show on every slide that uses them.
  const designs: string[] = [];
  for (const [index, slideId] of slides.entries()) {
    if (sink.stopped) break;
    const id = attribute(slideId, "r:id");
    const relationship = relationships.find((r) => r.id === id && !r.external);
    if (!relationship || !zip.has(relationship.target)) throw corrupt("a slide listed in the presentation is missing");
    let block = `# Slide ${index + 1}\n${shapesText(readXmlText(zip, relationship.target), KEEP_ALL)}`;
    const slideRelationships = relationshipsOf(zip, relationship.target);
    const notesPart = relationshipOfType(slideRelationships, "notesSlide");
    if (notesPart && zip.has(notesPart.target)) {
      const notes = shapesText(readXmlText(zip, notesPart.target), SKIP_FURNITURE);
      if (notes) block += `\n\nNotes: ${notes}`;
    }
    // SmartArt keeps its text in a diagram data part, not in the slide.
    for (const diagram of slideRelationships) {
      if (diagram.external || !diagram.type.endsWith("/diagramData") || !zip.has(diagram.target)) continue;
      const text = shapesText(readXmlText(zip, diagram.target), KEEP_ALL);
      if (text) block += `\n${text}`;
    }
    sink.add(block);
    const layout = relationshipOfType(slideRelationships, "slideLayout");
    if (layout && !designs.includes(layout.target)) designs.push(layout.target);
  }
  // Text placed on layouts and masters themselves (a company name, a disclaimer), each distinct text once;
  // placeholders are skipped, their prompts ("Click to edit...") never show on a slide.
  const seen = new Set<string>();
  for (let i = 0; i < designs.length && !sink.stopped; i++) {
    if (!zip.has(designs[i])) continue;
    const master = relationshipOfType(relationshipsOf(zip, designs[i]), "slideMaster");
    if (master && !designs.includes(master.target)) designs.push(master.target);
    const text = shapesText(readXmlText(zip, designs[i]), SKIP_ALL);
    if (text && !seen.has(text)) {
      seen.add(text);
      sink.add(text);
    }
  }
  return { slides: slides.length };
}

/**
 * The text of a slide-like part, one block per text body or table, in document order: paragraphs one per line
 * (`a:br` breaks a line, fields keep their text), tables one row per line with tab-separated cells, a picture's
 * description as `[Image: …]`. One alternative of a markup compatibility block is read: the fallback only when
 * the choice had no text. SmartArt data parts (`dgm:t` bodies) are read the same way.
 */
export function shapesText(xml: string, skipPlaceholder: PlaceholderFilter): string {
  const reader = new ShapeReader(skipPlaceholder);
  const scanner = new TagScanner((tag) => {
    reader.tag(tag);
    scanner.wantText = reader.inText;
  }, (raw) => reader.text(raw));
  scanner.feed(xml);
  if (!scanner.complete) throw corrupt("the file's XML is malformed");
  return reader.blocks.filter(Boolean).join("\n");
}

class ShapeReader {
  readonly blocks: string[] = [];
  inText = false;
  /** Placeholder type of each open shape (`undefined`: not a placeholder; "" a placeholder with no type). */
  #shapes: (string | undefined)[] = [];
  #lines: string[] | undefined;
  #bodyTag = "";
  #line: string | undefined;
  #rows: string[] | undefined;
  #row: string[] | undefined;
  #cell: string[] | undefined;
  #pictures = 0;
  #skipName = "";
  #skipDepth = 0;
  #alternates: { choiceStart: number; choiceHadText: boolean }[] = [];

  constructor(readonly skipPlaceholder: PlaceholderFilter) {}

  text(raw: string): void {
    if (this.#line !== undefined) this.#line += raw;
  }

  tag({ name, closing, selfClosing, attributes }: ScannedTag): void {
    if (this.#skipDepth > 0) {
      if (name === this.#skipName) {
        if (closing) this.#skipDepth--;
        else if (!selfClosing) this.#skipDepth++;
      }
      return;
    }
    if (closing) return this.#close(name);
    switch (name) {
      case "sp":
        if (!selfClosing) this.#shapes.push(undefined);
        break;
      case "ph":
        if (this.#shapes.length) this.#shapes[this.#shapes.length - 1] = attributeIn(attributes, "type") ?? "";
        break;
      case "txBody":
        if (selfClosing) break;
        {
          const placeholder = this.#shapes.at(-1);
          if (placeholder !== undefined && this.skipPlaceholder(placeholder)) this.#skip(name);
          else this.#openBody(name);
        }
        break;
      case "t":
        if (selfClosing) break;
        if (this.#line !== undefined) this.inText = true;
        else this.#openBody(name); // a SmartArt point's text body (`dgm:t`)
        break;
      case "p":
        if (this.#lines && !selfClosing) this.#line = "";
        break;
      case "br":
        if (this.#line !== undefined) this.#line += "\n";
        break;
      case "tbl":
        if (!selfClosing) this.#rows = [];
        break;
      case "tr":
        if (this.#rows && !selfClosing) this.#row = [];
        break;
      case "tc":
        if (this.#row) {
          if (selfClosing) this.#row.push("");
          else this.#cell = [];
        }
        break;
      case "pic":
        if (!selfClosing) this.#pictures++;
        break;
      case "cNvPr": {
        if (this.#pictures === 0) break;
        // A picture's description (alt text), which screen readers read out.
        const description = attributeIn(attributes, "descr")?.trim();
        if (description) this.blocks.push(`[Image: ${description.replace(/\s+/g, " ")}]`);
        break;
      }
      case "AlternateContent":
        if (!selfClosing) this.#alternates.push({ choiceStart: 0, choiceHadText: false });
        break;
      case "Choice": {
        const alternate = this.#alternates.at(-1);
        if (alternate && !selfClosing) alternate.choiceStart = this.blocks.length;
        break;
      }
      case "Fallback":
        if (!selfClosing && this.#alternates.at(-1)?.choiceHadText) this.#skip(name);
        break;
    }
  }

  #close(name: string): void {
    switch (name) {
      case "sp":
        this.#shapes.pop();
        break;
      case "t":
        if (this.inText) this.inText = false;
        else if (this.#bodyTag === "t") this.#closeBody();
        break;
      case "txBody":
        if (this.#bodyTag === "txBody") this.#closeBody();
        break;
      case "p":
        if (this.#lines && this.#line !== undefined) {
          const line = decodeEntities(this.#line);
          if (line.trim()) this.#lines.push(line);
        }
        this.#line = undefined;
        this.inText = false;
        break;
      case "tc":
        if (this.#row && this.#cell) this.#row.push(this.#cell.join(" ").replace(/\n/g, " "));
        this.#cell = undefined;
        break;
      case "tr":
        if (this.#rows && this.#row) {
          const line = this.#row.join("\t");
          if (line.trim()) this.#rows.push(line);
        }
        this.#row = undefined;
        break;
      case "tbl":
        if (this.#rows) this.blocks.push(this.#rows.join("\n"));
        this.#rows = undefined;
        break;
      case "pic":
        if (this.#pictures > 0) this.#pictures--;
        break;
      case "Choice": {
        const alternate = this.#alternates.at(-1);
        if (alternate) alternate.choiceHadText ||= this.blocks.slice(alternate.choiceStart).some(Boolean);
        break;
      }
      case "AlternateContent":
        this.#alternates.pop();
        break;
    }
  }

  #openBody(tag: string): void {
    if (this.#lines) return;
    this.#lines = [];
    this.#bodyTag = tag;
  }

  #closeBody(): void {
    const text = (this.#lines ?? []).join("\n");
    if (this.#cell) this.#cell.push(text);
    else this.blocks.push(text);
    this.#lines = undefined;
    this.#bodyTag = "";
    this.#line = undefined;
  }

  #skip(name: string): void {
    this.#skipName = name;
    this.#skipDepth = 1;
  }
}
