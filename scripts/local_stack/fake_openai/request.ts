/**
 * The request side of the fake OpenAI server: `POST /v1/chat/completions` bodies are checked the way OpenAI
 * checks them (same messages, params and codes), for the fields the fake relies on.
 */
import { invalidRequest, type OpenAIFailure } from "./errors.ts";
import { strictSchemaProblem } from "./schema.ts";

const ROLES = ["system", "developer", "user", "assistant", "tool", "function"];

/** OpenAI's answer to a body that is not JSON. */
export const JSON_BODY_ERROR =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't " +
  "using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. " +
  "If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)";

/** The response format asked for; a json_schema one carries its (strict-checked) schema. */
export type ResponseFormat =
  | { type: "text" | "json_object" }
  | { type: "json_schema"; name: string; schema: unknown };

/** The parts of a chat completion request the fake uses. */
export interface ChatRequest {
  model: string;
  messages: { role: string; content?: unknown }[];
  format: ResponseFormat;
  n: number;
  /** `max_completion_tokens` (or the older `max_tokens`): past it the answer is cut, `finish_reason: "length"`. */
  maxTokens: number | null;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (Number.isInteger(value)) return "an integer";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The text of a message's `content`: a string, or the text of its parts. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part) => typeof part?.text === "string" ? part.text : part?.refusal ?? "").join("");
}

function parseFormat(value: unknown): ResponseFormat | OpenAIFailure {
  if (value === undefined || value === null) return { type: "text" };
  if (typeof value !== "object" || Array.isArray(value)) {
    return invalidRequest(
      `Invalid type for 'response_format': expected an object, but got ${typeName(value)} instead.`,
      "response_format",
      "invalid_type",
    );
  }
  const format = value as Record<string, unknown>;
  if (format.type === "text" || format.type === "json_object") return { type: format.type };
  if (format.type !== "json_schema") {
    return invalidRequest(
      `Invalid value: '${format.type}'. Supported values are: 'text', 'json_object', and 'json_schema'.`,
      "response_format.type",
      "invalid_value",
    );
  }
  const spec = format.json_schema as Record<string, unknown> | undefined;
  if (typeof spec !== "object" || spec === null) {
    const param = "response_format.json_schema";
    return invalidRequest(`Missing required parameter: '${param}'.`, param, "missing_required_parameter");
  }
  if (typeof spec.name !== "string") {
    const param = "response_format.json_schema.name";
    return invalidRequest(`Missing required parameter: '${param}'.`, param, "missing_required_parameter");
  }
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(spec.name)) {
    return invalidRequest(
      "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches " +
        "the pattern '^[a-zA-Z0-9_-]+$'.",
      "response_format.json_schema.name",
      "invalid_value",
    );
  }
  const schema = spec.schema ?? { type: "object" };
  const problem = spec.strict === true ? strictSchemaProblem(schema) : undefined;
  if (problem) {
    return invalidRequest(
      `Invalid schema for response_format '${spec.name}': ${problem}`,
      "response_format",
      "invalid_json_schema",
    );
  }
  return { type: "json_schema", name: spec.name, schema };
}

/** Checks a request body the way OpenAI does for the fields this fake relies on. */
export function parseChatRequest(
  body: unknown,
): { ok: true; chat: ChatRequest } | { ok: false; failure: OpenAIFailure } {
  const fail = (failure: OpenAIFailure) => ({ ok: false as const, failure });
  if (typeof body !== "object" || body === null || Array.isArray(body)) return fail(invalidRequest(JSON_BODY_ERROR));
  const input = body as Record<string, unknown>;
  if (input.model === undefined || input.model === null || input.model === "") {
    return fail(invalidRequest("you must provide a model parameter"));
  }
  if (typeof input.model !== "string") {
    return fail(invalidRequest(
      `Invalid type for 'model': expected a string, but got ${typeName(input.model)} instead.`,
      "model",
      "invalid_type",
    ));
  }
  const { messages } = input;
  if (messages === undefined || messages === null) {
    return fail(invalidRequest("Missing required parameter: 'messages'.", "messages", "missing_required_parameter"));
  }
  if (!Array.isArray(messages)) {
    return fail(invalidRequest(
      `Invalid type for 'messages': expected an array of objects, but got ${typeName(messages)} instead.`,
      "messages",
      "invalid_type",
    ));
  }
  if (messages.length === 0) {
    return fail(invalidRequest(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      "messages",
      "empty_array",
    ));
  }
  for (const [i, message] of messages.entries()) {
    const param = `messages[${i}]`;
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
      return fail(invalidRequest(
        `Invalid type for '${param}': expected an object, but got ${typeName(message)} instead.`,
        param,
        "invalid_type",
      ));
    }
    if (message.role === undefined) {
      return fail(
        invalidRequest(`Missing required parameter: '${param}.role'.`, `${param}.role`, "missing_required_parameter"),
      );
    }
    if (!ROLES.includes(message.role)) {
      return fail(invalidRequest(
        `Invalid value: '${message.role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', ` +
          "and 'developer'.",
        `${param}.role`,
        "invalid_value",
      ));
    }
    if (message.role !== "assistant" && message.content === undefined) {
      const contentParam = `${param}.content`;
      return fail(
        invalidRequest(`Missing required parameter: '${contentParam}'.`, contentParam, "missing_required_parameter"),
      );
    }
  }
  if (input.stream === true) {
    return fail(invalidRequest("streaming is not supported by the local fake", "stream", "unsupported_value"));
  }
  const n = input.n ?? 1;
  if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 128) {
    return fail(invalidRequest("Invalid 'n': expected an integer from 1 to 128.", "n", "invalid_value"));
  }
  const format = parseFormat(input.response_format);
  if ("status" in format) return fail(format);
  if (format.type === "json_object" && !messages.some((message) => /json/i.test(contentText(message.content)))) {
    return fail(invalidRequest(
      "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
      "messages",
    ));
  }
  const maxTokens = input.max_completion_tokens ?? input.max_tokens ?? null;
  if (maxTokens !== null && !(Number.isInteger(maxTokens) && (maxTokens as number) >= 1)) {
    const param = input.max_completion_tokens !== undefined ? "max_completion_tokens" : "max_tokens";
    return fail(invalidRequest(`Invalid '${param}': expected a positive integer.`, param, "invalid_value"));
  }
  return { ok: true, chat: { model: input.model, messages, format, n: n as number, maxTokens: maxTokens as number } };
}
