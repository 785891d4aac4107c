import { equal, throws } from "node:assert/strict";
import { ApiError } from "../core/errors.ts";
import { verifyWorkerSecret, workerSettings } from "./worker.ts";

Deno.env.set("WORKER_SECRET", "a-long-enough-worker-secret");
workerSettings.refresh();

function wake(secret?: string): Request {
  return new Request("http://localhost/jobs-worker", {
    method: "POST",
    headers: secret === undefined ? {} : { "x-worker-secret": secret },
  });
}

Deno.test("the worker secret must match exactly", () => {
  verifyWorkerSecret(wake("a-long-enough-worker-secret"));
  for (const secret of [undefined, "", "a-long-enough-worker-secreT", "a-long-enough-worker-secret-and-more", "x"]) {
    throws(() => verifyWorkerSecret(wake(secret)), (e: Error) => e instanceof ApiError && e.status === 401);
  }
  equal(workerSettings().WORKER_CONCURRENCY, 8);
});
