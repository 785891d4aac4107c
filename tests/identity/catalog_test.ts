// The public catalog: readable by every signed-in user, filtered, searched and paginated.
import { deepEqual, equal, ok } from "node:assert/strict";
import { call, clientFor } from "../support/api.ts";
import { sessionToken, uniqueId } from "../support/clerk.ts";
import { countRows } from "../support/db.ts";

type Activity = {
  id: string;
  title: string;
  category: string;
  duration_minutes: number;
  min_group_size: number;
  max_group_size: number;
  work_modes: string[];
  steps: string[];
};
type Page = { activities: Activity[]; next_cursor: string | null };

async function signedIn() {
  // Any signed-in user, even one no webhook has told us about yet.
  return clientFor(await sessionToken(uniqueId("user")));
}

Deno.test("catalog: every activity is reachable page by page, once, in title order", async () => {
  const client = await signedIn();
  const seen: Activity[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: Page } = await call<Page>(client, "public-activities-list", {
      method: "GET",
      query: { limit: "7", ...(cursor ? { cursor } : {}) },
    });
    equal(page.status, 200);
    ok(page.body.activities.length <= 7);
    seen.push(...page.body.activities);
    cursor = page.body.next_cursor;
  } while (cursor);
  equal(seen.length, await countRows("public.public_activities", "true"));
  ok(seen.length >= 40);
  equal(new Set(seen.map((a) => a.id)).size, seen.length);
  const titles = seen.map((a) => a.title);
  deepEqual(titles, [...titles].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
  ok(seen.every((a) => a.steps.length >= 4));
});

Deno.test("catalog: filters by category, work mode, duration and group size, and searches text", async () => {
  const client = await signedIn();
  const list = async (query: Record<string, string>) =>
    (await call<Page>(client, "public-activities-list", { method: "GET", query: { limit: "100", ...query } })).body
      .activities;

  const trust = await list({ category: "trust" });
  ok(trust.length >= 5);
  ok(trust.every((a) => a.category === "trust"));

  const remoteShort = await list({ work_mode: "remote", max_duration: "20" });
  ok(remoteShort.length > 0);
  ok(remoteShort.every((a) => a.work_modes.includes("remote") && a.duration_minutes <= 20));

  const long = await list({ min_duration: "60", max_duration: "480" });
  ok(long.every((a) => a.duration_minutes >= 60));

  const big = await list({ group_size: "40" });
  ok(big.every((a) => a.min_group_size <= 40 && a.max_group_size >= 40));

  const marshmallow = await list({ q: "marshmallow" });
  ok(marshmallow.some((a) => a.title.toLowerCase().includes("marshmallow")));
  deepEqual(await list({ q: "zzzqqq-no-such-activity" }), []);
});

Deno.test("catalog: bad filters and cursors get 400 naming the field; no token gets 401", async () => {
  const client = await signedIn();
  const cases: [Record<string, string>, string][] = [
    [{ category: "karaoke" }, "category"],
    [{ work_mode: "space" }, "work_mode"],
    [{ min_duration: "abc" }, "min_duration"],
    [{ min_duration: "90", max_duration: "30" }, "min_duration"],
    [{ group_size: "1" }, "group_size"],
    [{ limit: "1000" }, "limit"],
    [{ cursor: "garbage!" }, "cursor"],
    [{ sort: "title" }, "sort"],
  ];
  for (const [query, field] of cases) {
    const result = await call(client, "public-activities-list", { method: "GET", query });
    equal(result.status, 400, JSON.stringify(query));
    equal((result.body.error as { details: { field: string } }).details.field, field, JSON.stringify(query));
  }
  equal((await call(clientFor(), "public-activities-list", { method: "GET" })).status, 401);
});
