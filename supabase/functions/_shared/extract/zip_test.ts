import { equal, ok, rejects } from "node:assert/strict";
import zlib from "node:zlib";
import { ExtractionError } from "./errors.ts";
import { deflatedRun, writeZip } from "../../../../tests/support/extract_fixtures.ts";
import { GuardedZip, readCentralDirectory } from "./zip.ts";

const MB = 1024 * 1024;
const encoder = new TextEncoder();

function code(error: unknown): string {
  ok(error instanceof ExtractionError, String(error));
  return error.code;
}

async function drain(zip: GuardedZip, name: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of zip.stream(name)) bytes += chunk.length;
  return bytes;
}

Deno.test("parts read whole and streamed come back as written, stored or deflated", async () => {
  const text = encoder.encode("<a>hello</a>".repeat(10_000));
  const zip = GuardedZip.open(writeZip([{ name: "a.xml", data: text }, { name: "b.xml", data: text, store: true }]));
  equal(new TextDecoder().decode(zip.read("a.xml")), "<a>hello</a>".repeat(10_000));
  equal(zip.read("/B.XML").length, text.length); // part names compare case-insensitively
  equal(await drain(zip, "a.xml"), text.length);
  equal(zip.inflatedBytes, 3 * text.length);
});

Deno.test("the total cap counts inflated bytes across parts, read whole or streamed", async () => {
  const data = crypto.getRandomValues(new Uint8Array(60_000));
  const bytes = writeZip([{ name: "a", data }, { name: "b", data }]);
  const whole = GuardedZip.open(bytes, { maxTotalInflatedBytes: 100_000 });
  whole.read("a");
  equal(catchError(() => whole.read("b")).code, "limits_exceeded");
  const streamed = GuardedZip.open(bytes, { maxTotalInflatedBytes: 100_000 });
  await drain(streamed, "a");
  await rejects(drain(streamed, "b"), (error) => code(error) === "limits_exceeded");
});

Deno.test("an entry whose declared ratio is over the cap is refused before inflating; the floor lets small parts through", async () => {
  const bomb = deflatedRun(20 * MB);
  const zip = GuardedZip.open(writeZip([{ name: "bomb", ...bomb }, { name: "small", ...deflatedRun(MB) }]));
  equal(catchError(() => zip.read("bomb")).code, "limits_exceeded");
  await rejects(drain(zip, "bomb"), (error) => code(error) === "limits_exceeded");
  equal(zip.inflatedBytes, 0);
  equal(zip.read("small").length, MB); // ~1000:1, but within the 1 MB floor
});

Deno.test("a lying declared size stops inflation just past the declared size", async () => {
  const run = deflatedRun(256 * MB);
  const zip = GuardedZip.open(writeZip([{ name: "lie", ...run, declaredSize: 100_000 }]));
  equal(
    catchError(() => zip.read("lie")).message,
    "Cannot extract text: a part expands beyond the size its zip header declares",
  );
  let seen = 0;
  await rejects(async () => {
    for await (const chunk of zip.stream("lie")) seen += chunk.length;
  }, (error) => code(error) === "limits_exceeded");
  ok(seen <= 100_000, `${seen} bytes passed through`);
  ok(zip.inflatedBytes < 16 * MB, `${zip.inflatedBytes} bytes inflated`);
});

Deno.test("damaged data is corrupt: a wrong CRC, a truncated stream, a size shorter than declared", async () => {
  const data = encoder.encode("x".repeat(5000) + "y".repeat(5000));
  const deflated = zlib.deflateRawSync(data);
  const crc32 = zlib.crc32(data);
  const cases = [
    { name: "crc", deflated, size: data.length, crc32: crc32 ^ 1 },
    { name: "cut", deflated: deflated.subarray(0, deflated.length - 4), size: data.length, crc32 },
    { name: "short", deflated, size: data.length, crc32, declaredSize: data.length + 10 },
  ];
  const zip = GuardedZip.open(writeZip(cases));
  for (const { name } of cases) {
    equal(catchError(() => zip.read(name)).code, "corrupt", name);
    await rejects(drain(zip, name), (error) => code(error) === "corrupt");
  }
});

Deno.test("the directory is checked: too many entries, a missing end record, encrypted entries, duplicate names", () => {
  const many = writeZip(Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, data: new Uint8Array(1) })));
  equal(catchError(() => readCentralDirectory(many, 20)).code, "limits_exceeded");
  equal(readCentralDirectory(many, 30).length, 30);
  equal(catchError(() => GuardedZip.open(many.subarray(0, many.length - 30))).code, "corrupt");

  const locked = writeZip([{ name: "a", data: new Uint8Array(10) }]);
  locked[6] |= 1; // the "encrypted" flag, in the local and the central header
  locked[locked.length - 22 - 47 + 8] |= 1;
  equal(catchError(() => GuardedZip.open(locked).read("a")).code, "encrypted");

  const twice = writeZip([{ name: "A.xml", data: new Uint8Array(1) }, { name: "a.XML", data: new Uint8Array(1) }]);
  equal(catchError(() => GuardedZip.open(twice)).code, "corrupt");
});

function catchError(run: () => unknown): ExtractionError {
  try {
    run();
  } catch (error) {
    ok(error instanceof ExtractionError, String(error));
    return error;
  }
  throw new Error("expected an ExtractionError");
}
