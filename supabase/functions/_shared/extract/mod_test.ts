import { deepEqual, equal, match, ok } from "node:assert/strict";
import JSZip from "jszip";
import { getDocumentProxy } from "unpdf";
import { ExtractionError, type ExtractionResult, extractText, MIME_TYPES, sniffFormat } from "./mod.ts";
import {
  agileEncryptionInfo,
  compoundFile,
  deflatedRun,
  docxOfParagraphs,
  docxWithSideParts,
  docxWithTableListLink,
  encryptedPdf,
  largeDocx,
  largePdf,
  largePptx,
  largeXlsx,
  pdfOfPages,
  pptxReordered,
  pptxWithLayoutText,
  prose,
  TEN_MB,
  unzipEntries,
  writeZip,
  xlsxWorkbook,
} from "../../../../tests/support/extract_fixtures.ts";

const MB = 1024 * 1024;

/** Extracts and checks what every result must satisfy: the cap, the deadline, the reported length. */
async function extract(bytes: Uint8Array, options: Parameters<typeof extractText>[1] = {}): Promise<ExtractionResult> {
  const result = await extractText(bytes, options);
  ok(result.text.length <= Math.min(options.maxChars ?? 200_000, 200_000), "never more than maxChars");
  equal(result.chars, result.text.length);
  equal(result.truncated, result.truncatedBy !== undefined);
  return result;
}

/** Runs an extraction expected to fail; returns the error, its elapsed time and the RSS growth it caused. */
async function failure(bytes: Uint8Array, options: Parameters<typeof extractText>[1] = {}) {
  const rss = Deno.memoryUsage().rss;
  try {
    const result = await extractText(bytes, options);
    throw new Error(`expected an ExtractionError, got ${result.format} text: ${result.text.slice(0, 80)}`);
  } catch (error) {
    ok(error instanceof ExtractionError, String(error));
    // Messages are shown to people as the material's error: sentence case, a colon before the detail, no period.
    match(error.message, /^Cannot extract text: [a-z]/);
    ok(!error.message.endsWith("."), error.message);
    return { error, rssGrowth: Deno.memoryUsage().rss - rss };
  }
}

async function rewriteZip(bytes: Uint8Array, edit: (zip: JSZip) => void | Promise<void>): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  await edit(zip);
  return await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
}

// ---------------------------------------------------------------------------------------------------------------
// Formats

Deno.test("a DOCX yields its heading, paragraphs, list items, table rows and hyperlink text in order", async () => {
  const bytes = await docxWithTableListLink();
  equal(sniffFormat(bytes), "docx");
  const result = await extract(bytes, { filename: "plan.docx" });
  equal(result.format, "docx");
  equal(result.truncated, false);
  equal(
    result.text,
    "Offsite plan\n\nWe meet on Friday at the lake.\n\nBring sunscreen\n\nBring a towel\n\n" +
      "Activity\tMinutes\nKayak relay\t45\n\nDirections are on the lake's page.",
  );
});

Deno.test("a PPTX yields its slides in presentation order, not file order, with tables, groups and notes", async () => {
  const bytes = await pptxReordered();
  equal(sniffFormat(bytes), "pptx");
  const result = await extract(bytes);
  equal(result.format, "pptx");
  equal(result.slides, 3);
  equal(
    result.text,
    "# Slide 1\nWrap-up\nGrouped one\nGrouped two\n\n" +
      "# Slide 2\nWelcome\n\nNotes: Smile and introduce yourself\n\n" +
      "# Slide 3\nAgenda\nTime\tActivity\n09:00\tKayak relay\n11:00\tPicnic\n\nNotes: Keep it short",
  );
});

