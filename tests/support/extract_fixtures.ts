/**
 * Fixtures for the extraction tests and the benchmark, made by real writers (docx, pptxgenjs, exceljs, pdf-lib,
 * jszip), and, where a hostile file needs bytes no writer produces, by the small zip and compound-file writers
 * below. Nothing here is imported by the extraction code.
 */
import { createHash } from "node:crypto";
import zlib from "node:zlib";
import * as docx from "npm:docx@9.15.2";
import ExcelJS from "npm:exceljs@4.4.0";
import { PDFDocument, StandardFonts } from "npm:pdf-lib@1.17.1";
import PptxGenJS from "npm:pptxgenjs@4.0.1";
import JSZip from "jszip";

// pptxgenjs's types describe its ES module; Deno loads its CommonJS build, whose default export is the class itself.
const Presentation = ((PptxGenJS as { default?: unknown }).default ?? PptxGenJS) as typeof PptxGenJS.default;

/** Ten mebibytes, the upload limit. */
export const TEN_MB = 10 * 1024 * 1024;

const encoder = new TextEncoder();

// ---------------------------------------------------------------------------------------------------------------
// Documents from real writers

/** A Word document with a heading, a bulleted list, a table and a hyperlink, written by `docx`. */
export async function docxWithTableListLink(): Promise<Uint8Array> {
  const cell = (text: string) => new docx.TableCell({ children: [new docx.Paragraph(text)] });
  const document = new docx.Document({
    numbering: {
      config: [{
        reference: "bullets",
        levels: [{ level: 0, format: docx.LevelFormat.BULLET, text: "•", alignment: docx.AlignmentType.LEFT }],
      }],
    },
    sections: [{
      children: [
        new docx.Paragraph({ text: "Offsite plan", heading: docx.HeadingLevel.HEADING_1 }),
        new docx.Paragraph("We meet on Friday at the lake."),
        new docx.Paragraph({ text: "Bring sunscreen", numbering: { reference: "bullets", level: 0 } }),
        new docx.Paragraph({ text: "Bring a towel", numbering: { reference: "bullets", level: 0 } }),
        new docx.Table({
          rows: [
            new docx.TableRow({ children: [cell("Activity"), cell("Minutes")] }),
            new docx.TableRow({ children: [cell("Kayak relay"), cell("45")] }),
          ],
        }),
        new docx.Paragraph({
          children: [
            new docx.TextRun("Directions are on "),
            new docx.ExternalHyperlink({
              link: "https://example.com/lake",
              children: [new docx.TextRun({ text: "the lake's page", style: "Hyperlink" })],
            }),
            new docx.TextRun("."),
          ],
        }),
      ],
    }],
  });
  return new Uint8Array(await docx.Packer.toBuffer(document));
}

/** A Word document of plain paragraphs, written by `docx`. */
export async function docxOfParagraphs(paragraphs: string[]): Promise<Uint8Array> {
  const document = new docx.Document({ sections: [{ children: paragraphs.map((p) => new docx.Paragraph(p)) }] });
  return new Uint8Array(await docx.Packer.toBuffer(document));
}

/**
 * A presentation written by pptxgenjs whose slides were then reordered in `p:sldIdLst` (so file names and
 * presentation order disagree), with a table, speaker notes and a grouped shape added with jszip.
 * Presentation order: slide3.xml ("Wrap-up", with a group), slide1.xml ("Welcome"), slide2.xml ("Agenda", a table).
 */
