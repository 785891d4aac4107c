import { equal, ok, throws } from "node:assert/strict";
import { extractText } from "./mod.ts";
import { checkObjectStreams, joinItems, MAX_OBJECTS_PER_STREAM } from "./pdf.ts";
import { ExtractionError } from "./errors.ts";
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
