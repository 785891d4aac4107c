/**
 * Rebuilds the extraction benchmark's corpus: every PDF, DOCX, PPTX and XLSX file (at most 10 MB, the upload limit)
 * in the public test suites below, copied out of their bare git mirrors, one copy per distinct blob. The corpus is
 * kept out of the repository (default `.local/extract-corpus`, git-ignored) so that nobody tunes to it.
 *
 * The mirrors are the bare git directories the `fetch` tool leaves under /work/.mirror (`<owner>+<name>/repo`);
 * any clone works: pass `--mirrors DIR` whose subfolders are `<owner>+<name>/repo` (or plain bare/non-bare clones
 * named `<owner>+<name>`).
 *
 * Run: `deno run -A bench/extract_corpus.ts [--mirrors /work/.mirror] [--out .local/extract-corpus]`
 */

/** The repositories the corpus is made of, and the commit-independent rule: every matching file at HEAD. */
export const SOURCES = [
  "apache/tika",
  "SheetJS/test_files",
  "pdfminer/pdfminer.six",
  "dotnet/Open-XML-SDK",
  "mozilla/pdf.js",
  "python-openxml/python-docx",
  "scanny/python-pptx",
];

const FORMATS = /\.(pdf|docx|pptx|xlsx)$/i;
const MAX_BYTES = 10 * 1024 * 1024;

function option(name: string, fallback: string): string {
  const at = Deno.args.indexOf(`--${name}`);
  return at >= 0 ? Deno.args[at + 1] : fallback;
}

async function git(gitDir: string, args: string[]): Promise<Uint8Array> {
  const output = await new Deno.Command("git", { args: ["--git-dir", gitDir, ...args], stdout: "piped" }).output();
  if (!output.success) throw new Error(`git ${args.join(" ")} failed in ${gitDir}`);
  return output.stdout;
}

async function gitDirOf(mirrors: string, repo: string): Promise<string | undefined> {
  const base = `${mirrors}/${repo.replace("/", "+")}`;
  for (const candidate of [`${base}/repo`, `${base}/.git`, base]) {
    try {
      await Deno.stat(`${candidate}/HEAD`);
      return candidate;
    } catch {
      // try the next layout
    }
  }
  return undefined;
}

async function main(): Promise<void> {
  const mirrors = option("mirrors", "/work/.mirror");
  const out = option("out", ".local/extract-corpus");
  await Deno.remove(out, { recursive: true }).catch(() => {});
  const seen = new Set<string>();
  const counts: Record<string, number> = {};
  for (const repo of SOURCES) {
    const gitDir = await gitDirOf(mirrors, repo);
    if (!gitDir) {
      console.error(`missing mirror of ${repo} under ${mirrors}: skipped`);
      continue;
    }
    const listing = new TextDecoder().decode(await git(gitDir, ["ls-tree", "-r", "-l", "-z", "HEAD"]));
    for (const line of listing.split("\0")) {
      const match = /^\d+ blob ([0-9a-f]+)\s+(\d+)\t(.*)$/s.exec(line);
      if (!match) continue;
      const [, blob, size, path] = match;
      const extension = FORMATS.exec(path)?.[1].toLowerCase();
      if (!extension || Number(size) > MAX_BYTES || Number(size) === 0 || seen.has(blob)) continue;
      seen.add(blob);
      const bytes = await git(gitDir, ["cat-file", "blob", blob]);
      // Git LFS pointers are not documents.
      if (bytes.length < 200 && new TextDecoder().decode(bytes).startsWith("version https://git-lfs")) continue;
      const name = `${repo.replace("/", "+")}__${path.replace(/[^\w.-]+/g, "_")}`.slice(-180);
      await Deno.mkdir(`${out}/${extension}`, { recursive: true });
      await Deno.writeFile(`${out}/${extension}/${name}`, bytes);
      counts[extension] = (counts[extension] ?? 0) + 1;
    }
    console.error(`${repo}: done`);
  }
  console.log(`corpus in ${out}: ${JSON.stringify(counts)}`);
}

if (import.meta.main) await main();
