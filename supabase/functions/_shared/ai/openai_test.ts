import { equal, ok, rejects } from "node:assert/strict";
import { z } from "zod";
import { createFakeOpenAI } from "../../../../scripts/local_stack/fake_openai/server.ts";
import { AiError, generateStructured, openaiSettings } from "./openai.ts";

const Answer = z.strictObject({ headline: z.string().min(1), points: z.array(z.string()).min(2) });

/** The fake OpenAI-compatible server in-process, and the settings pointing the AI module at it. */
async function withFake(test: (control: (rule: Record<string, unknown>) => Promise<void>) => Promise<void>) {
  const handler = createFakeOpenAI();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => handler(request, new URL(request.url).pathname.replace(/^\/openai/, "")),
  );
  const base = `http://127.0.0.1:${server.addr.port}/openai`;
  Deno.env.set("OPENAI_API_KEY", "test-key");
  Deno.env.set("OPENAI_BASE_URL", `${base}/v1`);
  Deno.env.set("OPENAI_TIMEOUT_MS", "1000");
  openaiSettings.refresh();
  try {
    await test(async (rule) => {
      const response = await fetch(`${base}/_control/rules`, { method: "POST", body: JSON.stringify(rule) });
      await response.body?.cancel();
      equal(response.status, 201);
    });
  } finally {
    await server.shutdown();
  }
}

const ask = (marker: string) =>
  generateStructured({
    schema: Answer,
    schemaName: "answer",
    messages: [{ role: "user", content: `Say something ${marker}` }],
    model: "gpt-4o-mini",
    maxTokens: 200,
  });

Deno.test("a structured answer parses into the schema and names the model that wrote it", async () => {
  await withFake(async () => {
    const answer = await ask("plain");
    ok(Answer.safeParse(answer.value).success);
    equal(answer.model, "fake-gpt-4o-mini");
    equal(answer.repaired, false);
  });
});

Deno.test("an answer that breaks the schema gets one repair; twice is invalid_output", async () => {
  await withFake(async (rule) => {
    await rule({ match: "once", behaviour: "schema_violation", times: 1 });
    equal((await ask("once")).repaired, true);
    await rule({ match: "always", behaviour: "invalid_json" });
    await rejects(ask("always"), (e: AiError) => e instanceof AiError && e.kind === "invalid_output" && e.retryable);
  });
});

Deno.test("rate limits, outages and timeouts are retryable AiErrors; a refused request is not", async () => {
  await withFake(async (rule) => {
    await rule({ match: "limited", behaviour: "http_error", status: 429 });
    await rule({ match: "down", behaviour: "http_error", status: 503 });
    await rule({ match: "stuck", behaviour: "hang" });
    await rule({ match: "refused", behaviour: "http_error", status: 400 });
    await rejects(ask("limited"), (e: AiError) => e.kind === "rate_limited" && e.retryable);
    await rejects(ask("down"), (e: AiError) => e.kind === "unavailable" && e.retryable);
    await rejects(ask("stuck"), (e: AiError) => e.kind === "timeout" && e.retryable);
    await rejects(ask("refused"), (e: AiError) => e.kind === "misconfigured" && !e.retryable);
  });
});

Deno.test("an answer cut off at its token limit is asked once more with twice the budget, then fails as truncated", async () => {
  await withFake(async (rule) => {
    await rule({ match: "cut-once", behaviour: "length", times: 1 });
    const answer = await ask("cut-once");
    ok(Answer.safeParse(answer.value).success, "the second, larger answer is used");
    equal(answer.repaired, false);

    await rule({ match: "cut-always", behaviour: "length" });
    await rejects(ask("cut-always"), (e: AiError) => {
      ok(e instanceof AiError && e.kind === "truncated" && !e.retryable);
      ok(e.message.includes("400 tokens"), `the message names the larger budget: ${e.message}`);
      return true;
    });

    // A budget the answer does not fit in is cut by the server itself (finish_reason "length").
    const tiny = generateStructured({
      schema: Answer,
      schemaName: "answer",
      messages: [{ role: "user", content: "Say something tiny" }],
      model: "gpt-4o-mini",
      maxTokens: 3,
    });
    await rejects(tiny, (e: AiError) => e.kind === "truncated" && e.message.includes("6 tokens"));
  });
});
