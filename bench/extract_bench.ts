/**
 * Text extraction benchmark, on the same files in the same run:
 * - ours as deployed (`extractText`: 200,000 characters, 1.5 s deadline), and ours in full (the same extractors
 *   with no character cap and no deadline, so the work compares with tools that read everything);
 * - officeparser (pinned below), the common all-in-one Node library;
 * - the original design's Python stack from Debian: pdfminer.six, python-docx, openpyxl (it had no PPTX reader).
 *
 * Each extraction runs in its own process, which first extracts a small file of the same format (so that module
 * loading, lazy imports such as pdf.js, and first compilation are not counted), then the file, and reports the
 * CPU time of that extraction alone and its memory: the peak RSS of the process and the growth of RSS during it.
 * Rounds are interleaved (every extractor on every file, then again) and medians reported.
 *
 * Run: `deno run -A bench/extract_bench.ts [--rounds 3] [--sizes 0.25,1,4,10] [--timeout 180]`
 * (needs `apt-get install -y python3-pdfminer python3-docx python3-openpyxl` for /usr/bin/python3).
 * The corpus is generated into a temporary folder, removed at the end unless `--keep`.
 */
import process from "node:process";
import { extractDocx } from "../supabase/functions/_shared/extract/docx.ts";
import { extractText } from "../supabase/functions/_shared/extract/mod.ts";
import { extractPdf } from "../supabase/functions/_shared/extract/pdf.ts";
import { extractPptx } from "../supabase/functions/_shared/extract/pptx.ts";
import { sniffFormat } from "../supabase/functions/_shared/extract/sniff.ts";
import { TextSink } from "../supabase/functions/_shared/extract/text.ts";
import { extractXlsx } from "../supabase/functions/_shared/extract/xlsx.ts";
import { GuardedZip } from "../supabase/functions/_shared/extract/zip.ts";
import { largeDocx, largePdf, largePptx, largeXlsx } from "../tests/support/extract_fixtures.ts";

/** The officeparser release this benchmark measures. */
const OFFICEPARSER = "npm:officeparser@8.1.1";
const PYTHON = "/usr/bin/python3";
const MB = 1024 * 1024;
const EDGE_CPU_MS = 2000;
const EDGE_MEMORY_MB = 256;

type Format = "pdf" | "docx" | "pptx" | "xlsx";
type Extractor = "ours" | "ours-full" | "officeparser" | "python";
const EXTRACTORS: Extractor[] = ["ours", "ours-full", "officeparser", "python"];

