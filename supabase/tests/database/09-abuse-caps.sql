begin;
create extension if not exists pgtap with schema extensions;
select plan(19);

set local client_min_messages to error; -- the insert trigger warns that no Vault secrets are set (see 07)

-- Small caps so the test stays small.
update public.app_settings set value = '2' where name = 'FREE_TIER_MATERIAL_SUMMARY_LIMIT';
update public.app_settings set value = '3' where name = 'FREE_TIER_MAX_TEAMS';
update public.app_settings set value = '1' where name = 'FREE_TIER_MAX_STORAGE_MB';

insert into public.organizations (id, clerk_org_id, plan) values
  ('e0000000-0000-4000-8000-000000000001', 'org_pgtap_caps', 'free'),
  ('e0000000-0000-4000-8000-000000000002', 'org_pgtap_caps_other', 'free');
insert into public.teams (id, organization_id, name, size, work_mode) values
  ('e7000000-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-000000000001', 'One', 5, 'remote'),
  ('e7000000-0000-4000-8000-000000000002', 'e0000000-0000-4000-8000-000000000001', 'Two', 5, 'remote'),
  ('e7000000-0000-4000-8000-000000000009', 'e0000000-0000-4000-8000-000000000002', 'Other', 5, 'remote');

-- Teams per organization ---------------------------------------------------------------------------------------
select lives_ok($$ insert into public.teams (organization_id, name, size, work_mode)
    values ('e0000000-0000-4000-8000-000000000001', 'Three', 5, 'remote') $$,
  'teams up to FREE_TIER_MAX_TEAMS are admitted');
select throws_ok($$ insert into public.teams (organization_id, name, size, work_mode)
    values ('e0000000-0000-4000-8000-000000000001', 'Four', 5, 'remote') $$,
  'P0001', 'team_limit_exceeded', 'one team more than FREE_TIER_MAX_TEAMS is refused');
update public.organizations set plan = 'paid' where id = 'e0000000-0000-4000-8000-000000000001';
select lives_ok($$ insert into public.teams (organization_id, name, size, work_mode)
    values ('e0000000-0000-4000-8000-000000000001', 'Four', 5, 'remote') $$,
  'the paid plan''s cap (PAID_TIER_MAX_TEAMS) applies once the organization is paid');
update public.organizations set plan = 'free' where id = 'e0000000-0000-4000-8000-000000000001';

-- Storage per organization ------------------------------------------------------------------------------------
select lives_ok($$ select public.reserve_material_upload('e0000000-0000-4000-8000-000000000001',
    'e7000000-0000-4000-8000-000000000001', 'a.pdf', 'application/pdf', 600000) $$,
  'a material within the organization''s cap is admitted');
select throws_ok($$ select public.reserve_material_upload('e0000000-0000-4000-8000-000000000001',
    'e7000000-0000-4000-8000-000000000002', 'b.pdf', 'application/pdf', 600000) $$,
  'P0001', 'storage_limit_exceeded',
  'another team of the organization cannot pass FREE_TIER_MAX_STORAGE_MB although its own team cap has room');
select lives_ok($$ select public.reserve_material_upload('e0000000-0000-4000-8000-000000000002',
    'e7000000-0000-4000-8000-000000000009', 'b.pdf', 'application/pdf', 600000) $$,
  'the cap is per organization: another organization still has room');

-- Summaries are metered ---------------------------------------------------------------------------------------
update public.app_settings set value = '50' where name = 'FREE_TIER_MAX_STORAGE_MB';
create temp table material (name text primary key, id uuid not null);
insert into material
select 'first', m.id from public.reserve_material_upload('e0000000-0000-4000-8000-000000000001',
  'e7000000-0000-4000-8000-000000000002', 'first.pdf', 'application/pdf', 100) as m;
insert into material
select 'second', m.id from public.reserve_material_upload('e0000000-0000-4000-8000-000000000001',
  'e7000000-0000-4000-8000-000000000002', 'second.pdf', 'application/pdf', 100) as m;
insert into material
select 'third', m.id from public.reserve_material_upload('e0000000-0000-4000-8000-000000000001',
  'e7000000-0000-4000-8000-000000000002', 'third.pdf', 'application/pdf', 100) as m;
insert into material
select 'copy', m.id from public.reserve_material_upload('e0000000-0000-4000-8000-000000000001',
  'e7000000-0000-4000-8000-000000000002', 'copy of first.pdf', 'application/pdf', 100) as m;

select isnt((public.finish_material_upload((select id from material where name = 'first'), repeat('a', 64))).id, null,
  'a new file queues a summary job');
select is((select reserved from public.usage_quotas where organization_id = 'e0000000-0000-4000-8000-000000000001'
    and feature = 'material_summary'), 1, 'the job holds one material_summary unit');
select lives_ok($$ select public.finish_material_upload((select id from material where name = 'second'),
    repeat('b', 64)) $$, 'a second new file takes the second unit');
select throws_ok($$ select public.finish_material_upload((select id from material where name = 'third'),
    repeat('c', 64)) $$,
  'P0001', 'quota_exceeded', 'a third new file is refused: FREE_TIER_MATERIAL_SUMMARY_LIMIT is 2');
select is((select count(*)::integer from public.jobs where organization_id = 'e0000000-0000-4000-8000-000000000001'
    and kind = 'process_material'), 2, 'the refused file queued no job');

-- The first file's summary is ready; the same bytes again reuse it.
update public.team_materials
set status = 'ready', summary = 'A plan for Q3', format = 'pdf', extracted_text = 'Q3 plan'
where id = (select id from material where name = 'first');
select is(public.finish_material_upload((select id from material where name = 'copy'), repeat('a', 64)), null,
  'the same sha256 in the organization needs no job');
select results_eq($$ select status, summary, format from public.team_materials
    where id = (select id from material where name = 'copy') $$,
  $$ values ('ready'::text, 'A plan for Q3'::text, 'pdf'::text) $$,
  'the copy is ready at once with the earlier summary');
select is((select used + reserved from public.usage_quotas
    where organization_id = 'e0000000-0000-4000-8000-000000000001' and feature = 'material_summary'), 2,
  'reusing a summary spends no unit');
select is((select count(*)::integer from public.quota_status('e0000000-0000-4000-8000-000000000001')
    where feature = 'material_summary'), 1, 'quota_status reports material_summary');
select is(public.quota_limit('paid', 'material_summary'), 100,
  'the paid plan''s allowance is PAID_TIER_MATERIAL_SUMMARY_LIMIT');

-- Every AI request counts against the ceiling ------------------------------------------------------------
update public.app_settings set value = '2' where name = 'FREE_TIER_AI_CALL_CEILING';
select is(public.count_ai_call('e0000000-0000-4000-8000-000000000002'), 1, 'the first request of the month is counted');
select is(public.count_ai_call('e0000000-0000-4000-8000-000000000002'), 2, 'the second is counted');
select throws_ok($$ select public.count_ai_call('e0000000-0000-4000-8000-000000000002') $$,
  'P0001', 'quota_exceeded', 'a third is refused: FREE_TIER_AI_CALL_CEILING is 2');

select * from finish();
rollback;
