/**
 * The fake OpenAI server, driven through the real `openai` SDK: structured output that validates against the
 * caller's zod schema, plain answers that say they are fake, OpenAI's own validation errors, and every control
 * behaviour surfaced as the SDK surfaces the real API's. The handler is served in-process on a random port,
 * so these tests need neither the local stack nor its gateway.
 */
import assert from "node:assert/strict";
import OpenAI, {
  APIConnectionTimeoutError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { z } from "zod";
import { createFakeOpenAI } from "../../scripts/local_stack/fake_openai/server.ts";

interface Fake {
  /** `http://127.0.0.1:<port>/openai`, as the gateway mounts it. */
  base: string;
  client: OpenAI;
  /** Resolves once every request the handler has received so far has been answered. */
  handlersSettled(): Promise<unknown>;
}

/** Serves a fresh fake for one test and shuts it down afterwards. */
async function withFake(
  test: (fake: Fake) => Promise<void>,
  options?: { defaultLatencyMs?: number },
): Promise<void> {
  const handler = createFakeOpenAI(options);
  const handled: Promise<Response>[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const answer = handler(request, new URL(request.url).pathname.replace(/^\/openai/, ""));
    handled.push(answer);
    return answer;
  });
  const base = `http://127.0.0.1:${server.addr.port}/openai`;
  const client = new OpenAI({ apiKey: "test", baseURL: `${base}/v1`, maxRetries: 0 });
  try {
    await test({ base, client, handlersSettled: () => Promise.allSettled(handled) });
  } finally {
    // A handler that ignored its client's disconnect would hold shutdown for its full 10-minute hang.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stopped = await Promise.race([
      server.shutdown().then(() => true),
      new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), 5000)),
    ]);
    clearTimeout(timer);
    assert.ok(stopped, "the server shut down: no request was still being answered");
  }
}

type Rule = {
  match?: string;
  behaviour: "ok" | "http_error" | "invalid_json" | "schema_violation" | "hang";
  status?: number;
  latency_ms?: number;
  times?: number;
};

async function addRule(base: string, rule: Rule): Promise<string> {
  const response = await fetch(`${base}/_control/rules`, { method: "POST", body: JSON.stringify(rule) });
  const body = await response.json();
  assert.equal(response.status, 201, JSON.stringify(body));
  return body.id;
}

async function deleteRules(base: string, id = ""): Promise<void> {
  const response = await fetch(`${base}/_control/rules${id ? `/${id}` : ""}`, { method: "DELETE" });
  await response.body?.cancel();
  assert.equal(response.status, 204);
}

async function loggedRequests(base: string, match: string) {
  const response = await fetch(`${base}/_control/requests?match=${encodeURIComponent(match)}`);
  assert.equal(response.status, 200);
  return await response.json() as {
    count: number;
    requests: { model: string; behaviour: string; rule_id: string | null; at: string }[];
  };
}

/** A realistic nested activity, like the one the AI module asks for. */
const Activity = z.object({
  title: z.string().min(5).max(80),
  summary: z.string().max(400),
  duration_minutes: z.number().int().min(15).max(240),
  work_mode: z.enum(["remote", "hybrid", "in_person"]),
  group_size: z.object({ min: z.number().int().min(2), max: z.number().int().max(200) }),
  objectives: z.array(z.string()).min(3).max(6),
  steps: z.array(z.object({ number: z.number().int().min(1), instruction: z.string().min(10) })).min(3),
  debrief_questions: z.array(z.string()).min(3),
  facilitator_notes: z.string().nullable(),
}).refine((activity) => activity.group_size.min <= activity.group_size.max, {
  message: "group_size.min must not exceed group_size.max",
});

function activityRequest(userMessage: string) {
  return {
    model: "gpt-4o-mini",
    messages: [
      { role: "system" as const, content: "You design team-building activities. Answer in the given JSON schema." },
      { role: "user" as const, content: userMessage },
    ],
    response_format: zodResponseFormat(Activity, "activity"),
  };
}

function chat(userMessage: string) {
  return { model: "gpt-4o-mini", messages: [{ role: "user" as const, content: userMessage }] };
}

