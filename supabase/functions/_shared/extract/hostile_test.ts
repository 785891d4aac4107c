/**
 * The hostile set: files made to exhaust memory or time. Each must end in text (marked partial when a cap was
 * reached) or in an `ExtractionError` with a code, with bounded output. Budgets are asserted through outcomes
 * (codes, partial flags, lengths), never through timings; the CPU figures are in bench/RESULTS.md.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import JSZip from "jszip";
import { ExtractionError, type ExtractionResult, extractText } from "./mod.ts";
import {
  deflatedRun,
  docxOfParagraphs,
  docxWithSideParts,
  emptyPagesPdf,
  nested,
  pdfOfPages,
  pptxReordered,
  randomLetters,
  sharedStringsBomb,
  unzipEntries,
  withParts,
  writeZip,
  xlsxWorkbook,
} from "../../../../tests/support/extract_fixtures.ts";

const MB = 1024 * 1024;
const W = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`;

/** Text (checked against the cap) or a coded error; anything else fails the test. */
async function outcome(bytes: Uint8Array): Promise<ExtractionResult | ExtractionError> {
  try {
    const result = await extractText(bytes);
    ok(result.text.length <= 200_000);
    equal(result.chars, result.text.length);
    equal(result.truncated, result.truncatedBy !== undefined);
    return result;
  } catch (error) {
    ok(error instanceof ExtractionError, `an uncoded failure: ${error}`);
    return error;
  }
}

function isText(value: ExtractionResult | ExtractionError): value is ExtractionResult {
  return !(value instanceof ExtractionError);
}

Deno.test("a shared-strings expansion (one 1 MB string in 45,000 cells) ends as partial text at the cap", async () => {
  const bytes = await sharedStringsBomb();
  ok(bytes.length < 100 * 1024, `${bytes.length} bytes`);
  const result = await outcome(bytes);
  ok(isText(result), String(result));
  equal(result.truncated, true);
  equal(result.text.length, 200_000);
  ok(result.text.includes("x".repeat(30_000)), "the cells' text, each cut at Excel's 32,767 characters");
  ok(!result.text.includes("x".repeat(32_768)));
});

Deno.test("a shared-strings table past the memory cap marks the text partial (size_limit)", async () => {
  // 24 MB of distinct 32,000-character strings, the last one referenced first: all must be read to reach it.
  const count = 750;
  const letters = randomLetters(32_000 + count);
  const strings = Array.from({ length: count }, (_, i) => `<si><t>${letters.slice(i, i + 32_000)}</t></si>`);
  const sheet = `<worksheet><sheetData><row r="1"><c t="s"><v>${count - 1}</v></c></row></sheetData></worksheet>`;
  const bytes = await withParts(await xlsxWorkbook(), {
    "xl/sharedStrings.xml": `<sst>${strings.join("")}</sst>`,
    "xl/worksheets/sheet1.xml": sheet,
  });
  const result = await outcome(bytes);
  ok(isText(result), String(result));
  equal(result.truncatedBy, "size_limit");
});

Deno.test("deep nesting ends in text or limits_exceeded in every format, never a stack overflow", async () => {
  // As deep as a part may be without passing the 200:1 compression ratio cap (1 MB).
  const depth = 50_000;
  const docx = await withParts(await docxOfParagraphs(["Hello"]), {
    "word/document.xml": `<w:document ${W}><w:body>${
      nested("<w:sdt>", "</w:sdt>", depth, "<w:p><w:r><w:t>Deep</w:t></w:r></w:p>")
    }</w:body></w:document>`,
  });
  const deepDocx = await outcome(docx);
  ok(isText(deepDocx), String(deepDocx));
  equal(deepDocx.text, "Deep");

  const pptx = await withParts(await pptxReordered(), {
    "ppt/slides/slide1.xml": `<p:sld xmlns:p="p" xmlns:a="a"><p:cSld><p:spTree>${
      nested("<p:grpSp>", "</p:grpSp>", depth, "")
    }</p:spTree></p:cSld></p:sld>`,
  });
  const xlsx = await withParts(await xlsxWorkbook(), {
    "xl/worksheets/sheet1.xml": `<worksheet><sheetData><row r="1"><c t="inlineStr"><is>${
      nested("<r>", "</r>", depth, "<t>Deep</t>")
    }</is></c></row></sheetData></worksheet>`,
    "xl/styles.xml": `<styleSheet>${nested("<x>", "</x>", depth, "")}</styleSheet>`,
  });
  for (const [label, bytes] of [["pptx", pptx], ["xlsx", xlsx]] as const) {
    const result = await outcome(bytes);
    if (!isText(result)) equal(result.code, "limits_exceeded", `${label}: ${result.message}`);
  }
});