export async function pptxReordered(): Promise<Uint8Array> {
  const pptx = new Presentation();
  const welcome = pptx.addSlide();
  welcome.addText("Welcome", { x: 1, y: 1, w: 6, h: 1 });
  welcome.addNotes("Smile and introduce yourself");
  const agenda = pptx.addSlide();
  agenda.addText("Agenda", { x: 1, y: 0.5, w: 6, h: 1 });
  const rows = [["Time", "Activity"], ["09:00", "Kayak relay"], ["11:00", "Picnic"]];
  agenda.addTable(rows.map((row) => row.map((text) => ({ text }))), { x: 1, y: 2, w: 6 });
  agenda.addNotes("Keep it short");
  const wrapUp = pptx.addSlide();
  wrapUp.addText("Wrap-up", { x: 1, y: 1, w: 6, h: 1 });
  const written = await pptx.write({ outputType: "uint8array" }) as Uint8Array;

  const zip = await JSZip.loadAsync(written);
  const presentation = await zip.file("ppt/presentation.xml")!.async("string");
  const ids = [...presentation.matchAll(/<p:sldId [^>]*\/>/g)].map((m) => m[0]);
  if (ids.length !== 3) throw new Error("pptxgenjs wrote an unexpected sldIdLst");
  zip.file("ppt/presentation.xml", presentation.replace(ids.join(""), [ids[2], ids[0], ids[1]].join("")));

  const slide3 = await zip.file("ppt/slides/slide3.xml")!.async("string");
  const group = `<p:grpSp><p:nvGrpSpPr><p:cNvPr id="20" name="Group"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>` +
    `<p:grpSpPr/>${shape(21, "Grouped one")}<p:grpSp><p:nvGrpSpPr><p:cNvPr id="22" name="Inner"/><p:cNvGrpSpPr/>` +
    `<p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${shape(23, "Grouped two")}</p:grpSp></p:grpSp>`;
  zip.file("ppt/slides/slide3.xml", slide3.replace("</p:spTree>", `${group}</p:spTree>`));
  return await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

function shape(id: number, text: string): string {
  return `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="Shape ${id}"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr/>` +
    `<p:txBody><a:bodyPr/><a:p><a:r><a:t>${text}</a:t></a:r></a:p></p:txBody></p:sp>`;
}

/**
 * A workbook written by exceljs (three sheets; strings, numbers, a boolean, a date, a formula with its cached
 * value, rich text), then edited with jszip where exceljs cannot write: the sheet order in workbook.xml is changed
 * (file names no longer follow it), and shared strings gain an empty `<si/>` and a string with a phonetic run,
 * referenced by a new row that also has an inline string.
 * Workbook order: "Notes", "Budget", "Empty".
 */
export async function xlsxWorkbook(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const budget = workbook.addWorksheet("Budget");
  budget.addRow(["Item", "Cost", "Paid", "When"]);
  budget.addRow(["Venue", 120.5, true, new Date(Date.UTC(2026, 2, 14))]);
  budget.addRow(["Food", 0.1 + 0.2, false]);
  budget.getCell("B4").value = { formula: "B2*2", result: 241 };
  budget.getCell("A4").value = "Total x2";
  const notes = workbook.addWorksheet("Notes");
  notes.getCell("A1").value = { richText: [{ text: "Bold ", font: { bold: true } }, { text: "and plain" }] };
  notes.getCell("C2").value = "Far cell";
  workbook.addWorksheet("Empty");
  const zip = await JSZip.loadAsync(new Uint8Array(await workbook.xlsx.writeBuffer()));

  const book = await zip.file("xl/workbook.xml")!.async("string");
  const sheets = [...book.matchAll(/<sheet [^>]*\/>/g)].map((m) => m[0]);
  zip.file("xl/workbook.xml", book.replace(sheets.join(""), [sheets[1], sheets[0], sheets[2]].join("")));

  const strings = await zip.file("xl/sharedStrings.xml")!.async("string");
  const count = [...strings.matchAll(/<si>/g)].length;
  const added = `<si/><si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>`;
  zip.file("xl/sharedStrings.xml", strings.replace("</sst>", `${added}</sst>`));
  const budgetPart = "xl/worksheets/sheet1.xml";
  const sheet = await zip.file(budgetPart)!.async("string");
  const row = `<row r="6"><c r="A6" t="s"><v>${count}</v></c><c r="B6" t="s"><v>${count + 1}</v></c>` +
    `<c r="C6" t="inlineStr"><is><t>Inline &amp; direct</t></is></c>` +
    `<c r="D6" t="inlineStr"><is><r><t>Rich</t></r><r><rPr><i/></rPr><t xml:space="preserve"> inline</t></r></is></c></row>`;
  zip.file(budgetPart, sheet.replace("</sheetData>", `${row}</sheetData>`));
  return await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

/** A PDF of `pages` pages written by pdf-lib, each with two lines ("Page n of N", then `line(n)`). */
export async function pdfOfPages(pages: number, line = (n: number) => `Line for page ${n}`): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    const page = document.addPage();
    page.drawText(`Page ${n} of ${pages}`, { x: 50, y: 750, font, size: 14 });
    page.drawText(line(n), { x: 50, y: 720, font, size: 12 });
  }
  return await document.save();
}

