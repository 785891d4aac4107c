/** Steering the local fake OpenAI server from tests (its `/_control` API), scoped by a marker in the prompt. */
import { withDb } from "./db.ts";
import { stackStatus } from "./stack.ts";

/** How the fake answers requests whose messages contain `match`. */
export interface FakeRule {
  match?: string;
  behaviour: "ok" | "http_error" | "invalid_json" | "schema_violation" | "hang" | "length";
  status?: number;
  latency_ms?: number;
  times?: number;
  /** The Retry-After a 429 carries (seconds; the fake's default is 1). */
  retry_after_s?: number;
}

function controlUrl(path: string): string {
  return `${stackStatus().api_url}/openai/_control${path}`;
}

/** Installs a rule; the returned function removes it. */
export async function fakeRule(rule: FakeRule): Promise<() => Promise<void>> {
  const response = await fetch(controlUrl("/rules"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(rule),
  });
  if (response.status !== 201) throw new Error(`fake rule refused: ${response.status} ${await response.text()}`);
  const { id } = await response.json();
  return async () => {
    await (await fetch(controlUrl(`/rules/${id}`), { method: "DELETE" })).body?.cancel();
  };
}

/** How many AI requests contained `match`. */
export async function fakeRequestCount(match: string): Promise<number> {
  const response = await fetch(controlUrl(`/requests?match=${encodeURIComponent(match)}`));
  return (await response.json()).count;
}

/** A unique marker to put in notes or requirements, so a rule touches only this test's requests. */
export function marker(label: string): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * Forgets the fake provider's shared pause and failure count (public.ai_provider_circuits), so that a test
 * which made the AI fail on purpose does not leave the next test facing an open circuit.
 */
export async function resetAiCircuit(): Promise<void> {
  await withDb((sql) => sql`delete from public.ai_provider_circuits`);
}
