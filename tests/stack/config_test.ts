// Deployment configuration stays in step with the function folders.
import { equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/paths.ts";
import { functionNames } from "../../scripts/local_stack/edge_runtime/functions.ts";

function functionBlocks(): Map<string, string> {
  const toml = Deno.readTextFileSync(join(ROOT, "supabase", "config.toml"));
  const blocks = new Map<string, string>();
  for (const match of toml.matchAll(/^\[functions\.([a-z0-9-]+)\]\n((?:(?!\[).*\n?)*)/gm)) {
    blocks.set(match[1], match[2]);
  }
  return blocks;
}

Deno.test("every function has a config.toml block with verify_jwt = false and the functions' import map", () => {
  const blocks = functionBlocks();
  for (const name of functionNames()) {
    const block = blocks.get(name);
    ok(block, `supabase/config.toml has no [functions.${name}] block`);
    ok(/^verify_jwt = false$/m.test(block), `${name}: verify_jwt must be false (Clerk tokens are verified in _shared)`);
    ok(
      /^import_map = "\.\/functions\/deno\.json"$/m.test(block),
      `${name}: import_map must be "./functions/deno.json" (resolves without node_modules)`,
    );
    ok(block.includes(`entrypoint = "./functions/${name}/index.ts"`), `${name}: entrypoint must be its index.ts`);
  }
  for (const name of blocks.keys()) {
    ok(functionNames().includes(name), `config.toml names ${name}, which has no folder`);
  }
});

Deno.test(".env.example documents every setting the functions read", () => {
  const example = Deno.readTextFileSync(join(ROOT, "supabase", "functions", ".env.example"));
  const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
  const sharedDir = join(ROOT, "supabase", "functions", "_shared");
  const read = new Set<string>();
  const modules = (dir: string): string[] =>
    [...Deno.readDirSync(dir)].flatMap((e) => e.isDirectory ? modules(join(dir, e.name)) : [join(dir, e.name)]);
  for (const path of modules(sharedDir)) {
    if (!path.endsWith(".ts") || path.endsWith("_test.ts")) continue;
    const source = Deno.readTextFileSync(path);
    for (const block of source.matchAll(/defineSettings\(\{([\s\S]*?)\n\}\)/g)) {
      for (const m of block[1].matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)) read.add(m[1]);
    }
  }
  // SUPABASE_* names are set by the platform (the CLI refuses to set them as secrets).
  const platform = (name: string) => name.startsWith("SUPABASE_");
  ok(read.has("CLERK_JWKS_URL") && read.has("DB_POOL_SIZE"), "the settings declarations were found");
  const missing = [...read].filter((name) => !platform(name) && !documented.has(name));
  equal(missing.length, 0, `.env.example does not document: ${missing.join(", ")}`);
});