// ---------------------------------------------------------------------------------------------------------------
// An encrypted PDF: standard security handler, revision 2 (RC4, 40-bit), as in ISO 32000-1 §7.6.3.
// pdf-lib cannot encrypt, so the file is written here, following the algorithms of the specification.

const PASSWORD_PAD = Uint8Array.from([
  0x28,
  0xbf,
  0x4e,
  0x5e,
  0x4e,
  0x75,
  0x8a,
  0x41,
  0x64,
  0x00,
  0x4e,
  0x56,
  0xff,
  0xfa,
  0x01,
  0x08,
  0x2e,
  0x2e,
  0x00,
  0xb6,
  0xd0,
  0x68,
  0x3e,
  0x80,
  0x2f,
  0x0c,
  0xa9,
  0xfe,
  0x64,
  0x53,
  0x69,
  0x7a,
]);

/** A one-page PDF whose content is RC4-encrypted; an empty `userPassword` opens without asking (owner-only). */
export function encryptedPdf(userPassword: string, ownerPassword: string, text: string): Uint8Array {
  const id = md5(latin1("team-activities-fixture"));
  const permissions = -44;
  const owner = rc4(md5(padPassword(ownerPassword)).subarray(0, 5), padPassword(userPassword)); // Algorithm 3
  const p = new Uint8Array(4);
  new DataView(p.buffer).setInt32(0, permissions, true);
  const key = md5(padPassword(userPassword), owner, p, id).subarray(0, 5); // Algorithm 2
  const user = rc4(key, PASSWORD_PAD); // Algorithm 4
  const objectKey = (n: number) =>
    md5(key, Uint8Array.of(n & 255, (n >> 8) & 255, (n >> 16) & 255, 0, 0)).subarray(0, 10);
  const content = rc4(objectKey(5), latin1(`BT /F1 24 Tf 72 700 Td (${text}) Tj ET`)); // Algorithm 1
  return writePdf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    [`<< /Length ${content.length} >>\nstream\n`, content, "\nendstream"],
    `<< /Filter /Standard /V 1 /R 2 /O <${hex(owner)}> /U <${hex(user)}> /P ${permissions} >>`,
  ], `/Encrypt 6 0 R /ID [<${hex(id)}> <${hex(id)}>]`);
}

