// The catalog ships with the migrations (`supabase db push` never runs seed.sql by default), and the
// migration is an idempotent upsert by slug.
import { deepEqual, equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/paths.ts";
import { withDb } from "../support/db.ts";

const CATALOG_MIGRATION = join(ROOT, "supabase", "migrations", "20261202010000_catalog.sql");
const CATALOG_SIZE = 52;

/** Thrown to roll a transaction back after its assertions. */
class Rollback extends Error {}

Deno.test("the catalog comes from the migrations alone: seed.sql adds no activity", async () => {
  const seed = Deno.readTextFileSync(join(ROOT, "supabase", "seed.sql"));
  ok(!/insert\s+into\s+public\.public_activities/i.test(seed), "seed.sql must not hold the catalog");
  await withDb(async (sql) => {
    const [applied] = await sql`
      select count(*)::int as count from supabase_migrations.schema_migrations where version = '20261202010000'`;
    equal(applied.count, 1, "the catalog migration was applied by the CLI");
    const [{ count }] = await sql`select count(*)::int as count from public.public_activities`;
    equal(count, CATALOG_SIZE);
  });
});

Deno.test("the catalog migration builds the catalog on an empty table, and running it again changes nothing but drift", async () => {
  const migration = Deno.readTextFileSync(CATALOG_MIGRATION);
  await withDb(async (sql) => {
    await sql.begin(async (tx) => {
      // An empty catalog, as on a new hosted project (team_activities' references are not checked here).
      await tx`set local session_replication_role = replica`;
      await tx`delete from public.public_activities`;
      await tx.unsafe(migration);
      const first = await tx`select id, slug, title from public.public_activities order by slug`;
      equal(first.length, CATALOG_SIZE);
      equal(new Set(first.map((row) => row.slug)).size, CATALOG_SIZE, "one row per slug");

      // Drift: a title edited by hand, a row deleted. Running the migration again repairs both and keeps ids.
      await tx`update public.public_activities set title = 'Edited by hand' where slug = ${first[0].slug}`;
      await tx`delete from public.public_activities where slug = ${first[1].slug}`;
      await tx.unsafe(migration);
      const second = await tx`select id, slug, title from public.public_activities order by slug`;
      equal(second.length, CATALOG_SIZE);
      deepEqual(second[0], first[0], "the edited row is restored with its id");
      equal(second[1].slug, first[1].slug);
      deepEqual(second.slice(2), first.slice(2), "untouched rows keep their ids and content");
      throw new Rollback();
    }).catch((error) => {
      if (!(error instanceof Rollback)) throw error;
    });
  });
});
