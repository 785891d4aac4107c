// The layering rules of supabase/functions (scripts/lib/layers.ts): what they allow and what they refuse.
import assert from "node:assert/strict";
import { edgesOfGraph, violationOf } from "../../scripts/lib/layers.ts";

const shared = (path: string) => `supabase/functions/_shared/${path}`;

Deno.test("layers: imports down the layers are allowed", () => {
  for (
    const [from, to] of [
      [shared("http/handler.ts"), shared("core/errors.ts")],
      [shared("ai/openai.ts"), shared("contract/activity.ts")],
      [shared("domain/materials.ts"), shared("extract/mod.ts")],
      [shared("domain/generation.ts"), shared("domain/worker.ts")],
      ["supabase/functions/health/index.ts", shared("http/handler.ts")],
      ["supabase/functions/docs/index.ts", "supabase/functions/docs/reference_page.ts"],
    ]
  ) assert.equal(violationOf({ from, to }), null, `${from} -> ${to}`);
});

Deno.test("layers: an import that goes the wrong way is named with the rule it breaks", () => {
  assert.match(violationOf({ from: shared("http/handler.ts"), to: shared("domain/teams.ts") })!, /http\/ may not/);
  assert.match(violationOf({ from: shared("contract/schemas.ts"), to: shared("db/connection.ts") })!, /contract/);
  assert.match(violationOf({ from: shared("core/config.ts"), to: shared("http/auth.ts") })!, /allowed: nothing/);
  assert.match(violationOf({ from: shared("extract/pdf.ts"), to: shared("core/log.ts") })!, /extract\/ may not/);
  assert.match(
    violationOf({ from: shared("domain/teams.ts"), to: "supabase/functions/teams-create/index.ts" })!,
    /_shared imports/,
  );
  assert.match(
    violationOf({ from: "supabase/functions/teams-list/index.ts", to: "supabase/functions/teams-create/index.ts" })!,
    /another function/,
  );
  assert.match(
    violationOf({ from: shared("ai/openai.ts"), to: "scripts/local_stack/fake_openai/server.ts" })!,
    /outside/,
  );
  assert.match(violationOf({ from: shared("misc/x.ts"), to: shared("core/log.ts") })!, /not a known layer/);
});

Deno.test("layers: tests beside a module may use the local stack", () => {
  assert.equal(
    violationOf({ from: shared("ai/openai_test.ts"), to: "scripts/local_stack/fake_openai/server.ts" }),
    null,
  );
});

Deno.test("layers: edges are read from deno info's graph, code and type imports, without node_modules", () => {
  const graph = {
    modules: [{
      specifier: "file:///repo/supabase/functions/_shared/http/auth.ts",
      dependencies: [
        { code: { specifier: "file:///repo/supabase/functions/_shared/core/config.ts" } },
        { type: { specifier: "file:///repo/supabase/functions/_shared/domain/teams.ts" } },
        { code: { specifier: "file:///repo/node_modules/jose/index.js" } },
        { code: { specifier: "npm:zod@4.6.7" } },
      ],
    }, { specifier: "file:///repo/node_modules/jose/index.js", dependencies: [] }],
  };
  const edges = edgesOfGraph(graph, "/repo");
  assert.deepEqual(edges, [
    { from: "supabase/functions/_shared/http/auth.ts", to: "supabase/functions/_shared/core/config.ts" },
    { from: "supabase/functions/_shared/http/auth.ts", to: "supabase/functions/_shared/domain/teams.ts" },
  ]);
  assert.notEqual(violationOf(edges[1]), null);
});