function writePdf(objects: (string | [string, Uint8Array, string])[], trailer: string): Uint8Array {
  const parts: Uint8Array[] = [latin1("%PDF-1.4\n")];
  let length = parts[0].length;
  const offsets: number[] = [];
  const push = (bytes: Uint8Array) => {
    parts.push(bytes);
    length += bytes.length;
  };
  objects.forEach((object, i) => {
    offsets.push(length);
    push(latin1(`${i + 1} 0 obj\n`));
    if (typeof object === "string") push(latin1(object));
    else object.forEach((piece) => push(typeof piece === "string" ? latin1(piece) : piece));
    push(latin1("\nendobj\n"));
  });
  const xref = length;
  const entries = offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("");
  push(latin1(
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}` +
      `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailer} >>\nstartxref\n${xref}\n%%EOF\n`,
  ));
  return concat(parts);
}

function padPassword(password: string): Uint8Array {
  const bytes = latin1(password).subarray(0, 32);
  const out = new Uint8Array(32);
  out.set(bytes);
  out.set(PASSWORD_PAD.subarray(0, 32 - bytes.length), bytes.length);
  return out;
}

function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = new Uint8Array(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
    out[k] = data[k] ^ s[(s[i] + s[j]) & 255];
  }
  return out;
}

function md5(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash("md5");
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

// ---------------------------------------------------------------------------------------------------------------
// A zip writer for files no library writes: entries whose headers lie, or whose data is compressed elsewhere.

/** One entry for `writeZip`. */
export interface RawZipEntry {
  name: string;
  data?: Uint8Array;
  /** Already deflated bytes (then `size` and `crc32` must be given). */
  deflated?: Uint8Array;
  size?: number;
  crc32?: number;
  store?: boolean;
  /** The uncompressed size written in both headers, whatever the data really inflates to. */
  declaredSize?: number;
}

/** Writes a zip archive (no data descriptors, no zip64), exactly as the entries say. */
export function writeZip(entries: RawZipEntry[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = encoder.encode(entry.name);
    const store = entry.store ?? false;
    const body = entry.deflated ?? (store ? entry.data! : zlib.deflateRawSync(entry.data!));
    const size = entry.declaredSize ?? entry.size ?? entry.data!.length;
    const crc = entry.crc32 ?? zlib.crc32(entry.data!);
    const header = (central: boolean) => {
      const out = new Uint8Array((central ? 46 : 30) + name.length);
      const view = new DataView(out.buffer);
      view.setUint32(0, central ? 0x02014b50 : 0x04034b50, true);
      const at = central ? 2 : 0; // central headers carry "version made by" first
      if (central) view.setUint16(4, 20, true);
      view.setUint16(4 + at, 20, true); // version needed
      view.setUint16(6 + at, 0x0800, true); // UTF-8 names
      view.setUint16(8 + at, store ? 0 : 8, true);
      view.setUint32(14 + at, crc, true);
      view.setUint32(18 + at, body.length, true);
      view.setUint32(22 + at, size, true);
      view.setUint16(26 + at, name.length, true);
      if (central) view.setUint32(42, offset, true);
      out.set(name, central ? 46 : 30);
      return out;
    };
    centrals.push(header(true));
    const local = header(false);
    locals.push(local, body);
    offset += local.length + body.length;
  }
  const directory = concat(centrals);
  const end = new Uint8Array(22);
  const view = new DataView(end.buffer);
  view.setUint32(0, 0x06054b50, true);
  view.setUint16(8, Math.min(entries.length, 0xffff), true);
  view.setUint16(10, Math.min(entries.length, 0xffff), true);
  view.setUint32(12, directory.length, true);
  view.setUint32(16, offset, true);
  return concat([...locals, directory, end]);
}

/** The entries of a zip written by a library, to rewrite with `writeZip`. */
export async function unzipEntries(bytes: Uint8Array): Promise<RawZipEntry[]> {
  const zip = await JSZip.loadAsync(bytes);
  const entries: RawZipEntry[] = [];
  for (const file of Object.values(zip.files)) {
    if (!file.dir) entries.push({ name: file.name, data: await file.async("uint8array") });
  }
  return entries;
}

/** Deflates `size` bytes of one repeated byte, streaming, so that no buffer of that size is ever allocated. */
export function deflatedRun(size: number, byte = 0x20): { deflated: Uint8Array; size: number; crc32: number } {
  const block = new Uint8Array(1024 * 1024).fill(byte);
  const parts: Uint8Array[] = [];
  let crc = 0;
  // Each block is deflated on its own and ends with a full flush (no BFINAL bit, no back-references across
  // blocks), so the concatenation is one valid deflate stream; only the last block finishes it.
  const flush = zlib.constants.Z_FULL_FLUSH;
  for (let left = size; left > 0; left -= block.length) {
    const piece = block.subarray(0, Math.min(block.length, left));
    crc = zlib.crc32(piece, crc);
    const last = left <= block.length;
    parts.push(zlib.deflateRawSync(piece, { finishFlush: last ? zlib.constants.Z_FINISH : flush }));
  }
  return { deflated: concat(parts), size, crc32: crc };
}

// ---------------------------------------------------------------------------------------------------------------
// A compound file (CFB, [MS-CFB]) writer: the container of encrypted OOXML and of legacy Office files.

/**
 * A version 3 compound file (512-byte sectors) holding the given streams in the root storage. Streams are padded
 * to 4,096 bytes so none lives in the mini stream. One FAT sector, one directory sector (at most 3 streams).
 */
export function compoundFile(streams: { name: string; data: Uint8Array }[]): Uint8Array {
  if (streams.length > 3) throw new Error("at most three streams");
  const sector = 512;
  const sized = streams.map((s) => {
    const data = new Uint8Array(Math.max(4096, Math.ceil(s.data.length / sector) * sector));
    data.set(s.data);
    return { name: s.name, data, size: Math.max(4096, s.data.length) };
  });
  const fat = new Uint32Array(sector / 4).fill(0xffffffff);
  fat[0] = 0xfffffffd; // sector 0: the FAT itself
  fat[1] = 0xfffffffe; // sector 1: the directory, one sector
  let next = 2;
  const starts: number[] = [];
  for (const stream of sized) {
    const count = stream.data.length / sector;
    starts.push(next);
    for (let i = 0; i < count; i++) fat[next + i] = i === count - 1 ? 0xfffffffe : next + i + 1;
    next += count;
  }
  const header = new Uint8Array(sector);
  const h = new DataView(header.buffer);
  header.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  h.setUint16(0x18, 0x3e, true);
  h.setUint16(0x1a, 3, true);
  h.setUint16(0x1c, 0xfffe, true);
  h.setUint16(0x1e, 9, true);
  h.setUint16(0x20, 6, true);
  h.setUint32(0x2c, 1, true); // FAT sectors
  h.setUint32(0x30, 1, true); // first directory sector
  h.setUint32(0x38, 4096, true); // mini stream cutoff
  h.setUint32(0x3c, 0xfffffffe, true); // no mini FAT
  h.setUint32(0x44, 0xfffffffe, true); // no DIFAT sectors
  for (let i = 0; i < 109; i++) h.setUint32(0x4c + i * 4, i === 0 ? 0 : 0xffffffff, true);

  const directory = new Uint8Array(sector);
  const entry = (
    index: number,
    name: string,
    type: number,
    child: number,
    right: number,
    start: number,
    size: number,
  ) => {
    const at = index * 128;
    const d = new DataView(directory.buffer, at, 128);
    for (let i = 0; i < name.length; i++) d.setUint16(i * 2, name.charCodeAt(i), true);
    d.setUint16(0x40, (name.length + 1) * 2, true);
    d.setUint8(0x42, type);
    d.setUint8(0x43, 1); // black
    d.setUint32(0x44, 0xffffffff, true); // left sibling
    d.setUint32(0x48, right, true);
    d.setUint32(0x4c, child, true);
    d.setUint32(0x74, start, true);
    d.setUint32(0x78, size, true);
  };
  // Siblings form a (degenerate, all-black) tree ordered by name length then name, as the format requires.
  const order = sized.map((_, i) => i).sort((a, b) => compareNames(sized[a].name, sized[b].name));
  entry(0, "Root Entry", 5, streams.length ? order[0] + 1 : 0xffffffff, 0xffffffff, 0xfffffffe, 0);
  order.forEach((index, position) => {
    const right = position + 1 < order.length ? order[position + 1] + 1 : 0xffffffff;
    entry(index + 1, sized[index].name, 2, 0xffffffff, right, starts[index], sized[index].size);
  });
  return concat([header, new Uint8Array(fat.buffer), directory, ...sized.map((s) => s.data)]);
}

function compareNames(a: string, b: string): number {
  return a.length - b.length || (a.toUpperCase() < b.toUpperCase() ? -1 : a.toUpperCase() > b.toUpperCase() ? 1 : 0);
}

/** The `EncryptionInfo` stream of agile encryption ([MS-OFFCRYPTO] 2.3.4.10): version 4.4 and its XML descriptor. */
export function agileEncryptionInfo(): Uint8Array {
  const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption ` +
    `xmlns="http://schemas.microsoft.com/office/2006/encryption" ` +
    `xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password"><keyData saltSize="16" ` +
    `blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" ` +
    `hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/><keyEncryptors><keyEncryptor ` +
    `uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password"><p:encryptedKey spinCount="100000" ` +
    `saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" ` +
    `cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/>` +
    `</keyEncryptor></keyEncryptors></encryption>`;
  const head = new Uint8Array(8);
  const view = new DataView(head.buffer);
  view.setUint16(0, 4, true);
  view.setUint16(2, 4, true);
  view.setUint32(4, 0x40, true);
  return concat([head, encoder.encode(xml)]);
}