Deno.test("an XLSX yields every sheet by name, in workbook order, with every kind of cell as text", async () => {
  const bytes = await xlsxWorkbook();
  equal(sniffFormat(bytes), "xlsx");
  const result = await extract(bytes);
  equal(result.format, "xlsx");
  equal(result.sheets, 3);
  const [notes, budget, empty] = result.text.split("\n\n");
  // Rich text runs joined; a gap of one empty column keeps the far cell in its column.
  equal(notes, "# Sheet: Notes\nBold and plain\n\t\tFar cell");
  equal(
    budget,
    "# Sheet: Budget\nItem\tCost\tPaid\tWhen\n" +
      "Venue\t120.5\tTRUE\t2026-03-14\n" + // number, boolean, date (a date style on a serial)
      "Food\t0.3\tFALSE\n" + // 0.1 + 0.2 shown as Excel shows it
      "Total x2\t241\n" + // a formula's cached value
      // An empty <si/> keeps its index (A6 is empty, B6 is the next string), the phonetic run is skipped,
      // and inline strings, plain and rich, are read.
      "\t東京\tInline & direct\tRich inline",
  );
  equal(empty, "# Sheet: Empty");
});

Deno.test("a multi-page PDF yields every page in order", async () => {
  const bytes = await pdfOfPages(3);
  equal(sniffFormat(bytes), "pdf");
  const result = await extract(bytes);
  equal(result.format, "pdf");
  equal(result.pages, 3);
  equal(
    result.text,
    "Page 1 of 3\nLine for page 1\n\nPage 2 of 3\nLine for page 2\n\nPage 3 of 3\nLine for page 3",
  );
});

Deno.test("a password-protected PDF is encrypted; one restricted only by an owner password is read", async () => {
  const locked = encryptedPdf("secret", "owner", "Quarterly offsite");
  // The fixture is a real encrypted PDF: pdf.js opens it with the password and reads the text.
  const opened = await getDocumentProxy(locked.slice(), { password: "secret", verbosity: 0 });
  const content = await (await opened.getPage(1)).getTextContent();
  deepEqual(content.items.map((item) => "str" in item ? item.str : ""), ["Quarterly offsite"]);
  await opened.loadingTask.destroy();

  const { error } = await failure(locked);
  equal(error.code, "encrypted");
  equal(error.message, "Cannot extract text: the PDF is password-protected");

  const restricted = await extract(encryptedPdf("", "owner", "Open to read"));
  equal(restricted.text, "Open to read");
});

Deno.test("a truncated PDF is corrupt", async () => {
  const bytes = await pdfOfPages(5);
  for (const fraction of [0.9, 0.5, 0.1]) {
    const { error } = await failure(bytes.slice(0, Math.floor(bytes.length * fraction)));
    equal(error.code, "corrupt", `cut at ${fraction}`);
    equal(error.message, "Cannot extract text: the PDF is damaged or incomplete");
  }
});

Deno.test("a truncated DOCX is corrupt, a zip that is not OOXML and a macro-enabled workbook are unsupported", async () => {
  const document = await docxWithTableListLink();
  equal((await failure(document.slice(0, document.length - 100))).error.code, "corrupt");

  const plain = new JSZip();
  plain.file("notes.txt", "hello");
  const zip = await plain.generateAsync({ type: "uint8array" });
  equal(sniffFormat(zip), null);
  equal((await failure(zip)).error.code, "unsupported_type");

  const macros = await rewriteZip(await xlsxWorkbook(), async (zip) => {
    const types = await zip.file("[Content_Types].xml")!.async("string");
    zip.file(
      "[Content_Types].xml",
      types.replace("spreadsheetml.sheet.main+xml", "x").replace(
        "application/vnd.openxmlformats-officedocument.x",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
      ),
    );
  });
  equal(sniffFormat(macros), null);
  const { error } = await failure(macros);
  equal(error.code, "unsupported_type");
  equal(
    error.message,
    "Cannot extract text: the file is a macro-enabled workbook (.xlsm); save it as DOCX, PPTX or XLSX",
  );
});

// ---------------------------------------------------------------------------------------------------------------
// Hostile and unusable files

Deno.test("a zip bomb entry in a part that is read is refused before it is inflated", async () => {
  const entries = await unzipEntries(await docxOfParagraphs(["Hello"]));
  const bomb = deflatedRun(200 * MB); // 200 MB of spaces in ~200 KB: a ratio near 1000:1
  const bytes = writeZip(entries.map((e) => e.name === "word/document.xml" ? { name: e.name, ...bomb } : e));
  equal(sniffFormat(bytes), "docx");
  const { error, rssGrowth } = await failure(bytes);
  equal(error.code, "limits_exceeded");
  equal(error.message, "Cannot extract text: a part expands more than 200 times its compressed size");
  ok(rssGrowth < 32 * MB, `rss grew ${rssGrowth}`);
});

