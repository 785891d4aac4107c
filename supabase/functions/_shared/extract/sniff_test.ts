import { equal } from "node:assert/strict";
import JSZip from "jszip";
import { extractText } from "./mod.ts";
import { sniffFormat } from "./sniff.ts";
import { docxOfParagraphs, pdfOfPages, unzipEntries, writeZip } from "../../../../tests/support/extract_fixtures.ts";

const encoder = new TextEncoder();

Deno.test("the format comes from the content types, not from the part names", async () => {
  const zip = await JSZip.loadAsync(await docxOfParagraphs(["Hello"]));
  const types = await zip.file("[Content_Types].xml")!.async("string");
  // A package whose main part is declared a presentation is read as one, whatever its folder is called.
  zip.file(
    "[Content_Types].xml",
    types.replace("wordprocessingml.document.main+xml", "presentationml.presentation.main+xml"),
  );
  equal(sniffFormat(await zip.generateAsync({ type: "uint8array" })), "pptx");
});

Deno.test("a damaged content types part falls back to the part names, so the upload can call it damaged, not foreign", async () => {
  const entries = await unzipEntries(await docxOfParagraphs(["Hello"]));
  const broken = entries.map((e) =>
    e.name === "[Content_Types].xml" ? { ...e, deflated: new Uint8Array([1, 2, 3, 4]), size: e.data!.length } : e
  );
  const bytes = writeZip(broken);
  equal(sniffFormat(bytes), "docx");
  await extractText(bytes).then(
    () => Promise.reject(new Error("expected corrupt")),
    (error) => equal(error.code, "corrupt"),
  );
});

Deno.test("a PDF header is found within the first kilobyte, and only there", async () => {
  const pdf = await pdfOfPages(1);
  const withJunk = (junk: number) => new Uint8Array([...new Uint8Array(junk).fill(0x20), ...pdf]);
  equal(sniffFormat(withJunk(500)), "pdf");
  equal(sniffFormat(withJunk(2000)), null);
  equal((await extractText(withJunk(500))).text, "Page 1 of 1\nLine for page 1");
});

Deno.test("a zip that carries a PDF header in its first bytes is still a zip (and not an OOXML one)", () => {
  const polyglot = writeZip([{ name: "%PDF-1.7.txt", data: encoder.encode("%PDF-1.7") }]);
  equal(sniffFormat(polyglot), null);
});

Deno.test("sniffing a 10,000-entry archive and short or random bytes finds no format", () => {
  const many = writeZip(
    Array.from({ length: 10_000 }, (_, i) => ({ name: `f${i}`, data: new Uint8Array(0), store: true })),
  );
  equal(sniffFormat(many), null);
  equal(sniffFormat(Uint8Array.of(0x50, 0x4b, 0x03)), null);
  equal(sniffFormat(crypto.getRandomValues(new Uint8Array(65536))), null);
  equal(sniffFormat(encoder.encode("PK\u0003\u0004 not really a zip")), null);
});