Deno.test("a package of 4,900 tiny parts is read (or cut at the deadline), never more", async () => {
  const zip = await JSZip.loadAsync(await docxOfParagraphs(["Body text"]));
  const document = await zip.file("word/document.xml")!.async("string");
  const rels = await zip.file("word/_rels/document.xml.rels")!.async("string");
  const headers: string[] = [];
  for (let i = 0; i < 2_400; i++) {
    zip.file(`word/header${i}.xml`, `<w:hdr ${W}><w:p><w:r><w:t>Header ${i % 10}</w:t></w:r></w:p></w:hdr>`);
    zip.file(`word/media/dot${i}.txt`, "");
    headers.push(
      `<Relationship Id="rH${i}" Target="header${i}.xml" ` +
        `Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"/>`,
    );
  }
  zip.file("word/_rels/document.xml.rels", rels.replace("</Relationships>", `${headers.join("")}</Relationships>`));
  zip.file("word/document.xml", document);
  const bytes = await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
  const result = await outcome(bytes);
  ok(isText(result), String(result));
  ok(result.text.startsWith("Body text"));
  // A header repeated on many pages is kept once.
  if (!result.truncated) equal(result.text.match(/Header 3\b/g)?.length, 1);
  else equal(result.truncatedBy, "deadline");
});

Deno.test("zip bombs: a part that declares its real size is refused; one that lies stops at its declared size", async () => {
  const entries = await unzipEntries(await xlsxWorkbook());
  const honest = deflatedRun(300 * MB);
  const refused = await outcome(
    writeZip(entries.map((e) => e.name === "xl/sharedStrings.xml" ? { name: e.name, ...honest } : e)),
  );
  ok(!isText(refused));
  equal(refused.code, "limits_exceeded");
  const lying = await outcome(
    writeZip(
      entries.map((e) => e.name === "xl/worksheets/sheet1.xml" ? { name: e.name, ...honest, declaredSize: MB } : e),
    ),
  );
  ok(!isText(lying));
  equal(lying.code, "limits_exceeded");
});

Deno.test("an unterminated tag or a text run of many megabytes ends in a code or partial text", async () => {
  const docx = await docxOfParagraphs(["Hello"]);
  const open = await outcome(
    await withParts(docx, { "word/document.xml": `<w:document ${W}><w:t a="${randomLetters(9 * MB)}` }),
  );
  ok(!isText(open));
  equal(open.code, "limits_exceeded");
  const run = await outcome(
    await withParts(docx, {
      "word/document.xml": `<w:document ${W}><w:body><w:p><w:r><w:t>${randomLetters(2 * MB)} end`,
    }),
  );
  ok(isText(run), String(run));
  equal(run.truncatedBy, "max_chars");
});

Deno.test("truncated files of every format are corrupt", async () => {
  const files = {
    docx: await docxOfParagraphs(["Hello"]),
    pptx: await pptxReordered(),
    xlsx: await xlsxWorkbook(),
    pdf: await pdfOfPages(3),
  };
  for (const [format, bytes] of Object.entries(files)) {
    const result = await outcome(bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    ok(!isText(result), `${format} read from 60% of its bytes`);
    equal(result.code, "corrupt", format);
  }
});

Deno.test("a PDF of 3,000 empty pages ends with no text, or partial at the deadline", async () => {
  const result = await outcome(await emptyPagesPdf(3_000));
  ok(isText(result), String(result));
  equal(result.text, "");
  equal(result.pages, 3_000);
  if (result.truncated) equal(result.truncatedBy, "deadline");
});

Deno.test("garbage behind valid magic numbers is corrupt, in every format", async () => {
  const noise = crypto.getRandomValues(new Uint8Array(64 * 1024));
  const magic = { pdf: "%PDF-1.7\n", zip: "PK\x03\x04" };
  for (const [label, prefix] of Object.entries(magic)) {
    const bytes = new Uint8Array([...new TextEncoder().encode(prefix), ...noise]);
    const result = await outcome(bytes);
    ok(!isText(result) || result.text.length < 1000, `${label} gave text`);
    if (!isText(result)) deepEqual([label, result.code], [label, label === "pdf" ? "corrupt" : "corrupt"]);
  }
});

Deno.test("a huge footnotes part (held whole to be compared) is held only up to the cap", async () => {
  const letters = randomLetters(3 * MB);
  const paragraphs = Array.from(
    { length: 300 },
    (_, i) => `<w:p><w:r><w:t>${letters.slice(i * 10_000, (i + 1) * 10_000)}</w:t></w:r></w:p>`,
  );
  const zip = await JSZip.loadAsync(await docxOfParagraphs(["Body"]));
  zip.file(
    "word/footnotes.xml",
    `<w:footnotes ${W}><w:footnote w:id="1">${paragraphs.join("")}</w:footnote></w:footnotes>`,
  );
  const rels = await zip.file("word/_rels/document.xml.rels")!.async("string");
  zip.file(
    "word/_rels/document.xml.rels",
    rels.replace(
      "</Relationships>",
      `<Relationship Id="rF" Target="footnotes.xml" ` +
        `Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"/></Relationships>`,
    ),
  );
  const result = await outcome(await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" }));
  ok(isText(result), String(result));
  equal(result.truncatedBy, "max_chars");
  equal(result.text.length, 200_000);
  ok(result.text.startsWith("Body\n\n"));
});

Deno.test("an embedded HTML chunk of 200,000 unclosed <script> tags is read in one pass", async () => {
  const letters = randomLetters(800_000);
  const scripts = Array.from({ length: 200_000 }, (_, i) => `<script>${letters.slice(i * 4, i * 4 + 4)}`).join("");
  const bytes = await withParts(await docxWithSideParts(), {
    "word/chunk.html": `<html><body><p>Before</p>${scripts}</body></html>`,
  });
  const result = await outcome(bytes);
  ok(isText(result), String(result));
  ok(result.text.includes("Before"));
  ok(!result.text.includes("<script"));
});
