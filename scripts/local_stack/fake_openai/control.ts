/**
 * Per-test control of the fake OpenAI server: rules that pick how matching requests are answered, and a
 * bounded log of the requests it saw. Rules are scoped by `match` (a substring of the request's message
 * contents), so concurrent tests that put their own token in their prompts do not disturb each other.
 *
 *   POST   /_control/rules        {match?, behaviour, status?, latency_ms?, times?, retry_after_s?} → 201 {id}
 *          behaviour: ok | http_error | invalid_json | schema_violation | hang | length (the answer cut off
 *          half-way with finish_reason "length", as when max_completion_tokens runs out)
 *   GET    /_control/rules        → {rules: [...]}, newest first
 *   DELETE /_control/rules/<id>   → 204 (also for an id that is already gone: deleting is idempotent)
 *   DELETE /_control/rules        → 204, every rule removed
 *   GET    /_control/requests?match=<substring> → {count, requests: [{model, behaviour, rule_id, at}]}
 */
import { invalidRequest, type OpenAIFailure } from "./errors.ts";

/** How a request is answered. */
export type Behaviour = "ok" | "http_error" | "invalid_json" | "schema_violation" | "hang" | "length";

const BEHAVIOURS: readonly Behaviour[] = ["ok", "http_error", "invalid_json", "schema_violation", "hang", "length"];

/** A rule as it is stored and listed. */
export interface FakeRule {
  id: string;
  match: string;
  behaviour: Behaviour;
  status: number;
  latency_ms: number | null;
  times: number | null;
  retry_after_s: number;
  used: number;
  created_at: string;
}

/** One request the fake answered (after validation), as `/_control/requests` lists it. */
export interface LoggedRequest {
  model: string;
  behaviour: Behaviour;
  rule_id: string | null;
  at: string;
}

const MAX_LOGGED = 10_000;
/** The log keeps each request's text to filter by substring; this caps what that text may hold in total. */
const MAX_LOGGED_CHARS = 32_000_000;
const MAX_RULES = 10_000;
const MAX_LATENCY_MS = 10 * 60_000;

function isNonNegativeInteger(value: unknown, max = Number.MAX_SAFE_INTEGER): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max;
}

/** Validates a rule body, naming the offending field the way OpenAI does. */
function parseRule(body: unknown): { ok: true; rule: Omit<FakeRule, "id" | "used" | "created_at"> } | {
  ok: false;
  failure: OpenAIFailure;
} {
  const fail = (param: string, message: string) => ({ ok: false as const, failure: invalidRequest(message, param) });
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return fail("body", "Invalid rule: expected a JSON object");
  }
  const input = body as Record<string, unknown>;
  if (input.match !== undefined && input.match !== null && typeof input.match !== "string") {
    return fail("match", "Invalid 'match': expected a string");
  }
  if (!BEHAVIOURS.includes(input.behaviour as Behaviour)) {
    return fail("behaviour", `Invalid 'behaviour': expected one of ${BEHAVIOURS.join(", ")}`);
  }
  if (input.status !== undefined && !(isNonNegativeInteger(input.status, 599) && input.status >= 400)) {
    return fail("status", "Invalid 'status': expected an HTTP error status from 400 to 599");
  }
  if (input.latency_ms !== undefined && !isNonNegativeInteger(input.latency_ms, MAX_LATENCY_MS)) {
    return fail("latency_ms", `Invalid 'latency_ms': expected an integer from 0 to ${MAX_LATENCY_MS}`);
  }
  if (input.times !== undefined && !(isNonNegativeInteger(input.times) && input.times >= 1)) {
    return fail("times", "Invalid 'times': expected a positive integer");
  }
  if (input.retry_after_s !== undefined && !isNonNegativeInteger(input.retry_after_s, 3600)) {
    return fail("retry_after_s", "Invalid 'retry_after_s': expected an integer from 0 to 3600");
  }
  return {
    ok: true,
    rule: {
      match: (input.match as string | undefined) ?? "",
      behaviour: input.behaviour as Behaviour,
      status: (input.status as number | undefined) ?? 500,
      latency_ms: (input.latency_ms as number | undefined) ?? null,
      times: (input.times as number | undefined) ?? null,
      retry_after_s: (input.retry_after_s as number | undefined) ?? 1,
    },
  };
}

