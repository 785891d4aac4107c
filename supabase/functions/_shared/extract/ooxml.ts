/** Open Packaging Conventions: content types, relationships and the main part of a DOCX, PPTX or XLSX package. */
import { corrupt, unsupportedType } from "./errors.ts";
import { attributeIn, readXmlText, type ScannedTag, TagScanner } from "./xml.ts";
import type { GuardedZip } from "./zip.ts";

/** The OOXML formats extraction reads. */
export type OoxmlFormat = "docx" | "pptx" | "xlsx";

/** The content type of each format's main part: the document, the presentation, the workbook. */
export const MAIN_CONTENT_TYPES: Record<OoxmlFormat, string> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
};

// Same packages with macros, or templates and slide shows: readable, but not the formats the product accepts.
const RELATED_MAIN_TYPES: Record<string, string> = {
  "application/vnd.ms-word.document.macroenabled.main+xml": "a macro-enabled Word document (.docm)",
  "application/vnd.ms-word.template.macroenabledtemplate.main+xml": "a macro-enabled Word template (.dotm)",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "a Word template (.dotx)",
  "application/vnd.ms-powerpoint.presentation.macroenabled.main+xml": "a macro-enabled presentation (.pptm)",
  "application/vnd.ms-powerpoint.slideshow.macroenabled.main+xml": "a macro-enabled slide show (.ppsm)",
  "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": "a slide show (.ppsx)",
  "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": "a presentation template (.potx)",
  "application/vnd.ms-excel.sheet.macroenabled.main+xml": "a macro-enabled workbook (.xlsm)",
  "application/vnd.ms-excel.sheet.binary.macroenabled.main": "a binary workbook (.xlsb)",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "a workbook template (.xltx)",
};

/** `[Content_Types].xml`: content types by extension and by part name (lower-cased, no leading slash). */
export interface ContentTypes {
  defaults: Map<string, string>;
  overrides: Map<string, string>;
}

/** One relationship of a part, its target resolved to a part name unless external. */
export interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

/** Parses `[Content_Types].xml`. */
export function parseContentTypes(xml: string): ContentTypes {
  const defaults = new Map<string, string>();
  const overrides = new Map<string, string>();
  let root = false;
  scanTags(xml, ({ name, closing, attributes }) => {
    if (closing) return;
    if (name === "Types") root = true;
    else if (name === "Default") {
      const extension = attributeIn(attributes, "Extension");
      const type = attributeIn(attributes, "ContentType");
      if (extension && type) defaults.set(extension.toLowerCase(), type.toLowerCase());
    } else if (name === "Override") {
      const part = attributeIn(attributes, "PartName");
      const type = attributeIn(attributes, "ContentType");
      if (part && type) overrides.set(normalizePart(part), type.toLowerCase());
    }
  });
  if (!root) throw corrupt("the file's XML has no Types element");
  return { defaults, overrides };
}

/** Scans a whole part's tags (no tree is built); malformed markup is `corrupt`. */
function scanTags(xml: string, onTag: (tag: ScannedTag) => void): void {
  const scanner = new TagScanner(onTag, () => {});
  scanner.feed(xml);
  if (!scanner.complete) throw corrupt("the file's XML is malformed");
}

/** The content type of a part. */
export function contentTypeOf(types: ContentTypes, part: string): string | undefined {
  const name = normalizePart(part);
  const override = types.overrides.get(name);
  if (override) return override;
  const dot = name.lastIndexOf(".");
  return dot < 0 ? undefined : types.defaults.get(name.slice(dot + 1));
}

/** The format and main part of a package, found through `_rels/.rels` and the main part's content type. */
export function openPackage(zip: GuardedZip): { format: OoxmlFormat; mainPart: string } {
  if (!zip.has("[Content_Types].xml")) {
    throw unsupportedType("the file is a zip archive, not a DOCX, PPTX or XLSX document");
  }
  const types = parseContentTypes(readXmlText(zip, "[Content_Types].xml"));
  const main = relationshipsOf(zip, "").find((r) => r.type.endsWith("/officeDocument") && !r.external);
  const type = main ? contentTypeOf(types, main.target) : undefined;
  const format = (Object.keys(MAIN_CONTENT_TYPES) as OoxmlFormat[]).find((f) => MAIN_CONTENT_TYPES[f] === type);
  if (main && format) {
    if (!zip.has(main.target)) throw corrupt("the package's main part is missing");
    return { format, mainPart: main.target };
  }
  const related = type ? RELATED_MAIN_TYPES[type] : undefined;
  if (related) throw unsupportedType(`the file is ${related}; save it as DOCX, PPTX or XLSX`);
  const declared = new Set(types.overrides.values());
  if (Object.values(MAIN_CONTENT_TYPES).some((t) => declared.has(t))) {
    throw corrupt("the package has no main document relationship");
  }
  throw unsupportedType("the file is a zip archive, not a DOCX, PPTX or XLSX document");
}

/** The relationships of a part (`""` for the package), from its `_rels/*.rels` part; none if that part is absent. */
export function relationshipsOf(zip: GuardedZip, part: string): Relationship[] {
  const name = relationshipsPart(part);
  if (!zip.has(name)) return [];
  const base = part.includes("/") ? part.slice(0, part.lastIndexOf("/")) : "";
  const relationships: Relationship[] = [];
  let root = false;
  scanTags(readXmlText(zip, name), ({ name, closing, attributes }) => {
    if (closing) return;
    if (name === "Relationships") root = true;
    if (name !== "Relationship") return;
    const id = attributeIn(attributes, "Id");
    const type = attributeIn(attributes, "Type");
    const target = attributeIn(attributes, "Target");
    if (!id || !type || target === undefined) return;
    const external = attributeIn(attributes, "TargetMode") === "External";
    relationships.push({ id, type, external, target: external ? target : resolvePart(base, target) });
  });
  if (!root) throw corrupt("the file's XML has no Relationships element");
  return relationships;
}

/** The relationship of a given type's last URI segment (`slide`, `notesSlide`, `sharedStrings`, ...). */
export function relationshipOfType(relationships: Relationship[], type: string): Relationship | undefined {
  return relationships.find((r) => !r.external && r.type.endsWith(`/${type}`));
}

/** Resolves a relationship target against the folder of its source part. */
export function resolvePart(base: string, target: string): string {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // A malformed escape is taken literally.
  }
  const segments = decoded.startsWith("/") ? [] : base.split("/").filter(Boolean);
  for (const segment of decoded.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  return segments.join("/");
}

function relationshipsPart(part: string): string {
  if (part === "") return "_rels/.rels";
  const slash = part.lastIndexOf("/");
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

function normalizePart(part: string): string {
  return part.replace(/^\/+/, "").toLowerCase();
}