/** What a child process reports about one extraction. */
interface Measure {
  cpuMs: number;
  wallMs: number;
  /** Peak RSS of the whole process (runtime and libraries included). */
  peakMb: number;
  /** Peak RSS minus RSS just before the extraction: the extraction's own memory. */
  growthMb: number;
  chars: number;
  truncated?: boolean;
  error?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Child mode: one extraction, one JSON line on stdout.

async function child(extractor: Extractor, path: string, warmup: string): Promise<void> {
  const parser = extractor === "officeparser" ? (await import(OFFICEPARSER)).OfficeParser : undefined;
  const run = async (bytes: Uint8Array): Promise<{ chars: number; truncated?: boolean }> => {
    if (extractor === "ours") {
      const result = await extractText(bytes);
      return { chars: result.chars, truncated: result.truncated };
    }
    if (extractor === "ours-full") return { chars: await extractFull(bytes) };
    const ast = await parser!.parseOffice(bytes);
    const text = (await ast.to("text")).value as string;
    return { chars: text.length };
  };
  try {
    await run(await Deno.readFile(warmup));
    const bytes = await Deno.readFile(path);
    const rss = memory().rss;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await run(bytes);
    const used = process.cpuUsage(cpu);
    const wallMs = performance.now() - started;
    const peak = memory().hwm;
    const report: Measure = {
      cpuMs: (used.user + used.system) / 1000,
      wallMs,
      peakMb: peak / MB,
      growthMb: (peak - rss) / MB,
      ...result,
    };
    console.log(JSON.stringify(report));
  } catch (error) {
    console.log(JSON.stringify({ error: String((error as Error).message ?? error).slice(0, 200) }));
  }
  Deno.exit(0);
}

/** Our extractors with no character cap, no deadline and no total inflation cap: everything, like the others. */
async function extractFull(bytes: Uint8Array): Promise<number> {
  const sink = new TextSink(Number.MAX_SAFE_INTEGER, Infinity);
  const format = sniffFormat(bytes);
  if (format === "pdf") await extractPdf(bytes, sink);
  else {
    const zip = GuardedZip.open(bytes, { maxTotalInflatedBytes: Number.MAX_SAFE_INTEGER });
    if (format === "docx") await extractDocx(zip, sink);
    else if (format === "pptx") extractPptx(zip, sink);
    else if (format === "xlsx") await extractXlsx(zip, sink);
    else throw new Error(`not a document: ${format}`);
  }
  return sink.length;
}

function memory(): { rss: number; hwm: number } {
  const status = Deno.readTextFileSync("/proc/self/status");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

const PYTHON_CHILD = `
import json, resource, sys, time

def memory():
    fields = dict(line.split(":", 1) for line in open("/proc/self/status"))
    return tuple(int(fields[k].split()[0]) * 1024 for k in ("VmRSS", "VmHWM"))

path, warmup = sys.argv[1], sys.argv[2]
if path.endswith(".pdf"):
    from pdfminer.high_level import extract_text
    def run(path):
        return extract_text(path)
elif path.endswith(".docx"):
    import docx
    def run(path):
        document = docx.Document(path)
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.append("\\t".join(cell.text for cell in row.cells))
        return "\\n".join(parts)
elif path.endswith(".xlsx"):
    import openpyxl
    def run(path):
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        parts = []
        for sheet in book.worksheets:
            parts.append("# Sheet: " + sheet.title)
            for row in sheet.iter_rows(values_only=True):
                parts.append("\\t".join("" if v is None else str(v) for v in row))
        book.close()
        return "\\n".join(parts)
else:
    print(json.dumps({"error": "no reader for this format in the original stack"}))
    sys.exit(0)

try:
    run(warmup)
    rss = memory()[0]
    cpu = time.process_time()
    wall = time.perf_counter()
    text = run(path)
except Exception as error:
    print(json.dumps({"error": str(error)[:200]}))
    sys.exit(0)
cpu = time.process_time() - cpu
wall = time.perf_counter() - wall
peak = memory()[1]
print(json.dumps({"cpuMs": cpu * 1000, "wallMs": wall * 1000, "peakMb": peak / 1048576,
                  "growthMb": (peak - rss) / 1048576, "chars": len(text)}))
`;

// ---------------------------------------------------------------------------------------------------------------
// Parent mode: corpus, rounds, report.

interface Options {
  rounds: number;
  sizes: number[];
  timeoutS: number;
  keep: boolean;
}

function parseOptions(args: string[]): Options {
  const value = (name: string) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? args[at + 1] : undefined;
  };
  return {
    rounds: Number(value("rounds") ?? 3),
    sizes: (value("sizes") ?? "0.25,1,4,10").split(",").map(Number),
    timeoutS: Number(value("timeout") ?? 180),
    keep: args.includes("--keep"),
  };
}

/**
 * Text-heavy documents of about `mb` MB each (padded with an embedded file to the exact size). PDFs and decks
 * keep at most 1,500 pages and 1,000 slides of text; larger files are made up by the embedded file, as large
 * PDFs and decks are in practice (images), so that pdfminer finishes within the run, and because a deck of more
 * than ~1,200 slides with notes has more parts than the zip entry cap (5,000) and is refused.
 */
async function corpus(
  folder: string,
  sizes: number[],
): Promise<{ path: string; format: Format; bytes: number; warmup: string }[]> {
  const generators: Record<
    Format,
    { make: (size: number | undefined, units: number) => Promise<Uint8Array>; max: number }
  > = {
    docx: { make: largeDocx, max: Infinity },
    xlsx: { make: largeXlsx, max: Infinity },
    pptx: { make: largePptx, max: 1000 },
    pdf: { make: largePdf, max: 1500 },
  };
  const probeUnits: Record<Format, number> = { docx: 400_000, xlsx: 10_000, pptx: 50, pdf: 40 };
  const files = [];
  for (const format of Object.keys(generators) as Format[]) {
    const { make, max } = generators[format];
    const probe = await make(undefined, probeUnits[format]);
    const unitBytes = probe.length / probeUnits[format];
    const warmup = `${folder}/warmup.${format}`;
    await Deno.writeFile(warmup, await make(undefined, Math.ceil(probeUnits[format] / 20)));
    for (const mb of sizes) {
      const size = Math.round(mb * MB);
      let units = Math.max(1, Math.min(max, Math.floor((size * 0.9) / unitBytes)));
      let bytes: Uint8Array | undefined;
      while (!bytes) {
        try {
          bytes = await make(size, units);
        } catch {
          units = Math.floor(units * 0.9); // a little too much text for the size: try again with less
        }
      }
      const path = `${folder}/${format}-${String(mb).replace(".", "_")}mb.${format}`;
      await Deno.writeFile(path, bytes);
      files.push({ path, format, bytes: bytes.length, warmup });
      console.error(
        `corpus: ${path} (${units} ${
          format === "pdf" ? "pages" : format === "pptx" ? "slides" : format === "xlsx" ? "rows" : "chars"
        })`,
      );
    }
  }
  return files;
}

async function measureOnce(
  extractor: Extractor,
  file: { path: string; warmup: string },
  script: string,
  timeoutS: number,
): Promise<Measure> {
  const { path, warmup } = file;
  const command = extractor === "python"
    ? new Deno.Command(PYTHON, { args: [script, path, warmup], stdout: "piped", stderr: "piped" })
    : new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--v8-flags=--max-old-space-size=8192",
        import.meta.filename!,
        "--child",
        extractor,
        path,
        warmup,
      ],
      stdout: "piped",
      stderr: "piped",
    });
  const spawned = command.spawn();
  const timer = setTimeout(() => spawned.kill("SIGKILL"), timeoutS * 1000);
  const output = await spawned.output();
  clearTimeout(timer);
  const line = new TextDecoder().decode(output.stdout).trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(line);
  } catch {
    const reason = output.signal === "SIGKILL" ? `timeout after ${timeoutS} s` : `exit ${output.code}`;
    return { error: reason } as Measure;
  }
}