// ---------------------------------------------------------------------------------------------------------------
// Large documents: text made of varied words so it compresses like prose, not like a repeated string.

const WORDS = (
  "team offsite plan budget kayak relay picnic agenda lake trail workshop feedback retro goals coffee lunch " +
  "venue travel badge schedule speaker notes slide review morning evening quarter launch design research " +
  "customer support sales ops finance people growth mentor onboarding welcome story game puzzle riddle quiz"
).split(" ");

/** Deterministic pseudo-random prose of about `chars` characters. */
export function prose(chars: number, seed = 1): string {
  let state = seed >>> 0 || 1;
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const word = WORDS[state % WORDS.length];
    parts.push(word);
    length += word.length + 1;
  }
  return parts.join(" ");
}

/** Appends a stored entry of random bytes so the archive is exactly `size` bytes (a large embedded image, say). */
export function padZipTo(entries: RawZipEntry[], size: number, name = "media/filler.bin"): Uint8Array {
  const base = writeZip(entries).length;
  const overhead = 30 + 46 + encoder.encode(name).length * 2;
  const fill = size - base - overhead;
  if (fill < 0) throw new Error(`the archive is already ${base} bytes`);
  const data = new Uint8Array(fill);
  for (let at = 0; at < fill; at += 65536) crypto.getRandomValues(data.subarray(at, Math.min(fill, at + 65536)));
  const out = writeZip([...entries, { name, data, store: true }]);
  if (out.length !== size) throw new Error(`padded to ${out.length}, not ${size}`);
  return out;
}