async function elapsedMs(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

Deno.test("a json_schema request gets a chat.completion whose content validates against the zod schema", async () => {
  await withFake(async ({ client }) => {
    const request = activityRequest("Customize 'Marshmallow tower' for team Alpha, 12 people, hybrid");
    const completion = await client.chat.completions.create(request);

    assert.match(completion.id, /^chatcmpl-[A-Za-z0-9]{29}$/);
    assert.equal(completion.object, "chat.completion");
    assert.equal(completion.model, "fake-gpt-4o-mini");
    assert.equal(completion.system_fingerprint, "local-fake-openai");
    assert.ok(Math.abs(completion.created - Date.now() / 1000) < 60);
    assert.match(completion._request_id ?? "", /^req_[0-9a-f]{32}$/);
    assert.equal(completion.choices.length, 1);
    const [choice] = completion.choices;
    assert.equal(choice.finish_reason, "stop");
    assert.equal(choice.message.role, "assistant");
    assert.equal(choice.message.refusal, null);
    const usage = completion.usage!;
    assert.ok(usage.prompt_tokens > 0 && usage.completion_tokens > 0);
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
    assert.equal(usage.completion_tokens, Math.ceil(choice.message.content!.length / 4));

    const activity = Activity.parse(JSON.parse(choice.message.content!));
    assert.match(activity.title, /^Title \(fake AI [0-9a-f]{8}\)$/);
    assert.equal(activity.objectives.length, 3, "minItems 3 gives three items");
    assert.equal(new Set(activity.objectives).size, 3, "items differ");
    assert.equal(activity.steps.length, 3);
    assert.equal(activity.work_mode, "remote", "an enum gives its first value");
    assert.ok(activity.duration_minutes >= 15 && activity.duration_minutes <= 240);
    assert.notEqual(activity.facilitator_notes, null, "a nullable field is filled");
    for (const text of [activity.summary, ...activity.objectives, ...activity.debrief_questions]) {
      assert.match(text, /fake AI [0-9a-f]{8}/);
    }
  });
});

Deno.test("structured content is the same for the same request and different for another", async () => {
  await withFake(async ({ client }) => {
    const request = activityRequest("Customize 'Two truths and a lie' for team Beta");
    const first = await client.chat.completions.create(request);
    const again = await client.chat.completions.create(request);
    const other = await client.chat.completions.create(activityRequest("Customize it for team Gamma instead"));
    assert.equal(again.choices[0].message.content, first.choices[0].message.content);
    assert.notEqual(other.choices[0].message.content, first.choices[0].message.content);
    assert.notEqual(again.id, first.id, "each completion has its own id");
    Activity.parse(JSON.parse(other.choices[0].message.content!));
  });
});

Deno.test("numbers named as a range (min, max) come out ordered, as a refinement expects", async () => {
  await withFake(async ({ client }) => {
    for (let i = 0; i < 20; i++) {
      const completion = await client.chat.completions.create(activityRequest(`Customize it for team ${i}`));
      const { group_size } = JSON.parse(completion.choices[0].message.content!);
      assert.ok(group_size.min <= group_size.max, JSON.stringify(group_size));
    }
  });
});

Deno.test("the SDK's own structured-output helper parses the answer into the zod type", async () => {
  await withFake(async ({ client }) => {
    const completion = await client.chat.completions.parse(activityRequest("Plan a remote retro game"));
    const { parsed, content } = completion.choices[0].message;
    assert.deepEqual(parsed, Activity.parse(JSON.parse(content!)));
  });
});

Deno.test("a hand-written schema's refs, unions, bounds and lengths are respected", async () => {
  await withFake(async ({ client }) => {
    const schema = {
      type: "object",
      $defs: {
        tag: { type: "string", maxLength: 12 },
        person: { type: "object", properties: { name: { type: "string" } } },
      },
      properties: {
        code: { type: "string", maxLength: 12 },
        essay: { type: "string", minLength: 200, maxLength: 220 },
        tags: { type: "array", items: { $ref: "#/$defs/tag" }, minItems: 0, maxItems: 2 },
        five: { type: "array", items: { type: "integer", minimum: 10, maximum: 12 }, minItems: 5 },
        owner: { anyOf: [{ type: "null" }, { $ref: "#/$defs/person" }] },
        ratio: { type: "number", exclusiveMinimum: 0, maximum: 1 },
        kind: { const: "fixed" },
        flag: { type: "boolean" },
        email: { type: "string", format: "email" },
      },
      required: ["code", "essay", "tags"],
    };
    const completion = await client.chat.completions.create({
      ...chat("Fill the form"),
      response_format: { type: "json_schema", json_schema: { name: "form", strict: false, schema } },
    });
    const value = JSON.parse(completion.choices[0].message.content!);
    assert.ok(value.code.length <= 12 && value.code.includes("fake"), value.code);
    assert.ok(value.essay.length >= 200 && value.essay.length <= 220, value.essay);
    assert.equal(value.tags.length, 1);
    assert.ok(value.tags[0].length <= 12);
    assert.equal(value.five.length, 5);
    assert.ok(value.five.every((n: number) => Number.isInteger(n) && n >= 10 && n <= 12));
    assert.match(value.owner.name, /^Name \(fake AI [0-9a-f]{8}\)$/);
    assert.ok(value.ratio > 0 && value.ratio <= 1);
    assert.equal(value.kind, "fixed");
    assert.equal(typeof value.flag, "boolean");
    assert.match(value.email, /^[^@\s]+@example\.com$/);
  });
});

Deno.test("a plain answer says it comes from the local fake and digests the last user message", async () => {
  await withFake(async ({ client }) => {
    const first = await client.chat.completions.create(chat("Summarize our offsite notes"));
    const again = await client.chat.completions.create(chat("Summarize our offsite notes"));
    const other = await client.chat.completions.create(chat("Summarize the budget"));
    const content = first.choices[0].message.content!;
    assert.match(content, /local fake OpenAI server/);
    assert.match(content, /digest [0-9a-f]{8}/);
    assert.match(content, /Summarize our offsite notes/);
    assert.equal(again.choices[0].message.content, content);
    assert.notEqual(other.choices[0].message.content, content);
  });
});

Deno.test("requests OpenAI would refuse get OpenAI's 400, 401 and 404 errors", async () => {
  await withFake(async ({ base, client }) => {
    const anonymous = await fetch(`${base}/v1/chat/completions`, { method: "POST", body: JSON.stringify(chat("hi")) });
    const body = await anonymous.json();
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get("x-request-id") ?? "", /^req_/);
    assert.equal(body.error.type, "invalid_request_error");
    assert.match(body.error.message, /^You didn't provide an API key/);
    assert.deepEqual([body.error.param, body.error.code], [null, null]);

    const noMessages = await client.chat.completions.create({ model: "gpt-4o" } as never).catch((error) => error);
    assert.ok(noMessages instanceof BadRequestError);
    assert.equal(noMessages.message, "400 Missing required parameter: 'messages'.");
    assert.deepEqual([noMessages.type, noMessages.param, noMessages.code], [
      "invalid_request_error",
      "messages",
      "missing_required_parameter",
    ]);

    const noModel = await client.chat.completions.create({ messages: chat("hi").messages } as never)
      .catch((error) => error);
    assert.ok(noModel instanceof BadRequestError);
    assert.equal(noModel.message, "400 you must provide a model parameter");

    const streaming = await client.chat.completions.create({ ...chat("hi"), stream: true }).catch((error) => error);
    assert.ok(streaming instanceof BadRequestError);
    assert.match(streaming.message, /streaming is not supported by the local fake/);

    const loose = { type: "object", properties: { a: { type: "string" } }, required: ["a"] };
    const notStrict = await client.chat.completions.create({
      ...chat("hi"),
      response_format: { type: "json_schema", json_schema: { name: "loose", strict: true, schema: loose } },
    }).catch((error) => error);
    assert.ok(notStrict instanceof BadRequestError);
    assert.equal(notStrict.code, "invalid_json_schema");
    assert.match(notStrict.message, /'additionalProperties' is required to be supplied and to be false/);

    const unknown = await client.models.list().catch((error) => error);
    assert.ok(unknown instanceof NotFoundError);
    assert.equal(unknown.message, "404 Invalid URL (GET /v1/models)");
  });
});

Deno.test("http_error 429 surfaces as the SDK's RateLimitError, with retry-after and a request id", async () => {
  await withFake(async ({ base, client }) => {
    await addRule(base, { match: "token-429", behaviour: "http_error", status: 429 });
    const error = await client.chat.completions.create(chat("token-429 please")).catch((error) => error);
    assert.ok(error instanceof RateLimitError, String(error));
    assert.equal(error.status, 429);
    assert.equal(error.code, "rate_limit_exceeded");
    assert.equal(error.headers?.get("retry-after"), "1");
    assert.match(error.requestID ?? "", /^req_[0-9a-f]{32}$/);
  });
});

Deno.test("http_error 500 and 503 surface as InternalServerError; 401 as AuthenticationError", async () => {
  await withFake(async ({ base, client }) => {
    await addRule(base, { match: "token-500", behaviour: "http_error" });
    await addRule(base, { match: "token-503", behaviour: "http_error", status: 503 });
    await addRule(base, { match: "token-401", behaviour: "http_error", status: 401 });
    const failed = await client.chat.completions.create(chat("token-500")).catch((error) => error);
    assert.ok(failed instanceof InternalServerError);
    assert.deepEqual([failed.status, failed.type], [500, "server_error"]);
    const overloaded = await client.chat.completions.create(chat("token-503")).catch((error) => error);
    assert.ok(overloaded instanceof InternalServerError);
    assert.equal(overloaded.status, 503);
    assert.match(overloaded.message, /overloaded/);
    const rejected = await client.chat.completions.create(chat("token-401")).catch((error) => error);
    assert.ok(rejected instanceof AuthenticationError);
    assert.equal(rejected.code, "invalid_api_key");
  });
});

Deno.test("hang: the SDK times out with APIConnectionTimeoutError and the fake stops when the client leaves", async () => {
  await withFake(async ({ base, client, handlersSettled }) => {
    await addRule(base, { match: "token-hang", behaviour: "hang" });
    const started = performance.now();
    const error = await client.chat.completions.create(chat("token-hang"), { timeout: 300 }).catch((error) => error);
    assert.ok(error instanceof APIConnectionTimeoutError, String(error));
    assert.ok(performance.now() - started < 5000);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settled = await Promise.race([
      handlersSettled().then(() => true),
      new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), 3000)),
    ]);
    clearTimeout(timer);
    assert.ok(settled, "the hanging handler returned once the client disconnected");
  });
});

