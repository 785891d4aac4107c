/**
 * The layers of supabase/functions and which way imports may go between them (docs/ARCHITECTURE.md).
 * `npm test` reads the real module graph (`deno info --json`) and fails on any import that goes the wrong way.
 */
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The layers of `_shared`, each with the layers it may import (besides itself). */
export const SHARED_LAYERS: Record<string, readonly string[]> = {
  core: [],
  http: ["core"],
  db: ["core"],
  contract: ["core"],
  ai: ["core", "contract"],
  extract: [],
  domain: ["core", "http", "db", "contract", "ai", "extract"],
};

/** Where a module sits: a `_shared` layer, a function's entry folder, or outside the functions. */
export type Place =
  | { kind: "shared"; layer: string }
  | { kind: "function"; name: string }
  | { kind: "outside"; path: string };

/** One import edge of the module graph, as paths relative to the repository root. */
export interface ImportEdge {
  from: string;
  to: string;
}

/** Places a path (relative to the repository root, `/` separators). */
export function placeOf(path: string): Place {
  const shared = /^supabase\/functions\/_shared\/([^/]+)\//.exec(path);
  if (shared) return { kind: "shared", layer: shared[1] };
  const entry = /^supabase\/functions\/([^_/][^/]*)\//.exec(path);
  if (entry) return { kind: "function", name: entry[1] };
  return { kind: "outside", path };
}

/** Test modules may import test support and the local stack; the layering applies to deployed code. */
export function isTestModule(path: string): boolean {
  return /_test\.ts$/.test(path);
}

/** Why an import breaks the layering, or null when it is allowed. */
export function violationOf(edge: ImportEdge): string | null {
  if (isTestModule(edge.from)) return null;
  const from = placeOf(edge.from);
  const to = placeOf(edge.to);
  if (from.kind === "outside") return null;
  if (to.kind === "outside") return "deployed code imports a file outside supabase/functions";
  if (from.kind === "function") {
    if (to.kind === "function" && to.name !== from.name) return "a function imports another function's folder";
    return null;
  }
  if (to.kind === "function") return "_shared imports a function's folder";
  if (to.kind === "shared" && to.layer !== from.layer) {
    if (!(from.layer in SHARED_LAYERS)) return `_shared/${from.layer}/ is not a known layer`;
    if (!(to.layer in SHARED_LAYERS)) return `_shared/${to.layer}/ is not a known layer`;
    if (!SHARED_LAYERS[from.layer].includes(to.layer)) {
      return `_shared/${from.layer}/ may not import _shared/${to.layer}/ (allowed: ${
        SHARED_LAYERS[from.layer].join(", ") || "nothing"
      })`;
    }
  }
  return null;
}

interface DenoInfoModule {
  specifier: string;
  dependencies?: { code?: { specifier: string }; type?: { specifier: string } }[];
}

/** The local import edges in `deno info --json` output, relative to `root`. */
export function edgesOfGraph(graph: { modules: DenoInfoModule[] }, root: string): ImportEdge[] {
  const local = (specifier: string) =>
    specifier.startsWith("file:") ? relative(root, fileURLToPath(specifier)).split("\\").join("/") : null;
  const edges: ImportEdge[] = [];
  for (const module of graph.modules) {
    const from = local(module.specifier);
    if (!from || from.startsWith("node_modules/")) continue;
    for (const dependency of module.dependencies ?? []) {
      for (const target of [dependency.code?.specifier, dependency.type?.specifier]) {
        const to = target ? local(target) : null;
        if (to && !to.startsWith("node_modules/")) edges.push({ from, to });
      }
    }
  }
  return edges;
}
