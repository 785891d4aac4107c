/**
 * The AI, through the `openai` SDK against OpenAI or any compatible server (OPENAI_BASE_URL): structured
 * output checked against a zod schema, one repair attempt when the answer does not fit, then a typed
 * failure that says whether trying again later may help.
 */
import OpenAI from "openai";
import { z } from "zod";
import { strictJsonSchema } from "../contract/activity.ts";
import { aiSettings, defineSettings, positiveInteger } from "../core/config.ts";

/** Connection settings; the model and token limits by plan are in aiSettings. */
export const openaiSettings = defineSettings({
  OPENAI_API_KEY: z.string().min(1),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_TIMEOUT_MS: positiveInteger(60_000),
});

/** Why an AI call failed: `retryable` failures (rate limits, timeouts, outages) may succeed later. */
export class AiError extends Error {
  override name = "AiError";
  constructor(
    readonly kind:
      | "rate_limited"
      | "timeout"
      | "unavailable"
      | "invalid_output"
      | "truncated"
      | "refused"
      | "misconfigured",
    message: string,
    readonly retryable: boolean,
    /** The provider's Retry-After, in seconds, when it sent one. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }

  /**
   * Whether the provider itself is struggling (429, 5xx, timeout, unreachable): not this request's fault,
   * so callers pause the provider rather than blame the work. Unusable answers and refusals are not.
   */
  get providerSide(): boolean {
    return this.kind === "rate_limited" || this.kind === "timeout" || this.kind === "unavailable";
  }
}

/** The provider an AI call goes to (the host of OPENAI_BASE_URL): the key of its shared pause. */
export function aiProvider(): string {
  const base = openaiSettings().OPENAI_BASE_URL ?? "https://api.openai.com/v1";
  return new URL(base).host;
}

/** Seconds from a Retry-After header (delta seconds or an HTTP date), `retry-after-ms`, or null. */
export function retryAfterSeconds(headers: Headers | undefined, now = Date.now()): number | null {
  if (!headers) return null;
  const ms = Number(headers.get("retry-after-ms"));
  if (headers.get("retry-after-ms") && Number.isFinite(ms) && ms >= 0) return Math.ceil(ms / 1000);
  const value = headers.get("retry-after")?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

let client: { key: string; base?: string; timeout: number; sdk: OpenAI } | undefined;

/** The isolate's SDK client (created once; recreated only if its settings change, as in tests). */
function openai(): OpenAI {
  const settings = openaiSettings();
  if (
    !client || client.key !== settings.OPENAI_API_KEY || client.base !== settings.OPENAI_BASE_URL ||
    client.timeout !== settings.OPENAI_TIMEOUT_MS
  ) {
    client = {
      key: settings.OPENAI_API_KEY,
      base: settings.OPENAI_BASE_URL,
      timeout: settings.OPENAI_TIMEOUT_MS,
      sdk: new OpenAI({
        apiKey: settings.OPENAI_API_KEY,
        baseURL: settings.OPENAI_BASE_URL,
        timeout: settings.OPENAI_TIMEOUT_MS,
        maxRetries: 0,
      }),
    };
  }
  return client.sdk;
}

/** An answer cut off at its token limit is asked for once more with this many times the budget. */
export const LENGTH_RETRY_FACTOR = 2;

/** The model and token limit for a plan and a task. */
export function modelFor(plan: "free" | "paid", task: "customization" | "generation" | "summary") {
  const settings = aiSettings();
  return {
    model: plan === "paid" ? settings.PAID_TIER_AI_MODEL : settings.FREE_TIER_AI_MODEL,
    maxTokens: task === "customization"
      ? settings.MAX_TOKENS_PUBLIC_CUSTOMIZATION
      : settings.MAX_TOKENS_CUSTOM_GENERATION,
  };
}

function truncated(budget: number): AiError {
  return new AiError(
    "truncated",
    `The AI's answer was cut off at its limit of ${budget} tokens (finish_reason "length"), also after one ` +
      "retry with a larger budget: raise MAX_TOKENS_CUSTOM_GENERATION or MAX_TOKENS_PUBLIC_CUSTOMIZATION",
    false,
  );
}

function classify(error: unknown): AiError {
  if (error instanceof AiError) return error;
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new AiError("timeout", "The AI did not answer in time", true);
  }
  if (error instanceof OpenAI.APIUserAbortError) return new AiError("timeout", "The AI call was cancelled", true);
  if (error instanceof OpenAI.APIConnectionError) {
    return new AiError("unavailable", "The AI could not be reached", true);
  }
  if (error instanceof OpenAI.RateLimitError) {
    return new AiError("rate_limited", "The AI is rate limiting us", true, retryAfterSeconds(error.headers));
  }
  // As the SDK's own retry rule: 408 and 409 are transient, like any 5xx.
  if (
    error instanceof OpenAI.APIError && (error.status === 408 || error.status === 409 || (error.status ?? 0) >= 500)
  ) {
    return new AiError("unavailable", `The AI failed (HTTP ${error.status})`, true, retryAfterSeconds(error.headers));
  }
  if (error instanceof OpenAI.APIError) {
    return new AiError("misconfigured", `The AI refused the request (HTTP ${error.status}): ${error.message}`, false);
  }
  return new AiError("unavailable", `The AI call failed: ${error instanceof Error ? error.message : error}`, true);
}

/** The messages of one structured request. */
export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

/** What a structured call returns. */
export interface StructuredAnswer<T> {
  value: T;
  /** The model that wrote the answer, as the server reported it. */
  model: string;
  repaired: boolean;
}

function parseAnswer<S extends z.ZodType>(schema: S, content: string | null | undefined) {
  if (!content) return { ok: false as const, problem: "The answer was empty" };
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return { ok: false as const, problem: "The answer was not valid JSON" };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true as const, value: parsed.data as z.infer<S> };
  const issues = parsed.error.issues.slice(0, 8).map((issue) =>
    `${issue.path.join(".") || "(root)"}: ${issue.message}`
  );
  return { ok: false as const, problem: `The answer did not match the schema: ${issues.join("; ")}` };
}

