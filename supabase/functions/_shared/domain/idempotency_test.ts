import { equal, notEqual, throws } from "node:assert/strict";
import { ApiError } from "../core/errors.ts";
import { idempotencyKeyOf, requestHash } from "./idempotency.ts";

const withKey = (key?: string) =>
  new Request("http://localhost/x", { method: "POST", headers: key === undefined ? {} : { "idempotency-key": key } });

Deno.test("the Idempotency-Key header is optional, and must be 1-255 visible ASCII characters", () => {
  equal(idempotencyKeyOf(withKey()), null);
  equal(idempotencyKeyOf(withKey("3f2a-9c1d")), "3f2a-9c1d");
  for (const bad of ["", "x".repeat(256), "héllo", "two words"]) {
    throws(() => idempotencyKeyOf(withKey(bad)), (e: Error) => e instanceof ApiError && e.status === 400);
  }
});

Deno.test("the request hash ignores key order and tells different bodies apart", async () => {
  equal(await requestHash({ a: 1, b: { c: [1, 2], d: "x" } }), await requestHash({ b: { d: "x", c: [1, 2] }, a: 1 }));
  notEqual(await requestHash({ a: 1 }), await requestHash({ a: 2 }));
  notEqual(await requestHash({ list: [1, 2] }), await requestHash({ list: [2, 1] }));
});
