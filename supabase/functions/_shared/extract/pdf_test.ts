import { equal, ok } from "node:assert/strict";
import { extractText } from "./mod.ts";
import { joinItems } from "./pdf.ts";
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
});

Deno.test("a PDF's filled-in form field values are part of its text", async () => {
  const result = await extractText(await pdfWithFilledField("Blue whales"));
  ok(result.text.includes("Team name:"), result.text);
  ok(result.text.includes("Blue whales"), result.text);
});
