// The README's "Try it" commands, run as written (ids made unique so runs do not collide), answer exactly the
// responses the README shows, ids and times aside.
import { deepEqual, equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/paths.ts";
import { call, clientFor } from "../support/api.ts";
import { sendEvent, sessionToken } from "../support/clerk.ts";

const README = Deno.readTextFileSync(join(ROOT, "README.md"));

/** The shell block of the "Try it" section, continuation lines joined. */
function tryItCommands(): string[] {
  const section = README.split("### Try it")[1];
  const block = /```sh\n([\s\S]*?)\n```/.exec(section)?.[1] ?? "";
  return block.replaceAll(/\\\n\s*/g, "").split("\n").map((line) => line.trim()).filter(Boolean);
}

/** The JSON blocks marked `<!-- response: name -->`. */
function documentedResponses(): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const match of README.matchAll(/<!-- response: (\S+) -->\n```json\n([\s\S]*?)\n```/g)) {
    found.set(match[1], JSON.parse(match[2]));
  }
  return found;
}

/** Ids and times become placeholders: they differ on every run. */
function normalized(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalized);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalized(item)]));
  }
  if (typeof value !== "string") return value;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)) return "<uuid>";
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)) return "<time>";
  return value;
}

Deno.test("readme: the Try it commands answer the responses the README shows", async () => {
  const suffix = crypto.randomUUID().slice(0, 8);
  const unique = (text: string) =>
    text.replaceAll("org_demo", `org_demo_${suffix}`).replaceAll("user_demo", `user_demo_${suffix}`);
  const commands = tryItCommands();
  const events = commands.map((line) => /^npm run webhook -- (\S+) '(.+)'$/.exec(line)).filter((m) => m !== null);
  equal(events.length, 3, "three webhook events");
  for (const [, type, data] of events) await sendEvent(type, JSON.parse(unique(data)));

  const tokenLine = commands.find((line) => line.startsWith("TOKEN="))!;
  const [, user, org, role] = /--user (\S+) --org (\S+) --role (\S+)/.exec(tokenLine)!;
  const client = clientFor(await sessionToken(unique(user), { orgId: unique(org), orgRole: role }));

  const createLine = commands.find((line) => line.includes("/functions/v1/teams-create"))!;
  const body = JSON.parse(/-d '(.+)'$/.exec(createLine)![1]);
  ok(commands.some((line) => line.includes("/functions/v1/quota-status")));
  const responses = documentedResponses();
  deepEqual([...responses.keys()].sort(), ["quota-status", "teams-create"]);

  const created = await call(client, "teams-create", { body });
  equal(created.status, 201);
  deepEqual(normalized(created.body), normalized(responses.get("teams-create")));
  const quota = await call(client, "quota-status", { method: "GET" });
  equal(quota.status, 200);
  const answered = JSON.parse(JSON.stringify(quota.body).replaceAll(`org_demo_${suffix}`, "org_demo"));
  deepEqual(normalized(answered), normalized(responses.get("quota-status")));
});