Deno.test("a zip bomb entry in a part that is not needed is never inflated", async () => {
  const entries = await unzipEntries(await docxOfParagraphs(["Hello"]));
  const bytes = writeZip([...entries, { name: "word/media/image1.png", ...deflatedRun(200 * MB) }]);
  const result = await extract(bytes);
  equal(result.text, "Hello");
});

Deno.test("a zip whose headers declare a small size but whose data inflates to 1 GB stops at the declared size", async () => {
  const entries = await unzipEntries(await docxOfParagraphs(["Hello"]));
  const run = deflatedRun(1024 * MB);
  // Both declared sizes are within every cap; only counting the inflated bytes catches the lie: read whole
  // (a small declared size) and streamed (a declared size large enough for the body to be streamed).
  for (const declaredSize of [4096, 5 * MB]) {
    const bytes = writeZip(
      entries.map((e) => e.name === "word/document.xml" ? { name: e.name, ...run, declaredSize } : e),
    );
    const { error, rssGrowth } = await failure(bytes);
    equal(error.code, "limits_exceeded", `declared ${declaredSize}`);
    equal(error.message, "Cannot extract text: a part expands beyond the size its zip header declares");
    ok(rssGrowth < 64 * MB, `rss grew ${rssGrowth}`);
  }
});

Deno.test("a zip of 10,000 entries is refused from its directory alone", async () => {
  const zip = await JSZip.loadAsync(await docxOfParagraphs(["Hello"]));
  for (let i = 0; i < 10_000; i++) zip.file(`word/media/p${i}.txt`, "");
  const bytes = await zip.generateAsync({ type: "uint8array", compression: "STORE" });
  const { error } = await failure(bytes);
  equal(error.code, "limits_exceeded");
  match(error.message, /^Cannot extract text: the archive has 10,0\d\d parts, more than the limit of 5,000$/);
});

Deno.test("XML that declares entities (an entity expansion bomb) is refused in every format", async () => {
  const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">` +
    Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ""};`.repeat(10)}">`).join("") + `]>`;
  const cases: [string, Uint8Array][] = [
    [
      "docx body",
      await rewriteZip(await docxOfParagraphs(["Hello"]), (zip) => {
        zip.file(
          "word/document.xml",
          `${laughs}<w:document><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>`,
        );
      }),
    ],
    [
      "pptx slide",
      await rewriteZip(await pptxReordered(), (zip) => {
        zip.file("ppt/slides/slide1.xml", `${laughs}<p:sld><p:cSld><p:spTree/></p:cSld></p:sld>`);
      }),
    ],
    [
      "xlsx shared strings (streamed)",
      await rewriteZip(await xlsxWorkbook(), (zip) => {
        zip.file("xl/sharedStrings.xml", `${laughs}<sst><si><t>&lol9;</t></si></sst>`);
      }),
    ],
    [
      "content types",
      await rewriteZip(await docxOfParagraphs(["Hello"]), async (zip) => {
        const types = await zip.file("[Content_Types].xml")!.async("string");
        zip.file("[Content_Types].xml", types.replace(/^<\?xml[^>]*\?>/, laughs));
      }),
    ],
  ];
  for (const [label, bytes] of cases) {
    const { error } = await failure(bytes);
    equal(error.code, "limits_exceeded", label);
    equal(
      error.message,
      "Cannot extract text: the file's XML declares a document type or entities, which is not allowed",
    );
  }
});

