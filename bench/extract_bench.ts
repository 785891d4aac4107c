/**
 * Text extraction benchmark on a corpus of real files (see `bench/extract_corpus.ts`), ours against officeparser,
 * on the same files in the same run:
 * - ours as deployed: `extractText` with its defaults (200,000 characters, the 1.5 s deadline);
 * - officeparser 8.1.1 (pinned below), text through `parseOffice(...).to("text")`, with pdf.js in the same process
 *   (`pdfParserConfig.separateProcess: false`; its default is a separate process the measure would not see).
 *
 * Every extraction runs in a child Deno process whose V8 heap is limited like a hosted isolate
 * (`--max-old-space-size=256`); a child runs a batch of files of one format, one at a time, and announces each file
 * before it starts, so an out-of-memory abort or a hang (no answer within `--timeout` seconds) is charged to that
 * file as a crash and the batch resumes after it. Batches alternate between the two extractors. Before a batch is
 * measured, its first file is extracted once unmeasured (module loading and first compilation are not counted).
 * CPU is user + system time of the process during that one extraction.
 *
 * Outcomes: read (text, possibly empty), coded error (ours: an `ExtractionError`; the peer: any error it throws),
 * crash (an uncoded exception from ours, an abort, an out-of-memory kill or a hang).
 * Recall: on files where the peer finds words, the share of the peer's distinct words (runs of letters, marks and digits
 * with at least one letter, lower-cased: numbers and dates are formatted differently by each) that ours also has. Files ours cuts (at its
 * character cap or its deadline) are reported apart, against the peer's words in as many leading characters (the two may order a
 * document differently, so this undercounts). The peer's own label "--- Notes ---" and both extractors' image markers
 * (`[Image: …]`, where the peer falls back to the media file's name) are not counted. Counted strictly, and allowing for
 * where the two put spaces (`heldAllowingSpaces`: the same letters in the same order, the spaces elsewhere).
 *
 * Run: `npm run bench:extract -- [--corpus .local/extract-corpus] [--batch 40] [--timeout 60] [--only docx,pdf]`
 * (build the corpus first: `deno run -A bench/extract_corpus.ts`). Prints a Markdown report; per-file results go
 * to `<corpus>.results.<formats>.json`, texts to `<corpus>.texts/`.
 */
import process from "node:process";
import { ExtractionError, extractText } from "../supabase/functions/_shared/extract/mod.ts";

/** The officeparser release this benchmark measures. */
const OFFICEPARSER = "npm:officeparser@8.1.1";
const HEAP_MB = 256;
const EDGE_CPU_MS = 2000;

type Format = "pdf" | "docx" | "pptx" | "xlsx";
const FORMATS: Format[] = ["docx", "pptx", "xlsx", "pdf"];
type Extractor = "ours" | "officeparser";
const EXTRACTORS: Extractor[] = ["ours", "officeparser"];
type Outcome = "read" | "error" | "crash";

