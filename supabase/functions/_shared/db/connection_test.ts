import { equal, rejects } from "node:assert/strict";
import { isConnectionError, isPostgresClosedSocketWrite, withDbRetry } from "./connection.ts";

Deno.test("isConnectionError: restarts, refused and dropped connections, not query errors", () => {
  for (const code of ["57P01", "57P03", "08006", "CONNECTION_CLOSED", "CONNECT_TIMEOUT", "ECONNREFUSED"]) {
    equal(isConnectionError({ code }), true, code);
  }
  equal(isConnectionError({ name: "ConnectionRefused" }), true);
  for (const code of ["P0001", "23505", "42P01", "40001"]) equal(isConnectionError({ code }), false, code);
  equal(isConnectionError(new Error("boom")), false);
  equal(isConnectionError(null), false);
});

Deno.test("withDbRetry: retries while the database is unreachable, then answers", async () => {
  let calls = 0;
  const answer = await withDbRetry(() => {
    calls++;
    return calls < 3 ? Promise.reject({ code: "57P01" }) : Promise.resolve("ok");
  });
  equal(answer, "ok");
  equal(calls, 3);
});

Deno.test("withDbRetry: never repeats work that failed for another reason", async () => {
  let calls = 0;
  await rejects(() =>
    withDbRetry(() => {
      calls++;
      return Promise.reject({ code: "P0001", message: "quota_exceeded" });
    })
  );
  equal(calls, 1);
});

Deno.test("withDbRetry: gives up when the outage outlasts its budget", async () => {
  let calls = 0;
  const started = Date.now();
  await rejects(() =>
    withDbRetry(() => {
      calls++;
      return Promise.reject({ code: "ECONNREFUSED" });
    }, { maxMs: 500 })
  );
  equal(Date.now() - started < 1500, true);
  equal(calls > 1, true);
});

Deno.test("isPostgresClosedSocketWrite: only postgres.js's nextWrite on a null socket", () => {
  const bug = new TypeError("Cannot read properties of null (reading 'write')");
  bug.stack = `${bug.message}\n    at Immediate.nextWrite (file:///x/node_modules/postgres/src/connection.js:255:22)`;
  equal(isPostgresClosedSocketWrite(bug), true);
  const ours = new TypeError("Cannot read properties of null (reading 'write')");
  ours.stack = `${ours.message}\n    at writeReport (file:///x/supabase/functions/_shared/domain/report.ts:1:1)`;
  equal(isPostgresClosedSocketWrite(ours), false);
  equal(isPostgresClosedSocketWrite(new Error("Cannot read properties of null (reading 'write')")), false);
});
