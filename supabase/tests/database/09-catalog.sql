begin;
create extension if not exists pgtap with schema extensions;
select plan(4);

-- The catalog ships as a migration (supabase db push does not run seed.sql), so every database has it.
select is(
  (select count(*)::int from public.public_activities),
  52,
  'the migrations create the 52 catalog activities'
);

select is(
  (select count(distinct category)::int from public.public_activities),
  8,
  'the catalog covers all eight categories'
);

select is_empty(
  $$ select slug from public.public_activities
     where cardinality(steps) < 3 or cardinality(debrief_questions) < 1 or cardinality(objectives) < 1 $$,
  'every catalog activity has steps, objectives and debrief questions'
);

-- What a signed-in Clerk user sees through RLS.
set local role authenticated;
set local request.jwt.claims = '{"sub": "user_catalog_reader", "role": "authenticated"}';
select is(
  (select count(*)::int from public.public_activities),
  52,
  'a signed-in user reads the whole catalog'
);

select * from finish();
rollback;