/**
 * Asks for JSON matching `schema`. An answer cut off at the token limit (`finish_reason: "length"`) is asked
 * for once more with LENGTH_RETRY_FACTOR times the budget, then fails with `truncated` (not retryable: the
 * same budget would cut it again). An answer that does not parse or validate gets one repair request that
 * names what was wrong; a second bad answer fails with `invalid_output`.
 */
export async function generateStructured<S extends z.ZodType>(options: {
  schema: S;
  schemaName: string;
  messages: ChatMessage[];
  model: string;
  maxTokens: number;
  signal?: AbortSignal;
  /** Runs before each request to the AI (the repair request too), e.g. to count it; throwing stops the call. */
  beforeRequest?: () => Promise<void>;
}): Promise<StructuredAnswer<z.infer<S>>> {
  const responseFormat = {
    type: "json_schema" as const,
    json_schema: { name: options.schemaName, strict: true, schema: strictJsonSchema(options.schema) },
  };
  const messages: ChatMessage[] = [...options.messages];
  let budget = options.maxTokens;
  for (let attempt = 1; attempt <= 2; attempt++) {
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    await options.beforeRequest?.();
    try {
      completion = await openai().chat.completions.create({
        model: options.model,
        messages,
        response_format: responseFormat,
        max_completion_tokens: budget,
      }, { signal: options.signal });
    } catch (error) {
      throw classify(error);
    }
    const choice = completion.choices[0];
    if (choice?.message?.refusal) throw new AiError("refused", "The AI declined to answer this request", false);
    if (choice?.finish_reason === "length") {
      if (budget > options.maxTokens) throw truncated(budget);
      budget = options.maxTokens * LENGTH_RETRY_FACTOR;
      attempt--; // a cut-off answer is not a bad one: the repair attempt stays available
      continue;
    }
    const answer = parseAnswer(options.schema, choice?.message?.content);
    if (answer.ok) return { value: answer.value, model: completion.model || options.model, repaired: attempt > 1 };
    if (attempt === 2) {
      throw new AiError("invalid_output", `The AI's answer was unusable twice: ${answer.problem}`, true);
    }
    messages.push(
      { role: "assistant", content: choice?.message?.content ?? "" },
      {
        role: "user",
        content: `${answer.problem}. Answer again with only the JSON object, matching the schema exactly.`,
      },
    );
  }
  throw new AiError("invalid_output", "The AI's answer was unusable", true);
}