/** What a child reports about one file. */
interface Measure {
  outcome: Outcome;
  cpuMs?: number;
  wallMs?: number;
  chars?: number;
  truncated?: boolean;
  truncatedBy?: string;
  error?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Child mode: a batch of files, one JSON line per event on stdout; texts written next to the results.

async function child(extractor: Extractor, listPath: string, textDir: string): Promise<void> {
  const files = (await Deno.readTextFile(listPath)).split("\n").filter(Boolean);
  const parser = extractor === "officeparser" ? (await import(OFFICEPARSER)).OfficeParser : undefined;
  const run = async (bytes: Uint8Array): Promise<{ text: string; truncated?: boolean; truncatedBy?: string }> => {
    if (extractor === "ours") {
      const result = await extractText(bytes);
      return { text: result.text, truncated: result.truncated, truncatedBy: result.truncatedBy };
    }
    // pdf.js in this process, like ours: by default officeparser runs it in a child process, whose CPU and memory
    // an in-process measure would not see.
    const ast = await parser!.parseOffice(bytes, { pdfParserConfig: { separateProcess: false } });
    return { text: String((await ast.to("text")).value ?? "") };
  };
  const say = (value: unknown) => Deno.stdout.writeSync(new TextEncoder().encode(JSON.stringify(value) + "\n"));
  say({ warmup: true });
  try {
    await run(await Deno.readFile(files[0]));
  } catch {
    // the file itself is measured below
  }
  for (const [index, path] of files.entries()) {
    say({ start: index });
    const bytes = await Deno.readFile(path);
    const cpu = process.cpuUsage();
    const started = performance.now();
    let measure: Measure;
    try {
      const result = await run(bytes);
      const used = process.cpuUsage(cpu);
      measure = {
        outcome: "read",
        cpuMs: (used.user + used.system) / 1000,
        wallMs: performance.now() - started,
        chars: result.text.length,
        truncated: result.truncated,
        truncatedBy: result.truncatedBy,
      };
      await Deno.writeTextFile(`${textDir}/${textName(path)}`, result.text);
    } catch (error) {
      const used = process.cpuUsage(cpu);
      const coded = extractor === "officeparser" || error instanceof ExtractionError;
      measure = {
        outcome: coded ? "error" : "crash",
        cpuMs: (used.user + used.system) / 1000,
        wallMs: performance.now() - started,
        error: `${error instanceof ExtractionError ? `${error.code}: ` : ""}${
          String((error as Error)?.message ?? error).slice(0, 160)
        }`,
      };
    }
    say({ done: index, ...measure });
  }
  Deno.exit(0);
}

function textName(path: string): string {
  return path.split("/").at(-1)! + ".txt";
}

// ---------------------------------------------------------------------------------------------------------------
// Parent mode.

function option(name: string, fallback: string): string {
  const at = Deno.args.indexOf(`--${name}`);
  return at >= 0 ? Deno.args[at + 1] : fallback;
}

/** Runs files[from..] in one child until it ends; returns the index after the last file it settled. */
async function runBatch(
  extractor: Extractor,
  files: string[],
  textDir: string,
  timeoutS: number,
  results: Map<string, Measure>,
): Promise<number> {
  const list = await Deno.makeTempFile({ suffix: ".list" });
  await Deno.writeTextFile(list, files.join("\n"));
  const spawned = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `--v8-flags=--max-old-space-size=${HEAP_MB}`,
      import.meta.filename!,
      "--child",
      extractor,
      list,
      textDir,
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  let current = -1;
  let settled = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => spawned.kill("SIGKILL"), timeoutS * 1000);
  };
  arm();
  let buffer = "";
  const decoder = new TextDecoder();
  for await (const chunk of spawned.stdout) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(line);
      } catch {
        continue;
      }
      if (typeof event.start === "number") {
        current = event.start;
        arm();
      } else if (typeof event.done === "number") {
        const { done: _, ...measure } = event;
        results.set(`${extractor} ${files[event.done]}`, measure as unknown as Measure);
        settled = event.done + 1;
      }
    }
  }
  const status = await spawned.status;
  clearTimeout(timer);
  await Deno.remove(list);
  if (settled < files.length) {
    // The child died on the file it had announced (or before the first one, in its warm-up).
    const at = Math.max(current, settled);
    const reason = status.signal === "SIGKILL" ? `hang: no answer within ${timeoutS} s` : `abort: exit ${status.code}`;
    results.set(`${extractor} ${files[at]}`, { outcome: "crash", error: reason });
    return at + 1;
  }
  return files.length;
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const LETTER = /\p{L}/u;
const SCIENTIFIC = /\d(?:\.\d+)?e[+-]?\d+/gi;

/**
 * A text's tokens in order: runs of letters, marks and digits, lower-cased, numbers in scientific notation left out
 * (numbers are formatted differently by each extractor: `1.25E-05` against `0.0000125`).
 */
function tokens(text: string): string[] {
  return text.toLowerCase().replace(SCIENTIFIC, " ").match(WORD) ?? [];
}

/** Distinct words: tokens with at least one letter. */
function words(list: string[]): Set<string> {
  return new Set(list.filter((word) => LETTER.test(word)));
}

/** How many tokens in a row the spacing-tolerant match joins (`p df`, `10 Oct`). */
const JOINED = 4;

/**
 * The peer's words that ours holds once the two may put spaces in different places: a word ours has; a word that
 * is up to four of ours' consecutive tokens written together (the peer glued `10 Oct` into `10oct`); a word that,
 * with up to three of the peer's neighbouring tokens, writes one of ours' words (the peer split `pdf` into `p df`).
 * The letters and their order must match; only where the spaces fall may differ.
 */
function heldAllowingSpaces(peer: string[], ours: string[]): Set<string> {
  const ourWords = new Set(ours);
  const held = new Set<string>();
  for (let i = 0; i < ours.length; i++) {
    let joined = ours[i];
    for (let j = i + 1; j < Math.min(ours.length, i + JOINED); j++) {
      joined += ours[j];
      held.add(joined);
    }
  }
  for (let i = 0; i < peer.length; i++) {
    if (ourWords.has(peer[i])) held.add(peer[i]);
    let joined = peer[i];
    for (let j = i + 1; j < Math.min(peer.length, i + JOINED); j++) {
      joined += peer[j];
      if (ourWords.has(joined)) { for (let k = i; k <= j; k++) held.add(peer[k]); }
    }
  }
  return held;
}

