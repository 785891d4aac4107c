/**
 * The Idempotency-Key header: a retry with the same key and body replays the first response without doing
 * the work again; the same key with another body is a 422. Concurrent requests with one key wait for the
 * first to finish and then replay its response.
 */
import { asService, db, type Transaction, withDbRetry } from "../db/connection.ts";
import { ApiError, ErrorCode } from "../core/errors.ts";
import { log } from "../core/log.ts";

/**
 * How long a key stays locked without its holder renewing it; the holder renews every third of it, so a
 * request that died frees its key within a minute and a retry with the key runs afresh.
 */
const LOCK_SECONDS = 60;
/** How long a concurrent request waits for the first one's response. */
const WAIT_MS = 30_000;

/** The header's value, validated, or null when absent. */
export function idempotencyKeyOf(request: Request): string | null {
  const key = request.headers.get("idempotency-key");
  if (key === null) return null;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ApiError(ErrorCode.invalidInput, "Invalid Idempotency-Key: use 1 to 255 visible ASCII characters", {
      field: "Idempotency-Key",
    });
  }
  return key;
}

/** A stable hash of a request body (keys sorted), to tell a retry from another request. */
export async function requestHash(value: unknown): Promise<string> {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === "object"
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, canonical(x)]))
      : v;
  const bytes = new TextEncoder().encode(JSON.stringify(canonical(value)));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A stored response to replay. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

/** What the work function gets: a way to store its response in the same transaction as its writes. */
export type Completer = (tx: Transaction, response: StoredResponse) => Promise<void>;

/**
 * Runs `work` at most once per (organization, user, scope, key). Without a key it simply runs. With one,
 * `work` must call the completer inside the transaction that saves its result, so the result and the
 * stored response commit together; if `work` throws, the key is released for a retry.
 */
export async function runOnce(
  options: { organizationId: string; userId: string; scope: string; key: string | null; hash: string },
  work: (complete: Completer) => Promise<StoredResponse>,
): Promise<StoredResponse> {
  if (options.key === null) return await work(async () => {});
  const deadline = Date.now() + WAIT_MS;
  while (true) {
    const [claim] = await withDbRetry(() =>
      asService((tx) =>
        tx<{ id: string; state: string; response_status: number | null; response: unknown }[]>`
          select * from public.begin_idempotent_request(${options.organizationId}, ${options.userId}, ${options.scope},
            ${options.key}, ${options.hash}, ${LOCK_SECONDS})`
      )
    );
    if (claim.state === "completed") return { status: claim.response_status ?? 200, body: claim.response };
    if (claim.state === "mismatch") {
      throw new ApiError(ErrorCode.unprocessable, "This Idempotency-Key was already used with another request body", {
        field: "Idempotency-Key",
      });
    }
    if (claim.state === "started") {
      const renew = setInterval(() => {
        db()`select public.extend_idempotent_request(${claim.id}, ${LOCK_SECONDS})`.catch((error) =>
          log("warn", "could not renew an Idempotency-Key lock", { error: String(error) })
        );
      }, (LOCK_SECONDS * 1000) / 3);
      try {
        return await work(async (tx, response) => {
          await tx`select public.complete_idempotent_request(${claim.id}, ${response.status},
                    ${tx.json(response.body as never)})`;
        });
      } catch (error) {
        await withDbRetry(() => asService((tx) => tx`select public.abandon_idempotent_request(${claim.id})`)).catch(
          () => {},
        );
        throw error;
      } finally {
        clearInterval(renew);
      }
    }
    if (Date.now() > deadline) {
      throw new ApiError(ErrorCode.conflict, "A request with this Idempotency-Key is still in progress: retry later", {
        field: "Idempotency-Key",
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