function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function fmt(value: number, digits = 0): string {
  return Number.isFinite(value)
    ? value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "–";
}

async function main(): Promise<void> {
  const options = parseOptions(Deno.args);
  const folder = await Deno.makeTempDir({ prefix: "extract-bench-" });
  const script = `${folder}/python_child.py`;
  await Deno.writeTextFile(script, PYTHON_CHILD);
  const files = await corpus(folder, options.sizes);
  const results = new Map<string, Measure[]>();
  const key = (extractor: Extractor, path: string) => `${extractor} ${path}`;
  for (let round = 1; round <= options.rounds; round++) {
    for (const file of files) {
      for (const extractor of EXTRACTORS) {
        if (extractor === "python" && file.format === "pptx") continue;
        const measure = await measureOnce(extractor, file, script, options.timeoutS);
        results.set(key(extractor, file.path), [...(results.get(key(extractor, file.path)) ?? []), measure]);
        console.error(`round ${round} ${extractor} ${file.path}: ${JSON.stringify(measure)}`);
      }
    }
  }

  const summary = (extractor: Extractor, path: string) => {
    const runs = results.get(key(extractor, path)) ?? [];
    const ok = runs.filter((r) => !r.error);
    if (ok.length === 0) return undefined;
    return {
      cpuMs: median(ok.map((r) => r.cpuMs)),
      peakMb: median(ok.map((r) => r.peakMb)),
      growthMb: median(ok.map((r) => r.growthMb)),
      chars: median(ok.map((r) => r.chars)),
      errors: runs.length - ok.length,
      error: runs.find((r) => r.error)?.error,
    };
  };

  const lines: string[] = [];
  lines.push(
    `Files: ${files.length}; rounds: ${options.rounds}; medians. CPU = user + system time of the extraction alone.`,
  );
  lines.push("");
  lines.push(
    "| file | MB | ours: CPU ms / growth MB / chars | ours full: CPU ms / growth MB / chars | officeparser: CPU ms / growth MB / chars | Python: CPU ms / growth MB / chars |",
  );
  lines.push("| --- | --- | --- | --- | --- | --- |");
  for (const file of files) {
    const cells = EXTRACTORS.map((extractor) => {
      const s = summary(extractor, file.path);
      if (!s) {
        const runs = results.get(key(extractor, file.path));
        return runs ? `failed: ${runs[0].error}` : "n/a";
      }
      return `${fmt(s.cpuMs)} / ${fmt(s.growthMb)} / ${fmt(s.chars)}`;
    });
    lines.push(`| ${file.path.split("/").at(-1)} | ${fmt(file.bytes / MB, 2)} | ${cells.join(" | ")} |`);
  }

  lines.push("");
  lines.push(
    "| format | extractor | CPU ms per MB | growth MB per MB | peak RSS MB (largest file) | CPU ratio to ours (full) | memory ratio to ours (full) | CPU ratio to ours (as deployed) |",
  );
  lines.push("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const format of ["pdf", "docx", "pptx", "xlsx"] as Format[]) {
    const ofFormat = files.filter((f) => f.format === format);
    const perMb = (extractor: Extractor, field: "cpuMs" | "growthMb") =>
      median(ofFormat.map((f) => (summary(extractor, f.path)?.[field] ?? NaN) / (f.bytes / MB)));
    const ratio = (extractor: Extractor, base: Extractor, field: "cpuMs" | "growthMb") =>
      median(
        ofFormat.map((f) => (summary(extractor, f.path)?.[field] ?? NaN) / (summary(base, f.path)?.[field] ?? NaN)),
      );
    for (const extractor of EXTRACTORS) {
      if (extractor === "python" && format === "pptx") continue;
      const largest = ofFormat.at(-1)!;
      lines.push(
        `| ${format} | ${extractor} | ${fmt(perMb(extractor, "cpuMs"))} | ${fmt(perMb(extractor, "growthMb"), 1)} | ` +
          `${fmt(summary(extractor, largest.path)?.peakMb ?? NaN)} | ${
            fmt(ratio(extractor, "ours-full", "cpuMs"), 2)
          }× | ` +
          `${fmt(ratio(extractor, "ours-full", "growthMb"), 2)}× | ${fmt(ratio(extractor, "ours", "cpuMs"), 2)}× |`,
      );
    }
  }

  lines.push("");
  lines.push(
    `| extractor | files within ${EDGE_CPU_MS / 1000} s CPU and ${EDGE_MEMORY_MB} MB (every round) | failures |`,
  );
  lines.push("| --- | --- | --- |");
  for (const extractor of EXTRACTORS) {
    const eligible = files.filter((f) => !(extractor === "python" && f.format === "pptx"));
    let within = 0;
    let failures = 0;
    for (const file of eligible) {
      const runs = results.get(key(extractor, file.path)) ?? [];
      failures += runs.filter((r) => r.error).length;
      if (runs.length && runs.every((r) => !r.error && r.cpuMs <= EDGE_CPU_MS && r.growthMb <= EDGE_MEMORY_MB)) {
        within++;
      }
    }
    lines.push(
      `| ${extractor} | ${within} / ${eligible.length} (${fmt((100 * within) / eligible.length)}%) | ${failures} |`,
    );
  }
  console.log(lines.join("\n"));
  await Deno.writeTextFile(`${folder}/results.json`, JSON.stringify(Object.fromEntries(results), null, 1));
  if (options.keep) console.error(`kept ${folder}`);
  else await Deno.remove(folder, { recursive: true });
}

if (Deno.args[0] === "--child") await child(Deno.args[1] as Extractor, Deno.args[2], Deno.args[3]);
else await main();