/** Both write `[Image: …]` for pictures; the peer falls back to the media part's file name, which is no text. */
function withoutImageMarkers(text: string): string {
  return text.replace(/\[Image: [^\]\n]*\]/g, "");
}

function percentile(values: number[], p: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function fmt(value: number, digits = 0): string {
  return Number.isFinite(value)
    ? value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "–";
}

async function main(): Promise<void> {
  const corpus = option("corpus", ".local/extract-corpus");
  const batch = Number(option("batch", "40"));
  const timeoutS = Number(option("timeout", "60"));
  const only = option("only", FORMATS.join(",")).split(",") as Format[];
  const textRoot = `${corpus}.texts`;
  const results = new Map<string, Measure>();
  const byFormat = new Map<Format, string[]>();
  for (const format of FORMATS.filter((f) => only.includes(f))) {
    const files: string[] = [];
    try {
      for await (const entry of Deno.readDir(`${corpus}/${format}`)) {
        if (entry.isFile) files.push(`${corpus}/${format}/${entry.name}`);
      }
    } catch {
      // no files of this format
    }
    byFormat.set(format, files.sort());
  }
  for (const extractor of EXTRACTORS) await Deno.mkdir(`${textRoot}/${extractor}`, { recursive: true });
  const total = sum([...byFormat.values()].map((f) => f.length));
  let finished = 0;
  for (const [format, files] of byFormat) {
    for (let start = 0; start < files.length; start += batch) {
      const slice = files.slice(start, start + batch);
      for (const extractor of start / batch % 2 ? EXTRACTORS.toReversed() : EXTRACTORS) {
        let at = 0;
        while (at < slice.length) {
          at += await runBatch(extractor, slice.slice(at), `${textRoot}/${extractor}`, timeoutS, results);
        }
      }
      finished += slice.length;
      console.error(`${format}: ${finished} / ${total} files`);
    }
  }
  await Deno.writeTextFile(
    `${corpus}.results.${[...byFormat.keys()].join("-")}.json`,
    JSON.stringify(Object.fromEntries(results), null, 1),
  );

  const lines: string[] = [];
  const measure = (extractor: Extractor, path: string) => results.get(`${extractor} ${path}`)!;
  lines.push(
    `Corpus: ${total} files (${[...byFormat].map(([f, files]) => `${files.length} ${f.toUpperCase()}`).join(", ")}); ` +
      `heap limited to ${HEAP_MB} MB per child process; CPU = user + system time of one extraction.`,
  );
  lines.push("");
  lines.push(
    "| format | extractor | read / coded error / crash | over 2 s CPU | CPU ms p50 / p95 / worst | cut: cap / deadline |",
  );
  lines.push("| --- | --- | --- | --- | --- | --- |");
  const ratioLines: string[] = [];
  const recallLines: string[] = [];
  const failures: string[] = [];
  const all = { ours: [] as Measure[], officeparser: [] as Measure[] };
  for (const [format, files] of byFormat) {
    for (const extractor of EXTRACTORS) {
      const measures = files.map((path) => measure(extractor, path));
      all[extractor].push(...measures);
      lines.push(`| ${format} | ${extractor} | ${outcomeCells(measures)} |`);
    }
    const both = files.filter((path) => EXTRACTORS.every((e) => measure(e, path).outcome === "read"));
    const ours = both.map((path) => measure("ours", path).cpuMs!);
    const peer = both.map((path) => measure("officeparser", path).cpuMs!);
    ratioLines.push(
      `| ${format} | ${both.length} | ${fmt(sum(ours))} | ${fmt(sum(peer))} | ${fmt(sum(peer) / sum(ours), 2)}× | ` +
        `${fmt(percentile(both.map((_, i) => peer[i] / Math.max(ours[i], 0.1)), 50), 2)}× |`,
    );
    let withWords = 0;
    let capped = 0;
    let cappedKept95 = 0;
    let kept95 = 0;
    let spacedKept95 = 0;
    let ourWordsTotal = 0;
    let peerWordsTotal = 0;
    const shares: number[] = [];
    for (const path of both) {
      const ourResult = measure("ours", path);
      const ourText = withoutImageMarkers(await Deno.readTextFile(`${textRoot}/ours/${textName(path)}`));
      // The peer's own section label is not the document's text.
      let peerText = withoutImageMarkers(await Deno.readTextFile(`${textRoot}/officeparser/${textName(path)}`))
        .replace(/^--- Notes ---$/gm, "");
      if (ourResult.truncated) peerText = peerText.slice(0, ourText.length);
      const peerTokens = tokens(peerText);
      const peerWords = words(peerTokens);
      if (peerWords.size === 0) continue;
      const ourTokens = tokens(ourText);
      const ourWords = words(ourTokens);
      const spaced = heldAllowingSpaces(peerTokens, ourTokens);
      let kept = 0;
      let keptSpaced = 0;
      for (const word of peerWords) {
        if (ourWords.has(word)) kept++;
        if (spaced.has(word)) keptSpaced++;
      }
      const share = kept / peerWords.size;
      const spacedShare = keptSpaced / peerWords.size;
      if (ourResult.truncated) {
        // Cut at the cap or the deadline: compared with as many of the peer's first characters, but the two may
        // order the document differently (sheets, reading order), so these are reported apart.
        capped++;
        if (share >= 0.95) cappedKept95++;
        else failures.push(`${format} ${fmt(100 * share)}% (cut: ${ourResult.truncatedBy}) ${path.split("/").at(-1)}`);
        continue;
      }
      withWords++;
      shares.push(share);
      if (share >= 0.95) kept95++;
      if (spacedShare >= 0.95) spacedKept95++;
      if (share < 0.95) {
        failures.push(
          `${format} ${fmt(100 * share)}% (allowing for spaces: ${fmt(100 * spacedShare)}%) ${path.split("/").at(-1)}`,
        );
      }
      ourWordsTotal += ourWords.size;
      peerWordsTotal += peerWords.size;
    }
    recallLines.push(
      `| ${format} | ${withWords} | ${kept95} (${fmt((100 * kept95) / withWords, 1)}%) | ` +
        `${spacedKept95} (${fmt((100 * spacedKept95) / withWords, 1)}%) | ` +
        `${fmt(100 * percentile(shares, 50), 1)}% | ${fmt(ourWordsTotal)} / ${fmt(peerWordsTotal)} | ` +
        `${capped ? `${cappedKept95} of ${capped}` : "–"} |`,
    );
  }
  for (const extractor of EXTRACTORS) lines.push(`| all | ${extractor} | ${outcomeCells(all[extractor])} |`);
  lines.push("");
  lines.push(
    "| format | files both read | ours: CPU ms total | officeparser: CPU ms total | ratio, peer ÷ ours (totals) | ratio, median per file |",
  );
  lines.push("| --- | --- | --- | --- | --- | --- |");
  lines.push(...ratioLines);
  lines.push("");
  lines.push(
    "| format | files both read where the peer finds words (ours not cut) | ours keeps ≥ 95% of the peer's distinct words | the same, allowing for where the two put spaces | median share kept | distinct words: ours / peer | files ours cut (cap or deadline): ≥ 95% of the peer's words in as many leading characters |",
  );
  lines.push("| --- | --- | --- | --- | --- | --- | --- |");
  lines.push(...recallLines);
  console.log(lines.join("\n"));
  if (failures.length) console.error(`below 95% recall:\n${failures.join("\n")}`);
  const crashes = [...results].filter(([, m]) => m.outcome === "crash");
  if (crashes.length) console.error(`crashes:\n${crashes.map(([k, m]) => `${k}: ${m.error}`).join("\n")}`);
}

function outcomeCells(measures: Measure[]): string {
  const count = (outcome: Outcome) => measures.filter((m) => m.outcome === outcome).length;
  const cpu = measures.filter((m) => m.outcome !== "crash").map((m) => m.cpuMs!);
  const over = measures.filter((m) => m.outcome === "crash" || m.cpuMs! > EDGE_CPU_MS).length;
  const cut = (reason: string) => measures.filter((m) => m.truncatedBy === reason).length;
  return `${count("read")} / ${count("error")} / ${count("crash")} | ${over} | ` +
    `${fmt(percentile(cpu, 50))} / ${fmt(percentile(cpu, 95))} / ${fmt(percentile(cpu, 100))} | ` +
    `${cut("max_chars")} / ${cut("deadline")}`;
}

if (Deno.args[0] === "--child") await child(Deno.args[1] as Extractor, Deno.args[2], Deno.args[3]);
else await main();
