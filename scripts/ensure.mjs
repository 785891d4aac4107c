#!/usr/bin/env node
// Installs what the local stack needs and is missing: npm packages, and (as root on Debian) the
// Postgres 15 extensions. Anything it cannot install is named in one sentence with the fix.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const quiet = process.argv.includes("--quiet");
const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

function say(message) {
  if (!quiet) console.error(`[setup] ${message}`);
}

function fail(message) {
  console.error(`error: ${message}`);
  process.exit(1);
}

function npmPackagesMissing() {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const names = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
  if (!existsSync(join(root, "node_modules/.bin/deno"))) return true;
  if (!existsSync(join(root, "node_modules/.bin/supabase"))) return true;
  return names.some((name) => {
    const manifest = join(root, "node_modules", name, "package.json");
    if (!existsSync(manifest)) return true;
    const installed = JSON.parse(readFileSync(manifest, "utf8")).version;
    const wanted = pkg.dependencies?.[name] ?? pkg.devDependencies?.[name];
    return /^\d+\.\d+\.\d+$/.test(wanted) && installed !== wanted;
  });
}

function installNpmPackages() {
  say("installing npm packages (deno, supabase CLI, libraries)");
  const lock = existsSync(join(root, "package-lock.json"));
  const result = spawnSync("npm", [lock ? "ci" : "install", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: root,
    stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit",
  });
  if (result.status !== 0) {
    fail("npm could not install the packages: check your network access to the npm registry and run `npm install`");
  }
}

function missingDebianPackages() {
  const missing = [];
  const checks = {
    "postgresql-15": join(PG_BIN, "postgres"),
    "postgresql-15-cron": "/usr/share/postgresql/15/extension/pg_cron.control",
    "postgresql-15-pgtap": "/usr/share/postgresql/15/extension/pgtap.control",
    "libtap-parser-sourcehandler-pgtap-perl": "/usr/bin/pg_prove",
    "postgresql-15-plpgsql-check": "/usr/share/postgresql/15/extension/plpgsql_check.control",
  };
  for (const [name, file] of Object.entries(checks)) if (!existsSync(file)) missing.push(name);
  return missing;
}

/** Packages only some tests need (chromium: the docs page test); installed when we can, never required. */
function missingOptionalDebianPackages() {
  const checks = { chromium: "/usr/bin/chromium" };
  return Object.entries(checks).filter(([, file]) => !existsSync(file)).map(([name]) => name);
}

function canInstallDebianPackages() {
  return process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
}

function installDebianPackages(missing) {
  const isRoot = process.getuid?.() === 0;
  const isDebian = existsSync("/usr/bin/apt-get");
  if (!isRoot || !isDebian) {
    fail(
      `the local stack needs ${missing.join(", ")}: install ${missing.length > 1 ? "them" : "it"} with ` +
        `\`sudo apt-get install ${
          missing.join(" ")
        }\` (Debian/Ubuntu with the PostgreSQL 15 packages), then run the command again`,
    );
  }
  say(`installing Debian packages: ${missing.join(", ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const opts = { stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit", env };
  let result = spawnSync("apt-get", ["update", "-qq"], opts);
  if (result.status === 0) {
    result = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], opts);
  }
  if (result.status !== 0) {
    fail(`apt-get could not install ${missing.join(", ")}: check the apt sources, then run the command again`);
  }
  // Debian's postgresql-common creates and starts a default cluster on 5432; it is not ours and not needed.
  try {
    execFileSync("pg_ctlcluster", ["15", "main", "stop"], { stdio: "ignore" });
  } catch {
    // no default cluster, or it is already stopped
  }
}

if (npmPackagesMissing()) installNpmPackages();
const missing = missingDebianPackages();
const optional = canInstallDebianPackages() ? missingOptionalDebianPackages() : [];
if (missing.length + optional.length > 0) installDebianPackages([...missing, ...optional]);