/** The rules and request log of one fake server. */
export class FakeControl {
  #rules: FakeRule[] = [];
  #sequence = 0;
  #log: (LoggedRequest & { text: string })[] = [];
  #loggedChars = 0;

  /** Adds a rule from a request body; the newest rule is checked first. */
  addRule(body: unknown): { ok: true; rule: FakeRule } | { ok: false; failure: OpenAIFailure } {
    const parsed = parseRule(body);
    if (!parsed.ok) return parsed;
    const rule: FakeRule = {
      id: `rule_${++this.#sequence}_${crypto.randomUUID().slice(0, 8)}`,
      ...parsed.rule,
      used: 0,
      created_at: new Date().toISOString(),
    };
    this.#rules.unshift(rule);
    if (this.#rules.length > MAX_RULES) this.#rules.length = MAX_RULES;
    return { ok: true, rule };
  }

  /** Removes one rule, if it is still there. */
  deleteRule(id: string): void {
    this.#rules = this.#rules.filter((rule) => rule.id !== id);
  }

  /** Removes every rule. */
  clearRules(): void {
    this.#rules = [];
  }

  /** The rules, newest first, spent ones included. */
  rules(): FakeRule[] {
    return this.#rules.map((rule) => ({ ...rule }));
  }

  /** The newest unspent rule whose `match` occurs in `text`, counted as used by this request. */
  takeRule(text: string): FakeRule | undefined {
    const rule = this.#rules.find((candidate) =>
      (candidate.times === null || candidate.used < candidate.times) && text.includes(candidate.match)
    );
    if (rule) rule.used++;
    return rule;
  }

  /** Records a request; the oldest entries go once the log holds 10,000 requests or its text cap. */
  record(entry: LoggedRequest, text: string): void {
    this.#log.push({ ...entry, text });
    this.#loggedChars += text.length;
    while (this.#log.length > MAX_LOGGED || (this.#loggedChars > MAX_LOGGED_CHARS && this.#log.length > 1)) {
      this.#loggedChars -= this.#log.shift()!.text.length;
    }
  }

  /** The logged requests whose message contents contain `match` (all of them without one), oldest first. */
  requests(match = ""): LoggedRequest[] {
    return this.#log.filter((entry) => entry.text.includes(match)).map(({ text: _text, ...entry }) => entry);
  }
}

function json(body: unknown, status = 200): Response {
  return Response.json(body, { status });
}

/** Answers the `/_control/*` endpoints, or undefined when `path` is not one of them. */
export async function answerControl(
  control: FakeControl,
  request: Request,
  path: string,
): Promise<Response | undefined> {
  const { method } = request;
  if (path === "/_control/rules" && method === "POST") {
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return json({ error: invalidRequest("Invalid rule: the body is not JSON").error }, 400);
    }
    const added = control.addRule(body);
    return added.ok ? json({ id: added.rule.id, rule: added.rule }, 201) : json({ error: added.failure.error }, 400);
  }
  if (path === "/_control/rules" && method === "GET") return json({ rules: control.rules() });
  if (path === "/_control/rules" && method === "DELETE") {
    control.clearRules();
    return new Response(null, { status: 204 });
  }
  const one = /^\/_control\/rules\/([^/]+)$/.exec(path);
  if (one && method === "DELETE") {
    control.deleteRule(decodeURIComponent(one[1]));
    return new Response(null, { status: 204 });
  }
  if (path === "/_control/requests" && method === "GET") {
    const requests = control.requests(new URL(request.url).searchParams.get("match") ?? "");
    return json({ count: requests.length, requests });
  }
  return undefined;
}
