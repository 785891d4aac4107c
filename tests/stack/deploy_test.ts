// What `supabase functions deploy` needs: every function in config.toml resolves its packages from the import
// map config.toml names, on a clean copy of the repository (no node_modules) with an empty Deno cache.
import { deepEqual, equal, ok } from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { ROOT } from "../../scripts/lib/paths.ts";

interface DeployedFunction {
  name: string;
  importMap: string;
  entrypoint: string;
  /** Its `static_files` globs, as written (paths from supabase/). */
  staticFiles: string[];
}

/** The `[functions.*]` blocks of supabase/config.toml, with paths resolved as the CLI does (from supabase/). */
function deployedFunctions(root = ROOT): DeployedFunction[] {
  const toml = Deno.readTextFileSync(join(root, "supabase", "config.toml"));
  const found: DeployedFunction[] = [];
  for (const match of toml.matchAll(/^\[functions\.([a-z0-9-]+)\]\n((?:(?!\[).*\n?)*)/gm)) {
    const value = (key: string) => new RegExp(`^${key} = "([^"]+)"$`, "m").exec(match[2])?.[1];
    const importMap = value("import_map");
    const entrypoint = value("entrypoint");
    ok(importMap && entrypoint, `[functions.${match[1]}] must name its import_map and entrypoint`);
    const staticFiles = /^static_files = \[(.*)\]$/m.exec(match[2])?.[1] ?? "";
    found.push({
      name: match[1],
      importMap: join(root, "supabase", importMap),
      entrypoint: join(root, "supabase", entrypoint),
      staticFiles: [...staticFiles.matchAll(/"([^"]+)"/g)].map(([, glob]) => glob),
    });
  }
  return found;
}

/** Copies the repository as a clean clone would have it: no node_modules, no local stack data, no git. */
async function copyCleanTree(from: string, to: string): Promise<void> {
  const skip = new Set(["node_modules", ".local", ".git", ".temp", ".branches"]);
  for await (const entry of Deno.readDir(from)) {
    if (skip.has(entry.name) || entry.name === ".env") continue;
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory) {
      await Deno.mkdir(target, { recursive: true });
      await copyCleanTree(source, target);
    } else if (entry.isFile) {
      await Deno.copyFile(source, target);
    }
  }
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(Deno.readTextFileSync(path));
}

