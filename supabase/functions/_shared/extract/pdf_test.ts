import { equal, ok, throws } from "node:assert/strict";
import { extractText } from "./mod.ts";
import { checkObjectStreams, joinItems, MAX_OBJECTS_PER_STREAM } from "./pdf.ts";
import { ExtractionError } from "./errors.ts";
import { getResolvedPDFJS } from "unpdf";
import { pdfWithFilledField } from "../../../../tests/support/extract_fixtures.ts";

const item = (str: string, x: number, y: number, width: number, hasEOL = false) => ({
  str,
  hasEOL,
  transform: [12, 0, 0, 12, x, y],
  width,
  height: 12,
});

Deno.test("PDF text items are joined by position: a line break where the baseline moves, a space at a gap", () => {
  equal(
    joinItems([item("Header", 50, 700, 40), item("Body", 50, 600, 30), item("Footer", 50, 50, 40)]),
    "Header\nBody\nFooter",
  );
  equal(joinItems([item("Hello", 50, 700, 30), item("World", 90, 700, 30)]), "Hello World", "a gap of 10 units");
  equal(joinItems([item("Hel", 50, 700, 18), item("lo", 68, 700, 12)]), "Hello", "adjacent pieces of one word");
  equal(joinItems([item("Line one", 50, 700, 40, true), item("two", 50, 686, 20)]), "Line one\ntwo");
  equal(joinItems([item("a ", 50, 700, 10), item("b", 80, 700, 6)]), "a b", "no doubled space");
  equal(joinItems([item("f", 50, 700, 12), item("ore", 59, 700, 24)]), "fore", "overlapping (kerned) pieces of a word");
  equal(
    joinItems([item("Street 10", 85, 700, 60), item("Town", 52, 700, 27)]),
    "Street 10 Town",
    "a run placed before",
  );
  equal(joinItems([item("ab", 80, 700, 20), item("cd", 60, 700, 20)]), "abcd", "touching pieces right to left");
  equal(joinItems([item("Big", 0, 700, 40), item("raised", 40, 706, 40)]), "Big\nraised", "half the height up");
  // Rotated a quarter turn: the baseline runs up the page, lines follow each other leftwards.
  const turned = (str: string, x: number, y: number, width: number) => ({
    ...item(str, x, y, width),
    transform: [0, 12, -12, 0, x, y],
  });
  equal(
    joinItems([turned("up the", 500, 100, 40), turned("page", 500, 146, 30), turned("next line", 486, 100, 50)]),
    "up the page\nnext line",
  );
});

Deno.test("a PDF's filled-in form field values are part of its text", async () => {
  const result = await extractText(await pdfWithFilledField("Blue whales"));
  ok(result.text.includes("Team name:"), result.text);
  ok(result.text.includes("Blue whales"), result.text);
});

