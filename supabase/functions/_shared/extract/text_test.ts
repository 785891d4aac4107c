import { equal } from "node:assert/strict";
import { cleanText, TextSink } from "./text.ts";

Deno.test("blocks are joined with their separator and cut at the cap, marking the text truncated", () => {
  const sink = new TextSink(12, Infinity);
  sink.add("Hello");
  sink.add("world", "\n");
  equal(sink.toString(), "Hello\nworld");
  equal(sink.truncatedBy, undefined);
  sink.add("again");
  equal(sink.toString(), "Hello\nworld");
  equal(sink.truncatedBy, "max_chars");
  equal(sink.stopped, true);
});

Deno.test("the cut never splits a surrogate pair", () => {
  const sink = new TextSink(4, Infinity);
  sink.add("abc😀d");
  equal(sink.toString(), "abc");
  equal(sink.truncatedBy, "max_chars");
});

Deno.test("a passed deadline stops the sink", () => {
  const sink = new TextSink(100, performance.now() - 1);
  equal(sink.stopped, true);
  equal(sink.truncatedBy, "deadline");
});

Deno.test("a deadline on another clock (the worker's CPU clock) is read on that clock, at most every 10 ms", async () => {
  let now = 0;
  let reads = 0;
  const sink = new TextSink(100, 50, () => (reads++, now));
  equal(sink.stopped, false);
  now = 60; // the clock passed the deadline, but the sink reads it again only 10 ms of wall time later
  equal(sink.stopped, false);
  equal(reads, 1);
  await new Promise((resolve) => setTimeout(resolve, 15));
  equal(sink.stopped, true);
  equal(sink.truncatedBy, "deadline");
  equal(reads, 2);
});

Deno.test("cleaning removes what Postgres cannot store and compacts blank space, keeping a row's leading tabs", () => {
  equal(cleanText("a\u0000b\u0007c\uD800d\r\ne  \n\n\n\nf\u000Bg"), "abc\uFFFDd\ne\n\nf\ng");
  equal(cleanText("\n\n\t\tC\t\n"), "\t\tC");
});
