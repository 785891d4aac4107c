import { equal, match, ok } from "node:assert/strict";
import { ApiError, ErrorCode } from "../core/errors.ts";
import { createHandler, json } from "./handler.ts";

Deno.env.set("LOG_LEVEL", "silent");

const handler = createHandler({ name: "test", methods: ["POST"] }, async ({ request }) => {
  const body = await request.json();
  if (body.fail === "api") throw new ApiError(ErrorCode.conflict, "Already there", { id: 1 });
  if (body.fail === "bug") throw new Error("secret internals: password=hunter2");
  return json({ ok: true }, 201);
});

const call = (init: RequestInit) => handler(new Request("http://localhost/test", init));

Deno.test("preflight is answered with CORS headers and no body", async () => {
  const response = await call({ method: "OPTIONS" });
  equal(response.status, 204);
  equal(response.headers.get("access-control-allow-origin"), "*");
  ok(response.headers.get("access-control-allow-headers")?.includes("authorization"));
});

Deno.test("success responses carry CORS headers and a request id", async () => {
  const response = await call({ method: "POST", body: "{}" });
  equal(response.status, 201);
  equal(response.headers.get("access-control-allow-origin"), "*");
  match(response.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
  await response.body?.cancel();
});

Deno.test("an ApiError becomes the shared shape with its status", async () => {
  const response = await call({ method: "POST", body: '{"fail":"api"}' });
  equal(response.status, 409);
  equal(response.headers.get("access-control-allow-origin"), "*");
  const body = await response.json();
  equal(body.error.code, "conflict");
  equal(body.error.message, "Already there");
  equal(body.error.details.id, 1);
});

Deno.test("an unexpected error is a 500 with a request id and no internals", async () => {
  const response = await call({ method: "POST", body: '{"fail":"bug"}', headers: { "x-request-id": "req-12345678" } });
  equal(response.status, 500);
  const text = await response.text();
  ok(!text.includes("hunter2"));
  const body = JSON.parse(text);
  equal(body.error.code, "internal_error");
  equal(body.error.details.request_id, "req-12345678");
  equal(response.headers.get("x-request-id"), "req-12345678");
});

Deno.test("a wrong method is a 405 naming the allowed ones", async () => {
  const response = await call({ method: "GET" });
  equal(response.status, 405);
  equal(response.headers.get("allow"), "POST");
  equal((await response.json()).error.code, "method_not_allowed");
});
