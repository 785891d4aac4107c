import { deepEqual, equal, throws } from "node:assert/strict";
import { z } from "zod";
import {
  apiKeySettings,
  ConfigError,
  databaseConnection,
  defineSettings,
  platformSettings,
  positiveInteger,
  publishableApiKey,
  secretApiKey,
} from "./config.ts";

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

/** Runs `work` with these variables set (undefined: unset), then puts the environment back. */
function withEnv(vars: Record<string, string | undefined>, work: () => void): void {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, Deno.env.get(name)]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
    platformSettings.refresh();
    apiKeySettings.refresh();
  };
  apply(vars);
  try {
    work();
  } finally {
    apply(saved);
  }
}

const NO_KEYS = {
  SUPABASE_SECRET_KEYS: undefined,
  SUPABASE_SECRET_KEY: undefined,
  SUPABASE_SERVICE_ROLE_KEY: undefined,
  SUPABASE_PUBLISHABLE_KEYS: undefined,
  SUPABASE_PUBLISHABLE_KEY: undefined,
  SUPABASE_ANON_KEY: undefined,
};

Deno.test("database: DATABASE_URL (the pooler) wins over SUPABASE_DB_URL, and the pool is 2 unless set", () => {
  const direct = "postgresql://postgres:pw@db.abcdefghijklmnop.supabase.co:5432/postgres";
  const pooler = "postgresql://postgres.abcdefghijklmnop:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres";
  withEnv({
    SUPABASE_URL: "http://localhost",
    SUPABASE_DB_URL: direct,
    DATABASE_URL: undefined,
    DB_POOL_SIZE: undefined,
  }, () => {
    deepEqual(databaseConnection(), { url: direct, source: "SUPABASE_DB_URL", mode: "direct", poolSize: 2 });
  });
  withEnv(
    { SUPABASE_URL: "http://localhost", SUPABASE_DB_URL: direct, DATABASE_URL: pooler, DB_POOL_SIZE: "1" },
    () => {
      deepEqual(databaseConnection(), { url: pooler, source: "DATABASE_URL", mode: "transaction pooler", poolSize: 1 });
    },
  );
  const session = pooler.replace(":6543/", ":5432/");
  withEnv({ SUPABASE_URL: "http://localhost", DATABASE_URL: session, DB_POOL_SIZE: undefined }, () => {
    equal(databaseConnection().mode, "session pooler");
  });
});

Deno.test("database: no URL, a URL that does not parse, or a pool of 0 is an error naming the variable", () => {
  withEnv({ SUPABASE_URL: "http://localhost", SUPABASE_DB_URL: undefined, DATABASE_URL: undefined }, () => {
    throws(() => databaseConnection(), /SUPABASE_DB_URL is not set \(or set DATABASE_URL\)/);
  });
  withEnv({ SUPABASE_URL: "http://localhost", DATABASE_URL: "not a url" }, () => {
    throws(() => databaseConnection(), /DATABASE_URL is invalid/);
  });
  withEnv({ SUPABASE_URL: "http://localhost", DATABASE_URL: "postgresql://h:6543/db", DB_POOL_SIZE: "0" }, () => {
    throws(() => databaseConnection(), /DB_POOL_SIZE is invalid/);
  });
});

Deno.test("keys: the new secret keys come first (default, else the first named), then the legacy service_role key", () => {
  withEnv({ ...NO_KEYS, SUPABASE_SERVICE_ROLE_KEY: "eyJ.legacy" }, () => {
    deepEqual(secretApiKey(), { key: "eyJ.legacy", source: "SUPABASE_SERVICE_ROLE_KEY" });
  });
  withEnv({
    ...NO_KEYS,
    SUPABASE_SERVICE_ROLE_KEY: "eyJ.legacy",
    SUPABASE_SECRET_KEYS: JSON.stringify({ backend: "sb_secret_other", default: "sb_secret_default" }),
  }, () => {
    deepEqual(secretApiKey(), { key: "sb_secret_default", source: "SUPABASE_SECRET_KEYS.default" });
  });
  withEnv({ ...NO_KEYS, SUPABASE_SECRET_KEYS: JSON.stringify({ backend: "sb_secret_backend" }) }, () => {
    deepEqual(secretApiKey(), { key: "sb_secret_backend", source: "SUPABASE_SECRET_KEYS.backend" });
  });
  withEnv({ ...NO_KEYS, SUPABASE_SECRET_KEY: "sb_secret_single", SUPABASE_SERVICE_ROLE_KEY: "eyJ.legacy" }, () => {
    deepEqual(secretApiKey(), { key: "sb_secret_single", source: "SUPABASE_SECRET_KEY" });
  });
  withEnv(
    { ...NO_KEYS, SUPABASE_PUBLISHABLE_KEYS: '{"default":"sb_publishable_x"}', SUPABASE_ANON_KEY: "eyJ.anon" },
    () => {
      deepEqual(publishableApiKey(), { key: "sb_publishable_x", source: "SUPABASE_PUBLISHABLE_KEYS.default" });
    },
  );
  withEnv({ ...NO_KEYS, SUPABASE_ANON_KEY: "eyJ.anon" }, () => {
    deepEqual(publishableApiKey(), { key: "eyJ.anon", source: "SUPABASE_ANON_KEY" });
  });
});

Deno.test("keys: none at all, or a SUPABASE_SECRET_KEYS that is not a JSON object of keys, is an error naming it", () => {
  withEnv(NO_KEYS, () => {
    throws(
      () => secretApiKey(),
      /SUPABASE_SECRET_KEYS is not set \(nor SUPABASE_SECRET_KEY or SUPABASE_SERVICE_ROLE_KEY\)/,
    );
    throws(() => publishableApiKey(), /SUPABASE_PUBLISHABLE_KEYS is not set/);
  });
  for (const bad of ["sb_secret_plain", '["sb_secret_x"]', "{}", '{"default": ""}']) {
    withEnv({ ...NO_KEYS, SUPABASE_SECRET_KEYS: bad, SUPABASE_SERVICE_ROLE_KEY: "eyJ.legacy" }, () => {
      throws(
        () => secretApiKey(),
        (e: Error) => e instanceof ConfigError && /SUPABASE_SECRET_KEYS is invalid/.test(e.message),
      );
    });
  }
});
