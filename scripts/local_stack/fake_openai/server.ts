/**
 * A fake OpenAI-compatible server for tests, benchmarks and the local stack (OpenAI is unreachable here).
 * It speaks the real wire protocol of `POST /v1/chat/completions`, so the `openai` SDK talks to it unchanged:
 * the same request validation and error bodies, a real `chat.completion` object, and for a `json_schema`
 * response format a deterministic instance of the schema, built from the schema and a hash of the request (for
 * this project's own prompts, coherent activities and summaries built from the prompt: activities.ts).
 * Every answer says it is fake. Tests steer it per request through the control API (control.ts).
 */
import { createHash } from "node:crypto";
import { answerControl, type Behaviour, FakeControl } from "./control.ts";
import {
  baseHeaders,
  failureResponse,
  injectedFailure,
  invalidRequest,
  invalidUrl,
  missingApiKey,
  newRequestId,
} from "./errors.ts";
import { type ChatRequest, contentText, JSON_BODY_ERROR, parseChatRequest } from "./request.ts";
import { exampleFromSchema, violationOfSchema } from "./schema.ts";
import { projectAnswer } from "./activities.ts";

const HANG_MS = 10 * 60_000;

function hex8(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

/**
 * Resolves true after `ms`, or false as soon as the client goes away; no timer outlives the request.
 * `request.signal` is only touched when there is something to wait for: Deno prints a one-time notice about
 * its legacy abort semantics on first access, which a zero-latency run need not trigger.
 */
function sleep(ms: number, request: Request): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(true);
  const { signal } = request;
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function plainAnswer(chat: ChatRequest): string {
  const lastUser = contentText(chat.messages.findLast((message) => message.role === "user")?.content);
  const excerpt = lastUser.replace(/\s+/g, " ").trim();
  const shown = excerpt.length > 60 ? `${excerpt.slice(0, 60)}…` : excerpt;
  return `This answer comes from the local fake OpenAI server; no real model was called. Your last message ` +
    `(digest ${hex8(lastUser)}, ${lastUser.length} characters) began: "${shown}"`;
}

/** The content a behaviour answers with: valid, truncated JSON, or JSON that breaks the schema. */
function contentFor(chat: ChatRequest, behaviour: Behaviour): string {
  const hash = hex8(JSON.stringify([chat.model, chat.messages]));
  const { format } = chat;
  if (behaviour === "schema_violation") {
    const broken = format.type === "json_schema"
      ? violationOfSchema(format.schema, hash)
      : { unexpected_shape: true, note: "Deliberately unexpected JSON from the local fake OpenAI server" };
    return JSON.stringify(broken);
  }
  const prompt = chat.messages.map((message) => contentText(message.content)).join("\n");
  const valid = format.type === "json_schema"
    ? JSON.stringify(projectAnswer(format.name, prompt) ?? exampleFromSchema(format.schema, hash))
    : format.type === "json_object" || behaviour === "invalid_json"
    ? JSON.stringify({ answer: plainAnswer(chat) })
    : plainAnswer(chat);
  if (behaviour !== "invalid_json") return valid;
  // A proper prefix of a JSON object or array never parses; a cut scalar might, so it is wrapped first.
  const cut = valid.slice(0, Math.max(1, Math.floor(valid.length / 2)));
  return /^[[{]/.test(valid) ? cut : `{"answer": ${cut}`;
}

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function completionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(29));
  return `chatcmpl-${Array.from(bytes, (byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join("")}`;
}

/** Characters per token the fake assumes (OpenAI's rule of thumb for English). */
const CHARS_PER_TOKEN = 4;

/**
 * The answer as the model would deliver it within `max_completion_tokens`: whole, or cut at the budget with
 * `finish_reason: "length"`. The `length` behaviour cuts it half-way whatever the budget.
 */
function withinBudget(chat: ChatRequest, content: string, behaviour: Behaviour) {
  const budgetChars = chat.maxTokens === null ? Infinity : chat.maxTokens * CHARS_PER_TOKEN;
  if (behaviour === "length") {
    return { content: content.slice(0, Math.min(budgetChars, Math.ceil(content.length / 2))), finishReason: "length" };
  }
  if (content.length <= budgetChars) return { content, finishReason: "stop" };
  return { content: content.slice(0, budgetChars), finishReason: "length" };
}

function chatCompletion(
  chat: ChatRequest,
  answer: { content: string; finishReason: string },
  promptChars: number,
) {
  const { content } = answer;
  const promptTokens = Math.max(1, Math.ceil(promptChars / CHARS_PER_TOKEN));
  const completionTokens = Math.max(1, Math.ceil(content.length / CHARS_PER_TOKEN)) * chat.n;
  return {
    id: completionId(),
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: `fake-${chat.model}`,
    choices: Array.from({ length: chat.n }, (_, index) => ({
      index,
      message: { role: "assistant", content, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: answer.finishReason,
    })),
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    service_tier: "default",
    system_fingerprint: "local-fake-openai",
  };
}

/** What the server answers once the client is gone; nobody reads it. */
function clientGone(): Response {
  return new Response(null, { status: 499 });
}

interface Served {
  control: FakeControl;
  defaultLatencyMs: number;
}

async function answerChatCompletion(request: Request, served: Served): Promise<Response> {
  const startedAt = performance.now();
  const requestId = newRequestId();
  const headers = () => baseHeaders(requestId, startedAt);
  const apiKey = /^Bearer\s+(\S+)/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!apiKey) return failureResponse(missingApiKey(), headers());

  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch (error) {
    if (request.signal.aborted) return clientGone();
    if (!(error instanceof SyntaxError)) throw error;
    return failureResponse(invalidRequest(JSON_BODY_ERROR), headers());
  }
  const parsed = parseChatRequest(body);
  if (!parsed.ok) return failureResponse(parsed.failure, headers());
  const { chat } = parsed;

  const text = chat.messages.map((message) => contentText(message.content)).join("\n");
  const rule = served.control.takeRule(text);
  const behaviour = rule?.behaviour ?? "ok";
  served.control.record(
    { model: chat.model, behaviour, rule_id: rule?.id ?? null, at: new Date().toISOString() },
    text,
  );

  if (!await sleep(rule?.latency_ms ?? served.defaultLatencyMs, request)) return clientGone();
  if (behaviour === "hang" && !await sleep(HANG_MS, request)) return clientGone();
  if (behaviour === "hang" || behaviour === "http_error") {
    const status = behaviour === "hang" ? 504 : rule!.status;
    const context = { model: chat.model, apiKey, requestId, retryAfterSeconds: rule!.retry_after_s };
    return failureResponse(injectedFailure(status, context), headers());
  }
  const completion = chatCompletion(chat, withinBudget(chat, contentFor(chat, behaviour), behaviour), text.length);
  return new Response(JSON.stringify(completion), { status: 200, headers: headers() });
}

/** Handles one request; `path` is the URL path after `/openai` (e.g. `/v1/chat/completions`, `/_control/rules`). */
export function createFakeOpenAI(options?: { defaultLatencyMs?: number }): (
  request: Request,
  path: string,
) => Promise<Response> {
  const served: Served = { control: new FakeControl(), defaultLatencyMs: options?.defaultLatencyMs ?? 0 };
  return async function answerFakeOpenAI(request: Request, path: string): Promise<Response> {
    try {
      if (path.startsWith("/_control/")) {
        const answered = await answerControl(served.control, request, path);
        if (answered) return answered;
      } else if (path === "/v1/chat/completions" && request.method === "POST") {
        return await answerChatCompletion(request, served);
      }
      return failureResponse(invalidUrl(request.method, path), baseHeaders(newRequestId(), performance.now()));
    } catch (error) {
      if (request.signal.aborted) return clientGone();
      // A bug in the fake answers like an OpenAI outage, with the reason, rather than as a bare 500 from the host.
      const message = `The local fake OpenAI server failed: ${error instanceof Error ? error.message : error}`;
      return failureResponse(
        { status: 500, error: { message, type: "server_error", param: null, code: null } },
        baseHeaders(newRequestId(), performance.now()),
      );
    }
  };
}