Deno.test("invalid_json answers content that JSON.parse rejects", async () => {
  await withFake(async ({ base, client }) => {
    await addRule(base, { match: "token-truncated", behaviour: "invalid_json" });
    const completion = await client.chat.completions.create(activityRequest("token-truncated"));
    assert.equal(completion.choices[0].finish_reason, "stop");
    assert.throws(() => JSON.parse(completion.choices[0].message.content!), SyntaxError);
    const plain = await client.chat.completions.create(chat("token-truncated, no schema"));
    assert.throws(() => JSON.parse(plain.choices[0].message.content!), SyntaxError);
    await assert.rejects(client.chat.completions.parse(activityRequest("token-truncated")), SyntaxError);
  });
});

Deno.test("schema_violation answers JSON that parses but zod rejects", async () => {
  await withFake(async ({ base, client }) => {
    await addRule(base, { match: "token-violation", behaviour: "schema_violation" });
    const completion = await client.chat.completions.create(activityRequest("token-violation"));
    const value = JSON.parse(completion.choices[0].message.content!);
    const result = Activity.safeParse(value);
    assert.equal(result.success, false);
    const problems = result.error!.issues.map((issue) => `${issue.path.join(".")}:${issue.code}`);
    assert.ok(problems.includes("title:invalid_type"), "the first required field is missing");
    assert.ok(problems.includes("objectives:invalid_type"), "the others have the wrong type");
  });
});