Deno.test("every function in config.toml resolves from a clean copy without node_modules and an empty cache", async () => {
  const copy = await Deno.makeTempDir({ prefix: "deploy-copy-" });
  const denoDir = await Deno.makeTempDir({ prefix: "deploy-deno-dir-" });
  try {
    await copyCleanTree(ROOT, copy);
    const functions = deployedFunctions(copy);
    ok(functions.length >= 20, `config.toml lists ${functions.length} functions`);
    const byMap = Map.groupBy(functions, (fn) => fn.importMap);
    for (const [importMap, group] of byMap) {
      ok(existsSync(importMap), `${relative(copy, importMap)} (named by config.toml) does not exist`);
      // One invocation per import map, with exactly that file as the config, as the bundler would use it.
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["cache", "--quiet", "--config", importMap, ...group.map((fn) => fn.entrypoint)],
        cwd: copy,
        env: { DENO_DIR: denoDir, NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(output.stderr);
      equal(
        output.code,
        0,
        `${group.map((fn) => fn.name).join(", ")} do not resolve with ${relative(copy, importMap)}:\n${stderr}`,
      );
      equal(existsSync(join(dirname(importMap), "node_modules")), false, "resolving must not need a node_modules");
    }
    equal(existsSync(join(copy, "node_modules")), false, "resolving must not create a node_modules");
  } finally {
    await Deno.remove(copy, { recursive: true });
    await Deno.remove(denoDir, { recursive: true });
  }
});

Deno.test("the root import map would not deploy: it needs node_modules (so the test above can fail)", async () => {
  const copy = await Deno.makeTempDir({ prefix: "deploy-copy-" });
  const denoDir = await Deno.makeTempDir({ prefix: "deploy-deno-dir-" });
  try {
    await copyCleanTree(ROOT, copy);
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["cache", "--quiet", "--config", join(copy, "deno.json"), "supabase/functions/health/index.ts"],
      cwd: copy,
      env: { DENO_DIR: denoDir, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    equal(output.code === 0, false, "the root deno.json (nodeModulesDir: manual) unexpectedly resolved");
    ok(/node_modules/.test(new TextDecoder().decode(output.stderr)));
  } finally {
    await Deno.remove(copy, { recursive: true });
    await Deno.remove(denoDir, { recursive: true });
  }
});

Deno.test("the functions' import map and the root deno.json resolve the same packages at the same versions", () => {
  const functionsMap = readJson(join(ROOT, "supabase", "functions", "deno.json"));
  const rootConfig = readJson(join(ROOT, "deno.json"));
  deepEqual(functionsMap.imports, rootConfig.imports, "the imports of the two maps differ");
  deepEqual(functionsMap.unstable, rootConfig.unstable, "the unstable flags of the two maps differ");
  equal("nodeModulesDir" in functionsMap, false, "the functions' map must not ask for a node_modules");
  // Deno applies the nearest deno.json to files under it: the same formatting and lint rules as the root's.
  const { exclude: _exclude, ...rootFmt } = rootConfig.fmt as Record<string, unknown>;
  deepEqual(functionsMap.fmt, rootFmt, "the fmt options of the two maps differ");
  deepEqual(functionsMap.lint, rootConfig.lint, "the lint options of the two maps differ");
  // package.json installs the same versions for the local stack (node_modules) as deploy downloads.
  const dependencies = readJson(join(ROOT, "package.json")).dependencies as Record<string, string>;
  for (const [name, specifier] of Object.entries(functionsMap.imports as Record<string, string>)) {
    equal(specifier, `npm:${name}@${dependencies[name]}`, `${name}: package.json has ${dependencies[name]}`);
  }
});

/** The files that `static_files` globs name (paths from supabase/; `*` matches within one folder). */
function staticFiles(globs: string[], root = ROOT): Set<string> {
  const files = new Set<string>();
  for (const glob of globs) {
    const path = join(root, "supabase", glob);
    const folder = dirname(path);
    const pattern = new RegExp(
      `^${path.slice(folder.length + 1).replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`,
    );
    for (const entry of existsSync(folder) ? Deno.readDirSync(folder) : []) {
      if (entry.isFile && pattern.test(entry.name)) files.add(join(folder, entry.name));
    }
  }
  return files;
}

Deno.test("a function that reads PDFs ships pdf.js's data files (config.toml static_files): the bundle has no node_modules", async () => {
  const dataDir = join(ROOT, "supabase", "functions", "_shared", "extract", "pdfjs");
  const dataFiles = ["cmaps", "standard_fonts"].flatMap((folder) =>
    [...Deno.readDirSync(join(dataDir, folder))].map((entry) => join(dataDir, folder, entry.name))
  );
  ok(dataFiles.length > 150, `${dataFiles.length} data files`);
  const readers: string[] = [];
  for (const fn of deployedFunctions()) {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", "--config", fn.importMap, fn.entrypoint],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    equal(output.code, 0, new TextDecoder().decode(output.stderr));
    const graph = JSON.parse(new TextDecoder().decode(output.stdout)) as { modules: { specifier: string }[] };
    if (!graph.modules.some((module) => module.specifier.endsWith("/_shared/extract/pdf.ts"))) continue;
    readers.push(fn.name);
    const shipped = staticFiles(fn.staticFiles);
    for (const file of dataFiles) ok(shipped.has(file), `${fn.name} does not ship ${relative(dataDir, file)}`);
  }
  // Only the upload (its probe) and the worker (the job) extract; the other material functions stay without it.
  deepEqual(readers.sort(), ["jobs-worker", "materials-upload"]);
});
