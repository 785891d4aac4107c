import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { z } from "zod";
import { ApiError } from "../core/errors.ts";
import { parseJsonBody, parseQuery, uuid } from "./validate.ts";

const schema = z.strictObject({
  name: z.string().min(1).max(10),
  profile: z.strictObject({ size: z.number().int().positive() }),
  team_id: uuid().optional(),
});

function post(body: string, headers: Record<string, string> = {}) {
  return new Request("http://localhost/x", { method: "POST", body, headers });
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    ok(error instanceof ApiError, String(error));
    return error;
  }
  throw new Error("expected an ApiError");
}

Deno.test("a valid body parses", async () => {
  deepEqual(await parseJsonBody(post('{"name":"Core","profile":{"size":4}}'), schema), {
    name: "Core",
    profile: { size: 4 },
  });
});

Deno.test("bad bodies get 400 naming the field", async () => {
  const cases: [string, string][] = [
    ['{"profile":{"size":4}}', "name"],
    ['{"name":"Core","profile":{"size":"4"}}', "profile.size"],
    ['{"name":"Core","profile":{"size":4},"extra":1}', "extra"],
    ['{"name":"Core","profile":{"size":4,"colour":"red"}}', "profile.colour"],
    ['{"name":"Core","profile":{"size":4},"team_id":"nope"}', "team_id"],
    ['{"name":"Much too long a name","profile":{"size":4}}', "name"],
    ["[1,2]", "body"],
  ];
  for (const [body, field] of cases) {
    const error = await failure(parseJsonBody(post(body), schema));
    equal(error.status, 400, body);
    equal(error.details?.field, field, body);
  }
});

Deno.test("a body that is not JSON gets 400 invalid_input", async () => {
  const error = await failure(parseJsonBody(post("{not json"), schema));
  equal(error.status, 400);
  equal(error.message, "The request body is not valid JSON");
});

Deno.test("an oversized body gets 413 whether or not it declares its length", async () => {
  const big = JSON.stringify({ name: "x".repeat(100_000) });
  equal((await failure(parseJsonBody(post(big, { "content-length": String(big.length) }), schema))).status, 413);
  const stream = new Blob([big]).stream();
  const chunked = new Request("http://localhost/x", { method: "POST", body: stream });
  equal((await failure(parseJsonBody(chunked, schema))).status, 413);
});

Deno.test("query parameters are validated and repeated ones refused", () => {
  const query = z.strictObject({ team_id: uuid() });
  const id = crypto.randomUUID();
  deepEqual(parseQuery(new URL(`http://x/?team_id=${id}`), query), { team_id: id });
  throws(
    () => parseQuery(new URL("http://x/?team_id=1"), query),
    (e: ApiError) => e.details?.field === "team_id",
  );
  throws(
    () => parseQuery(new URL(`http://x/?team_id=${id}&team_id=${id}`), query),
    (e: ApiError) => e.message === "Invalid team_id: Given more than once",
  );
});

Deno.test("a wrong type names the field, what was expected and what was received", async () => {
  const error = await failure(parseJsonBody(post('{"name":5,"profile":{"size":4}}'), schema));
  equal(error.message, "Invalid name: Expected string, received number");
  equal(error.details?.expected, "string");
  equal(error.details?.received, "number");
  const missing = await failure(parseJsonBody(post('{"profile":{"size":4}}'), schema));
  equal(missing.message, "Invalid name: Required: expected string");
  const nullSize = await failure(parseJsonBody(post('{"name":"Core","profile":{"size":null}}'), schema));
  equal(nullSize.details?.field, "profile.size");
  equal(nullSize.details?.received, "null");
});

Deno.test("a NUL character in any string or key of a body or query is a 400 naming where", async () => {
  const nul = await failure(parseJsonBody(post('{"name":"a\\u0000b","profile":{"size":4}}'), schema));
  equal(nul.status, 400);
  equal(nul.details?.field, "name");
  equal(nul.message, "Invalid name: Must not contain NUL characters");
  const deep = await failure(parseJsonBody(post('{"name":"a","profile":{"size":4,"tags":["ok","\\u0000"]}}'), schema));
  equal(deep.details?.field, "profile.tags.1");
  const query = (() => {
    try {
      parseQuery(new URL("http://localhost/x?name=a%00b"), z.object({ name: z.string() }));
    } catch (error) {
      return error as ApiError;
    }
    throw new Error("expected an ApiError");
  })();
  equal(query.details?.field, "name");
});