/**
 * A DOCX of `size` bytes: a body of `bodyChars` characters of prose in paragraphs, the rest an embedded file
 * (no padding when `size` is undefined).
 */
export async function largeDocx(size: number | undefined, bodyChars: number): Promise<Uint8Array> {
  const entries = await unzipEntries(await docxOfParagraphs(["placeholder"]));
  const document = entries.find((e) => e.name === "word/document.xml")!;
  const xml = new TextDecoder().decode(document.data);
  const paragraphs: string[] = [];
  const text = prose(bodyChars, 7);
  for (let at = 0; at < text.length; at += 600) {
    paragraphs.push(`<w:p><w:r><w:t xml:space="preserve">${text.slice(at, at + 600)}</w:t></w:r></w:p>`);
  }
  const body = xml.replace(/<w:p>.*?placeholder.*?<\/w:p>/s, paragraphs.join(""));
  document.data = encoder.encode(body);
  return size === undefined ? writeZip(entries) : padZipTo(entries, size, "word/media/filler.bin");
}

/** An XLSX of `size` bytes (or unpadded): one sheet of `rows` rows of shared strings and numbers, the rest a file. */
export async function largeXlsx(size: number | undefined, rows: number): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet("Data").addRow(["placeholder"]);
  const entries = await unzipEntries(new Uint8Array(await workbook.xlsx.writeBuffer()));
  const words = prose(rows * 40, 3).split(" ");
  const unique = [...new Set(words)];
  const index = new Map(unique.map((w, i) => [w, i]));
  const strings = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
    `${unique.map((w) => `<si><t>${w}</t></si>`).join("")}</sst>`;
  const lines: string[] = [];
  for (let r = 1; r <= rows; r++) {
    const w = words[r % words.length];
    lines.push(
      `<row r="${r}"><c r="A${r}" t="s"><v>${index.get(w)}</v></c><c r="B${r}"><v>${(r * 37.25) % 1000}</v></c>` +
        `<c r="C${r}" t="s"><v>${index.get(words[(r * 7) % words.length])}</v></c><c r="D${r}"><v>${r}</v></c></row>`,
    );
  }
  for (const entry of entries) {
    if (entry.name === "xl/sharedStrings.xml") entry.data = encoder.encode(strings);
    if (entry.name === "xl/worksheets/sheet1.xml") {
      const sheet = new TextDecoder().decode(entry.data);
      entry.data = encoder.encode(
        sheet
          .replace(/<dimension ref="[^"]*"\/>/, `<dimension ref="A1:D${rows}"/>`)
          .replace(/<sheetData>.*<\/sheetData>/s, `<sheetData>${lines.join("")}</sheetData>`),
      );
    }
  }
  if (!entries.some((e) => e.name === "xl/sharedStrings.xml")) throw new Error("exceljs wrote no shared strings");
  return size === undefined ? writeZip(entries) : padZipTo(entries, size, "xl/media/filler.bin");
}

