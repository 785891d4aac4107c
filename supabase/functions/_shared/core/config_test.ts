import { equal, throws } from "node:assert/strict";
import { z } from "zod";
import { ConfigError, defineSettings, positiveInteger } from "./config.ts";

Deno.test("settings use their defaults and validate what is set", () => {
  Deno.env.delete("TEST_SETTING_LIMIT");
  const settings = defineSettings({ TEST_SETTING_LIMIT: positiveInteger(5) });
  equal(settings().TEST_SETTING_LIMIT, 5);
  Deno.env.set("TEST_SETTING_LIMIT", "12");
  settings.refresh();
  equal(settings().TEST_SETTING_LIMIT, 12);
});

Deno.test("a missing or bad variable is one error naming it", () => {
  Deno.env.delete("TEST_SETTING_URL");
  const settings = defineSettings({ TEST_SETTING_URL: z.url() });
  throws(
    () => settings(),
    (e: Error) => e instanceof ConfigError && e.message === "Invalid configuration: TEST_SETTING_URL is not set",
  );
  Deno.env.set("TEST_SETTING_URL", "not a url");
  settings.refresh();
  throws(
    () => settings(),
    (e: Error) =>
      e instanceof ConfigError && e.message.startsWith("Invalid configuration: TEST_SETTING_URL is invalid"),
  );
  Deno.env.delete("TEST_SETTING_URL");
});