/** A PDF whose one object stream holds `count` tiny objects (pdf.js parses a stream's objects all at once). */
function pdfWithObjectStream(
  count: number,
  dictionary = (n: number, first: number) => `/Type /ObjStm /N ${n} /First ${first}`,
) {
  const offsets: string[] = [];
  let body = "";
  for (let i = 0; i < count; i++) {
    offsets.push(`${i + 10} ${body.length}`);
    body += "<< >>\n";
  }
  const header = offsets.join(" ") + "\n";
  const stream = header + body;
  const pdf =
    `%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\n` +
    `endobj\n3 0 obj\n<< ${
      dictionary(count, header.length)
    } /Length ${stream.length} >>\nstream\n${stream}\nendstream\n` +
    `endobj\ntrailer\n<< /Root 1 0 R /Size 4 >>\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

Deno.test("a PDF packing more objects into one object stream than pdf.js can parse in budget is refused first", async () => {
  const hostile = pdfWithObjectStream(MAX_OBJECTS_PER_STREAM + 1);
  ok(hostile.length < 1_000_000);
  const error = await extractText(hostile).then(() => undefined, (e) => e);
  ok(error instanceof ExtractionError, String(error));
  equal(error.code, "limits_exceeded");
  ok(error.message.includes("object stream"), error.message);
  // The dictionary may put /N before /Type, with no spaces.
  const reordered = pdfWithObjectStream(MAX_OBJECTS_PER_STREAM + 1, (n, first) => `/N ${n}/First ${first}/Type/ObjStm`);
  throws(() => checkObjectStreams(reordered), (e) => e instanceof ExtractionError && e.code === "limits_exceeded");
  // A count given by reference names an object, not a count.
  checkObjectStreams(pdfWithObjectStream(500, (_n, first) => `/Type /ObjStm /N 12345 0 R /First ${first}`));
  // An ordinary object stream passes.
  checkObjectStreams(pdfWithObjectStream(500));
});

/** A PDF made of the given objects (numbered from 1; the first is the catalog), with a correct cross-reference table. */
function rawPdf(objects: string[]): Uint8Array {
  let body = "%PDF-1.7\n";
  const offsets: number[] = [];
  for (const [index, object] of objects.entries()) {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Root 1 0 R /Size ${objects.length + 1} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

/** A one-page PDF drawing `content` with the given fonts (`/F1 …`), and the page's annotations. */
function onePagePdf(content: string, fonts: string[], annotations: string[] = []): Uint8Array {
  const fontRefs = fonts.map((_, i) => `/F${i + 1} ${6 + i} 0 R`).join(" ");
  const annotationRefs = annotations.map((_, i) => `${6 + fonts.length + i} 0 R`).join(" ");
  return rawPdf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 400] /Resources << /Font << ${fontRefs} >> >> ` +
    `/Contents 4 0 R /Annots [${annotationRefs}] >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    "<< /Type /FontDescriptor /FontName /KozMinPr6N-Regular /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 " +
    "/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ...fonts,
    ...annotations,
  ]);
}

const HELVETICA = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";

Deno.test("text in a CJK font that uses a predefined character map (not embedded) is read with pdf.js's CMaps", async () => {
  // UniJIS-UCS2-H: two-byte UCS-2 codes; pdf.js needs the CMap file to turn them into CIDs and back to Unicode.
  const japanese = "<< /Type /Font /Subtype /Type0 /BaseFont /KozMinPr6N-Regular /Encoding /UniJIS-UCS2-H " +
    "/DescendantFonts [7 0 R] >>";
  const descendant = "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /KozMinPr6N-Regular " +
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 6 >> /FontDescriptor 5 0 R >>";
  const result = await extractText(onePagePdf("BT /F1 24 Tf 40 300 Td <3042304430463048304A> Tj ET", [
    japanese,
    descendant,
  ]));
  equal(result.text.replace(/\s/g, ""), "あいうえお");
  equal(result.truncated, false);
});

Deno.test("a PDF's comments are read once, hidden ones not, and its links add nothing", async () => {
  const comment = "<< /Type /Annot /Subtype /Text /Rect [300 300 320 320] /Contents (Bring snacks for the team) >>";
  const link = "<< /Type /Annot /Subtype /Link /Rect [40 290 200 320] /A << /S /URI /URI (https://example.com) >> >>";
  const note = "<< /Type /Annot /Subtype /FreeText /Rect [40 100 300 140] /DA (/Helv 12 Tf 0 g) " +
    "/Contents (Meet at the north gate) >>";
  const hidden = "<< /Type /Annot /Subtype /Text /F 2 /Rect [300 300 320 320] /Contents (Hidden draft remark) >>";
  const result = await extractText(
    onePagePdf("BT /F1 24 Tf 40 300 Td (Team day agenda) Tj ET", [HELVETICA], [comment, link, note, hidden]),
  );
  equal(result.text, "Team day agenda\n\nBring snacks for the team\nMeet at the north gate");
});

Deno.test("text drawn twice on itself is read once; a sub- or superscript is its own word; a caption under a heading is its own line", () => {
  const sized = (str: string, x: number, y: number, width: number, size: number) => ({
    str,
    hasEOL: false,
    transform: [size, 0, 0, size, x, y],
    width,
    height: size,
  });
  // Overprinted (a stamp repeated on one spot, or simulated bold), then the next line.
  equal(
    joinItems([item("DRAFT", 50, 700, 40), item("DRAFT", 50, 700, 40), item("DRAFT", 50.4, 700.2, 40)]),
    "DRAFT",
  );
  equal(joinItems([item("firm", 50, 700, 30), item("firm", 50.5, 700, 30), item("name", 90, 700, 30)]), "firm name");
  // k with subscript A, then back on the baseline; E = mc with a raised 2.
  equal(
    joinItems([sized("k", 50, 700, 6, 9), sized("A", 56, 696.6, 4, 6), sized(", e", 60, 700, 12, 9)]),
    "k A , e",
  );
  equal(
    joinItems([item("E = mc", 50, 700, 40), sized("2", 90, 705, 5, 7), item("holds", 100, 700, 30)]),
    "E = mc 2 holds",
  );
  // A run set smaller and a little higher beside a larger one, touching it.
  equal(joinItems([sized("Lorem ipsum", 0, 0, 282, 33), sized("dolor sit", 282, 10, 80, 18)]), "Lorem ipsum dolor sit");
  // A small label whose band lies wholly below a large heading's baseline, starting at the heading's left edge.
  equal(joinItems([sized("Arial font", 70, 744, 103, 28), sized("5", 70, 732, 3, 5)]), "Arial font\n5");
  // Pieces of one word in one size on one baseline still join.
  equal(joinItems([item("Hel", 50, 700, 18), item("lo", 68, 700, 12)]), "Hello");
});

Deno.test("the shipped pdf.js data files come from the pdf.js inside unpdf (refresh them on upgrade: pdfjs/README.md)", async () => {
  const { version } = await getResolvedPDFJS();
  equal(version, "6.1.200");
  const readme = await Deno.readTextFile(new URL("./pdfjs/README.md", import.meta.url));
  ok(readme.includes(`(${version} for`), "pdfjs/README.md names another version");
});