/** A PPTX of `size` bytes (or unpadded): `slides` slides of prose written by pptxgenjs, the rest an embedded file. */
export async function largePptx(size: number | undefined, slides: number): Promise<Uint8Array> {
  const pptx = new Presentation();
  for (let n = 1; n <= slides; n++) {
    const slide = pptx.addSlide();
    slide.addText(`Slide title ${n}`, { x: 0.5, y: 0.3, w: 9, h: 0.8 });
    slide.addText(prose(900, n), { x: 0.5, y: 1.2, w: 9, h: 4 });
    slide.addNotes(prose(200, n + 1000));
  }
  const written = await pptx.write({ outputType: "uint8array" }) as Uint8Array;
  const entries = await unzipEntries(written);
  return size === undefined ? writeZip(entries) : padZipTo(entries, size, "ppt/media/filler.bin");
}

/** A PDF of `size` bytes (or unpadded): `pages` pages of prose written by pdf-lib, an attached file for the rest. */
export async function largePdf(size: number | undefined, pages: number): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    const page = document.addPage();
    const text = prose(60 * 95, n);
    for (let line = 0; line < 60; line++) {
      page.drawText(text.slice(line * 95, line * 95 + 95), { x: 30, y: 770 - line * 12.5, font, size: 9 });
    }
  }
  if (size === undefined) return await document.save();
  const base = (await document.save()).length;
  // The attachment is stored with its own overhead: aim below, then fix the size with trailing comment bytes.
  const attachment = new Uint8Array(Math.max(0, size - base - 4096));
  for (let at = 0; at < attachment.length; at += 65536) {
    crypto.getRandomValues(attachment.subarray(at, Math.min(attachment.length, at + 65536)));
  }
  await document.attach(attachment, "appendix.bin", { mimeType: "application/octet-stream" });
  const bytes = await document.save();
  if (bytes.length > size) throw new Error(`the PDF is already ${bytes.length} bytes`);
  // Bytes after %%EOF are ignored by readers; a comment line keeps the file exactly `size` long.
  const out = new Uint8Array(size);
  out.set(bytes);
  out.fill(0x25, bytes.length, bytes.length + 1);
  out.fill(0x20, bytes.length + 1);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Concatenates byte arrays. */
export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Hostile packages for the hostile set (hostile_test.ts)

/** Replaces (or adds) parts of a package written by a real writer; every part is deflated. */
export async function withParts(bytes: Uint8Array, parts: Record<string, string | Uint8Array>): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  for (const [name, content] of Object.entries(parts)) zip.file(name, content);
  return await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

/**
 * A workbook of about 50 KB whose one shared string is a million characters and whose sheet is 45,000 cells that
 * all point at it: taken at their word, 45 billion characters of text.
 */
export async function sharedStringsBomb(): Promise<Uint8Array> {
  const huge = "x".repeat(1_000_000);
  const cells = `<c t="s"><v>0</v></c>`.repeat(45_000);
  const sheet = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/` +
    `spreadsheetml/2006/main"><sheetData><row r="1">${cells}</row><row r="2">${cells.slice(0, 220)}</row>` +
    `</sheetData></worksheet>`;
  const sst = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/` +
    `2006/main" count="90000" uniqueCount="1"><si><t>${huge}</t></si></sst>`;
  return await withParts(await xlsxWorkbook(), { "xl/sharedStrings.xml": sst, "xl/worksheets/sheet1.xml": sheet });
}

/** `depth` elements `open`…`close` around `inner`. */
export function nested(open: string, close: string, depth: number, inner: string): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

/** A PDF of `pages` pages with nothing on them. */
export async function emptyPagesPdf(pages: number): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  for (let n = 1; n <= pages; n++) document.addPage();
  return await document.save();
}

/** `length` random lower-case letters: text that deflate cannot shrink much (so no ratio cap is reached). */
export function randomLetters(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(Math.min(length, 65_536)));
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(97 + (byte % 26));
  return text.repeat(Math.ceil(length / text.length)).slice(0, length);
}

// ---------------------------------------------------------------------------------------------------------------
// Text outside the main flow