Deno.test("an encrypted OOXML file (an OLE container) is encrypted; a legacy Office file is unsupported", async () => {
  const encrypted = compoundFile([
    { name: "EncryptionInfo", data: agileEncryptionInfo() },
    { name: "EncryptedPackage", data: crypto.getRandomValues(new Uint8Array(8192)) },
  ]);
  equal(sniffFormat(encrypted), "ole");
  const locked = await failure(encrypted, { filename: "budget.xlsx" });
  equal(locked.error.code, "encrypted");
  equal(
    locked.error.message,
    "Cannot extract text: the file is password-protected; remove the password and upload it again",
  );

  const legacy = compoundFile([{ name: "WordDocument", data: new Uint8Array(4096) }]);
  equal(sniffFormat(legacy), "ole");
  const old = await failure(legacy, { filename: "plan.docx" });
  equal(old.error.code, "unsupported_type");
  equal(
    old.error.message,
    "Cannot extract text: legacy Office files (.doc, .xls, .ppt) are not supported; save the file as DOCX, XLSX or PPTX",
  );
});

Deno.test("an executable named .pdf is unsupported, whatever its name says", async () => {
  const elf = Uint8Array.of(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Uint8Array(4088));
  const exe = Uint8Array.of(0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, ...new Uint8Array(4088));
  for (const bytes of [elf, exe]) {
    equal(sniffFormat(bytes), null);
    const { error } = await failure(bytes, { filename: "report.pdf" });
    equal(error.code, "unsupported_type");
    equal(error.message, "Cannot extract text: the file is not a PDF, DOCX, PPTX or XLSX document");
  }
});

Deno.test("an empty file is corrupt", async () => {
  equal(sniffFormat(new Uint8Array()), null);
  const { error } = await failure(new Uint8Array(), { filename: "empty.pdf" });
  equal(error.code, "corrupt");
  equal(error.message, "Cannot extract text: the file is empty");
});

