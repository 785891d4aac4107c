// `npm run demo` against the test stack: it exits 0 and shows three generated activities; against no stack
// it exits 1 with one sentence.
import { equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/paths.ts";
import { countRows } from "../support/db.ts";
import { stackStatus } from "../support/stack.ts";

async function runDemo(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", join(ROOT, "deno.json"), join(ROOT, "scripts", "demo.ts")],
    cwd: ROOT,
    env: { ...env, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("demo: a new organization's walk-through exits 0 and ends with three generated activities", async () => {
  const { data_dir } = stackStatus();
  const { code, stdout, stderr } = await runDemo({ LOCAL_STACK_DIR: data_dir });
  equal(code, 0, `${stdout}\n${stderr}`);
  const steps = [
    "1. Clerk tells the backend",
    "2. Ada creates a team",
    "3. Ada uploads a document",
    "4. Ada customizes a catalog activity",
    "5. Ada asks for three activities",
    "6. The quota this month",
  ];
  for (const step of steps) ok(stdout.includes(step), `the output shows step "${step}"`);
  match(stdout, /organization\.created: "Northwind Logistics" on the paid plan \((org_demo_\w+)\): applied/);
  match(stdout, /ready: \d+ characters of text/);
  match(stdout, /\[█+░*\]\s+\d+%\s+\S/, "a progress bar with the job's stage");
  match(stdout, /customization\s+1 used of \d+/);
  match(stdout, /custom_generation\s+1 used of \d+/);
  const headings = [...stdout.matchAll(/^Activity (\d) of 3: (.+)$/gm)];
  equal(headings.length, 3, stdout);
  equal(headings.map((heading) => heading[1]).join(","), "1,2,3");
  match(stdout, /Demo finished in [\d.]+ s/);

  // The activities printed are the ones the database holds for the demo's team.
  const teamId = /team ([0-9a-f-]{36})\.$/m.exec(stdout)?.[1];
  ok(teamId, "the output names the team");
  equal(await countRows("public.team_activities", "team_id = $1 and source = 'generated'", teamId), 3);
  equal(await countRows("public.team_activities", "team_id = $1 and source = 'customized'", teamId), 1);
  equal(await countRows("public.team_materials", "team_id = $1 and status = 'ready'", teamId), 1);
});

Deno.test("demo: without a running stack it exits 1 with one sentence saying so", async () => {
  const empty = await Deno.makeTempDir({ prefix: "no-stack-" });
  try {
    const { code, stdout, stderr } = await runDemo({ LOCAL_STACK_DIR: empty });
    equal(code, 1, stdout);
    match(stderr, /Demo failed: the local stack is not running: start it with `npm start`/);
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});