const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const WORD_NS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="${REL}"`;

/**
 * A Word document written by `docx` with a header, a footer and a footnote, then given with jszip what `docx`
 * cannot write: a comment, an endnote, an HTML chunk (`altChunk`) in the body, a text box whose VML fallback
 * repeats it, a deleted revision, a field code and an image description.
 */
export async function docxWithSideParts(): Promise<Uint8Array> {
  const document = new docx.Document({
    footnotes: { 1: { children: [new docx.Paragraph("A footnote about kayaks")] } },
    sections: [{
      headers: { default: new docx.Header({ children: [new docx.Paragraph("Company header")] }) },
      footers: { default: new docx.Footer({ children: [new docx.Paragraph("Confidential footer")] }) },
      children: [
        new docx.Paragraph({ children: [new docx.TextRun("Body with a note"), new docx.FootnoteReferenceRun(1)] }),
      ],
    }],
  });
  const zip = await JSZip.loadAsync(new Uint8Array(await docx.Packer.toBuffer(document)));
  const body = await zip.file("word/document.xml")!.async("string");
  const textBox = (text: string) =>
    `<w:p><w:r><w:txbxContent><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:txbxContent></w:r></w:p>`;
  const extra = `<w:altChunk r:id="rChunk"/>` +
    `<w:p><w:r><w:t xml:space="preserve">Kept </w:t></w:r><w:del><w:r><w:delText>Deleted words</w:delText></w:r></w:del>` +
    `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE \\* MERGEFORMAT</w:instrText></w:r>` +
    `<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>` +
    `<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps">` +
    `${textBox("Boxed text")}</mc:Choice><mc:Fallback>${textBox("Boxed text")}</mc:Fallback></mc:AlternateContent>` +
    `<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">` +
    `<wp:docPr id="9" name="Picture 9" descr="A map of the lake"/></wp:inline></w:drawing></w:r></w:p>`;
  zip.file("word/document.xml", body.replace(/<w:sectPr/, `${extra}<w:sectPr`));
  zip.file(
    "word/chunk.html",
    `<html><head><title>No</title><style>p{}</style></head><body><p>Chunk &amp; paragraph</p>` +
      `<table><tr><td>Cell one</td><td>Cell two</td></tr></table></body></html>`,
  );
  zip.file(
    "word/comments.xml",
    `<w:comments ${WORD_NS}><w:comment w:id="0"><w:p><w:r><w:t>A reviewer comment</w:t></w:r></w:p></w:comment></w:comments>`,
  );
  zip.file(
    "word/endnotes.xml",
    `<w:endnotes ${WORD_NS}><w:endnote w:id="1"><w:p><w:r><w:t>An endnote at the end</w:t></w:r></w:p></w:endnote></w:endnotes>`,
  );
  const rels = await zip.file("word/_rels/document.xml.rels")!.async("string");
  zip.file(
    "word/_rels/document.xml.rels",
    rels.replace(
      "</Relationships>",
      `<Relationship Id="rChunk" Type="${REL}/aFChunk" Target="chunk.html"/>` +
        `<Relationship Id="rComments" Type="${REL}/comments" Target="comments.xml"/>` +
        `<Relationship Id="rEndnotes" Type="${REL}/endnotes" Target="endnotes.xml"/></Relationships>`,
    ),
  );
  return await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

/** `pptxReordered` with text placed on its slide layout (a non-placeholder shape) and on its slide master. */
export async function pptxWithLayoutText(): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(await pptxReordered());
  const layoutName = Object.keys(zip.files).find((name) => /^ppt\/slideLayouts\/slideLayout\d+\.xml$/.test(name))!;
  const layout = await zip.file(layoutName)!.async("string");
  zip.file(layoutName, layout.replace("</p:spTree>", `${shape(40, "Acme Corp on every slide")}</p:spTree>`));
  const master = await zip.file("ppt/slideMasters/slideMaster1.xml")!.async("string");
  zip.file(
    "ppt/slideMasters/slideMaster1.xml",
    master.replace("</p:spTree>", `${shape(41, "Master disclaimer")}</p:spTree>`),
  );
  return await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

/** A one-page PDF with a label drawn on the page and a text form field filled in with `value`. */
export async function pdfWithFilledField(value: string): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  const page = document.addPage();
  page.drawText("Team name:", { x: 50, y: 700, font, size: 12 });
  const field = document.getForm().createTextField("team");
  field.setText(value);
  field.addToPage(page, { x: 150, y: 690, width: 200, height: 24 });
  return await document.save();
}