Deno.test("10 MB + 1 byte documents of each format are cut at the cap, within the deadline and memory", async () => {
  const size = TEN_MB + 1;
  const files: [string, Uint8Array][] = [
    ["docx", await largeDocx(size, 3_000_000)],
    ["xlsx", await largeXlsx(size, 40_000)],
    ["pptx", await largePptx(size, 250)],
    ["pdf", await largePdf(size, 250)],
  ];
  for (const [format, bytes] of files) {
    equal(bytes.length, size);
    equal(sniffFormat(bytes), format);
    const rss = Deno.memoryUsage().rss;
    const result = await extract(bytes);
    const growth = Deno.memoryUsage().rss - rss;
    equal(result.format, format);
    equal(result.truncated, true, format);
    ok(result.text.length > 50_000, `${format}: ${result.text.length} chars`);
    // The deadline is checked between units; one unit may run past it, never the 2 s of CPU an edge function has.
    ok(result.elapsedMs < 2000, `${format}: ${result.elapsedMs} ms`);
    ok(growth < 160 * MB, `${format}: rss grew ${Math.round(growth / MB)} MB`);
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Caps and options

Deno.test("maxChars cuts the text in every format and marks it truncated; it never exceeds 200,000", async () => {
  const files: [string, Uint8Array][] = [
    ["docx", await docxWithTableListLink()],
    ["pptx", await pptxReordered()],
    ["xlsx", await xlsxWorkbook()],
    ["pdf", await pdfOfPages(3)],
  ];
  for (const [format, bytes] of files) {
    const full = await extract(bytes);
    const cut = await extract(bytes, { maxChars: 40 });
    equal(cut.truncated, true, format);
    equal(cut.truncatedBy, "max_chars");
    ok(cut.text.length <= 40 && cut.text.length > 20, `${format}: ${JSON.stringify(cut.text)}`);
    ok(full.text.startsWith(cut.text.trimEnd()), format);
    equal((await extract(bytes, { maxChars: full.text.length })).truncated, false, `${format} fits exactly`);
  }
  const big = await docxOfParagraphs(Array.from({ length: 800 }, (_, i) => `Paragraph ${i} `.padEnd(400, "x")));
  const capped = await extract(big, { maxChars: 1_000_000 });
  equal(capped.text.length, 200_000);
  equal(capped.truncated, true);
});

Deno.test("a long DOCX body is cut once its text passes the cap, even inside one huge paragraph", async () => {
  const bytes = await docxOfParagraphs(["Opening line", prose(2_000_000)]);
  const result = await extract(bytes);
  equal(result.text.length, 200_000);
  equal(result.truncatedBy, "max_chars");
  ok(result.text.startsWith(`Opening line\n\n${prose(1000).slice(0, 100)}`));
});

Deno.test("a deadline stops extraction between units and returns what was read", async () => {
  const bytes = await largePptx(undefined, 150);
  const full = await extract(bytes, { deadlineMs: 60_000 });
  equal(full.truncated, false);
  // 150 slides take well over a millisecond to read (opening the package alone does).
  const result = await extract(bytes, { deadlineMs: 1 });
  equal(result.truncated, true);
  equal(result.truncatedBy, "deadline");
  ok(result.text.length < full.text.length, `${result.text.length} of ${full.text.length}`);
  ok(full.text.startsWith(result.text), "what was read comes first");
  ok(result.elapsedMs < 1000, `${result.elapsedMs} ms`);
});

Deno.test("text is storable: no NUL or control characters, no lone surrogates", async () => {
  const bytes = await rewriteZip(await xlsxWorkbook(), async (zip) => {
    const sheet = await zip.file("xl/worksheets/sheet3.xml")!.async("string");
    const row = `<row r="1"><c r="A1" t="inlineStr"><is><t>a&#0;b_x0000_c\u0001d&#xD83D;e_x000D_f</t></is></c></row>`;
    zip.file(
      "xl/worksheets/sheet3.xml",
      sheet.replace(/<sheetData\/>|<sheetData><\/sheetData>/, `<sheetData>${row}</sheetData>`),
    );
  });
  const result = await extract(bytes);
  ok(result.text.endsWith("# Sheet: Empty\nabcd\uFFFDe f"), JSON.stringify(result.text.slice(-30)));
});

Deno.test("MIME_TYPES are the canonical types", () => {
  deepEqual(MIME_TYPES, {
    pdf: "application/pdf",
    docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  });
});

Deno.test("a DOCX also yields its altChunk, text box (once), headers, footers, notes, comments and image descriptions", async () => {
  const result = await extract(await docxWithSideParts());
  const text = result.text;
  for (
    const expected of [
      "Body with a note",
      "Chunk & paragraph",
      "Cell one\tCell two",
      "Kept 7",
      "[Image: A map of the lake]",
      "Company header",
      "Confidential footer",
      "A footnote about kayaks",
      "An endnote at the end",
      "A reviewer comment",
    ]
  ) ok(text.includes(expected), `${expected} in ${JSON.stringify(text)}`);
  equal(text.match(/Boxed text/g)?.length, 1, "a text box and its fallback count once");
  for (const absent of ["Deleted words", "PAGE", "MERGEFORMAT", "No", "p{}"]) {
    ok(!text.split(/\W+/).includes(absent), `${absent} in ${JSON.stringify(text)}`);
  }
  ok(text.indexOf("Body with a note") < text.indexOf("Company header"), "the body comes first");
});

Deno.test("a PPTX also yields text placed on its layouts and master, once, after the slides", async () => {
  const result = await extract(await pptxWithLayoutText());
  const text = result.text;
  ok(text.startsWith("# Slide 1\nWrap-up"), text);
  equal(text.match(/Acme Corp on every slide/g)?.length, 1);
  equal(text.match(/Master disclaimer/g)?.length, 1);
  ok(!/Click to edit/i.test(text), "placeholder prompts are not text");
  ok(text.indexOf("# Slide 3") < text.indexOf("Acme Corp"));
});

Deno.test("package XML with white space around attributes' = signs and single quotes is read", async () => {
  const bytes = await rewriteZip(await docxOfParagraphs(["Spaced out"]), async (zip) => {
    const types = await zip.file("[Content_Types].xml")!.async("string");
    zip.file("[Content_Types].xml", types.replace(/ContentType="([^"]*)"/g, "ContentType =\n  '$1'"));
    const rels = await zip.file("_rels/.rels")!.async("string");
    zip.file("_rels/.rels", rels.replace(/Target="([^"]*)"/g, 'Target\n= "$1"'));
  });
  equal((await extract(bytes)).text, "Spaced out");
});