Deno.test("times spends a rule: later requests are answered normally", async () => {
  await withFake(async ({ base, client }) => {
    const id = await addRule(base, { match: "token-twice", behaviour: "http_error", status: 500, times: 2 });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(client.chat.completions.create(chat("token-twice")), InternalServerError);
    }
    const third = await client.chat.completions.create(chat("token-twice"));
    assert.match(third.choices[0].message.content!, /local fake OpenAI server/);
    const log = await loggedRequests(base, "token-twice");
    assert.deepEqual(log.requests.map((entry) => [entry.behaviour, entry.rule_id]), [
      ["http_error", id],
      ["http_error", id],
      ["ok", null],
    ]);
  });
});

Deno.test("rules apply only to requests containing their match, newest first, also concurrently", async () => {
  await withFake(async ({ base, client }) => {
    await addRule(base, { match: "team-alpha", behaviour: "http_error", status: 500 });
    const outcomes = await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) =>
          client.chat.completions.create(chat(i % 2 ? "for team-alpha" : "for team-beta"))
            .then(() => "ok", (error) => error.constructor.name),
      ),
    );
    assert.deepEqual(outcomes, Array.from({ length: 10 }, (_, i) => i % 2 ? "InternalServerError" : "ok"));

    const newer = await addRule(base, { match: "team-alpha", behaviour: "ok" });
    await client.chat.completions.create(chat("for team-alpha"));
    await deleteRules(base, newer);
    await assert.rejects(client.chat.completions.create(chat("for team-alpha")), InternalServerError);
    await deleteRules(base);
    await client.chat.completions.create(chat("for team-alpha"));
  });
});

