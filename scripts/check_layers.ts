/**
 * Fails when an import in supabase/functions crosses a layer the wrong way (rules in scripts/lib/layers.ts).
 * Reads Deno's own module graph of every module under supabase/functions (`deno info --json`).
 * Run: `deno run -A scripts/check_layers.ts` (part of `npm test`).
 */
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { runMain } from "./lib/errors.ts";
import { edgesOfGraph, type ImportEdge, violationOf } from "./lib/layers.ts";
import { ROOT } from "./lib/paths.ts";

function modulesUnder(dir: string, out: string[] = []): string[] {
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) modulesUnder(path, out);
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

await runMain(async () => {
  const modules = modulesUnder(join(ROOT, "supabase", "functions"));
  // One root that imports every module, so the graph is read once.
  const dir = await Deno.makeTempDir({ prefix: "layers-" });
  const rootModule = join(dir, "all.ts");
  await Deno.writeTextFile(rootModule, modules.map((m) => `import "${pathToFileURL(m).href}";\n`).join(""));
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "--config", join(ROOT, "deno.json"), rootModule],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(dir, { recursive: true });
  if (!output.success) throw new Error(`deno info failed: ${new TextDecoder().decode(output.stderr)}`);
  const edges = edgesOfGraph(JSON.parse(new TextDecoder().decode(output.stdout)), ROOT)
    .filter((edge: ImportEdge) => !edge.from.startsWith(relative(ROOT, dir)));
  const violations = edges.map((edge) => ({ edge, why: violationOf(edge) })).filter((v) => v.why !== null);
  for (const { edge, why } of violations) console.error(`${edge.from} -> ${edge.to}: ${why}`);
  console.log(`${modules.length} modules, ${edges.length} local imports, ${violations.length} crossing a layer`);
  if (violations.length > 0) Deno.exit(1);
});