Deno.test("latency_ms delays the answer; defaultLatencyMs applies when no rule sets one", async () => {
  await withFake(async ({ base, client }) => {
    await addRule(base, { match: "token-slow", behaviour: "ok", latency_ms: 400 });
    assert.ok(await elapsedMs(() => client.chat.completions.create(chat("token-slow"))) >= 390);
    assert.ok(await elapsedMs(() => client.chat.completions.create(chat("token-fast"))) < 390);
  });
  await withFake(async ({ base, client }) => {
    assert.ok(await elapsedMs(() => client.chat.completions.create(chat("no rule"))) >= 240);
    await addRule(base, { match: "token-now", behaviour: "ok", latency_ms: 0 });
    assert.ok(await elapsedMs(() => client.chat.completions.create(chat("token-now"))) < 240);
  }, { defaultLatencyMs: 250 });
});

Deno.test("/_control/requests counts the requests that matched, with model, behaviour and rule", async () => {
  await withFake(async ({ base, client }) => {
    const id = await addRule(base, { match: "token-count", behaviour: "schema_violation" });
    await client.chat.completions.create({ ...chat("token-count one"), model: "gpt-4o" });
    await client.chat.completions.create(chat("token-count two"));
    await client.chat.completions.create(chat("something else"));

    const log = await loggedRequests(base, "token-count");
    assert.equal(log.count, 2);
    assert.deepEqual(log.requests.map(({ model, behaviour, rule_id }) => ({ model, behaviour, rule_id })), [
      { model: "gpt-4o", behaviour: "schema_violation", rule_id: id },
      { model: "gpt-4o-mini", behaviour: "schema_violation", rule_id: id },
    ]);
    assert.ok(log.requests.every((entry) => !Number.isNaN(Date.parse(entry.at))));
    assert.equal((await loggedRequests(base, "")).count, 3);
    assert.equal((await loggedRequests(base, "nobody-sent-this")).count, 0);
  });
});

Deno.test("the SDK's own retries get through a rule spent by the first attempt", async () => {
  await withFake(async ({ base }) => {
    const client = new OpenAI({ apiKey: "test", baseURL: `${base}/v1`, maxRetries: 1 });
    await addRule(base, { match: "token-retry", behaviour: "http_error", status: 503, times: 1 });
    const completion = await client.chat.completions.create(chat("token-retry"));
    assert.equal(completion.model, "fake-gpt-4o-mini");
    assert.equal((await loggedRequests(base, "token-retry")).count, 2);
  });
});

Deno.test("a malformed rule is refused with the offending field", async () => {
  await withFake(async ({ base }) => {
    const response = await fetch(`${base}/_control/rules`, {
      method: "POST",
      body: JSON.stringify({ behaviour: "explode" }),
    });
    const body = await response.json();
    assert.equal(response.status, 400);
    assert.equal(body.error.param, "behaviour");
  });
});
