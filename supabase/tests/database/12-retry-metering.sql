begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

-- A failed material's retry reserves a material_summary unit like its first run, and is refused without one.
set local client_min_messages to error; -- wake-ups warn that no Vault secrets are set (see 07)

insert into public.organizations (id, clerk_org_id, plan) values
  ('ec000000-0000-4000-8000-000000000001', 'org_pgtap_retry_meter', 'free');
insert into public.teams (id, organization_id, name, size, work_mode) values
  ('ec700000-0000-4000-8000-000000000001', 'ec000000-0000-4000-8000-000000000001', 'Retry team', 5, 'remote');
insert into public.jobs (id, kind, organization_id, team_id, payload, status, attempts, last_error, finished_at)
values (
  'ecb00000-0000-4000-8000-000000000001', 'process_material', 'ec000000-0000-4000-8000-000000000001',
  'ec700000-0000-4000-8000-000000000001', '{"material_id": "ecd00000-0000-4000-8000-000000000001"}', 'dead', 3,
  'HTTP 500', now()
);
insert into public.team_materials (id, organization_id, team_id, storage_path, filename, mime_type, size_bytes,
  status, format, error, job_id) values (
  'ecd00000-0000-4000-8000-000000000001', 'ec000000-0000-4000-8000-000000000001',
  'ec700000-0000-4000-8000-000000000001',
  'ec000000-0000-4000-8000-000000000001/ec700000-0000-4000-8000-000000000001/ecd00000-0000-4000-8000-000000000001-a.pdf',
  'a.pdf', 'application/pdf', 100, 'failed', 'pdf', 'HTTP 500', 'ecb00000-0000-4000-8000-000000000001');

-- Every unit of the month is used: the retry is refused and nothing changes.
insert into public.usage_quotas (organization_id, feature, period_start, used, reserved, monthly_limit)
values ('ec000000-0000-4000-8000-000000000001', 'material_summary', public.quota_period_start(now()),
  public.quota_limit('free', 'material_summary'), 0, public.quota_limit('free', 'material_summary'));
select throws_ok($$ select public.retry_material('ecd00000-0000-4000-8000-000000000001') $$, 'P0001',
  'quota_exceeded', 'a retry with no material_summary unit left is refused with quota_exceeded');
select is((select status from public.team_materials where id = 'ecd00000-0000-4000-8000-000000000001'), 'failed',
  'the refused retry leaves the material failed');
select is((select status from public.jobs where id = 'ecb00000-0000-4000-8000-000000000001'), 'dead',
  'and its job dead');

-- With a unit left, the retry holds one, owned by the job (no expiry), and the job is queued afresh.
update public.usage_quotas set used = 0
where organization_id = 'ec000000-0000-4000-8000-000000000001' and feature = 'material_summary';
select lives_ok($$ select public.retry_material('ecd00000-0000-4000-8000-000000000001') $$,
  'a retry with a unit left is accepted');
select is((select reserved from public.usage_quotas
  where organization_id = 'ec000000-0000-4000-8000-000000000001' and feature = 'material_summary'), 1,
  'the retry reserved one material_summary unit');
select is((select r.expires_at from public.jobs j join public.quota_reservations r on r.id = j.quota_reservation_id
  where j.id = 'ecb00000-0000-4000-8000-000000000001'), null,
  'the unit belongs to the job: it does not lapse while the job waits');
select is((select status from public.jobs where id = 'ecb00000-0000-4000-8000-000000000001'), 'queued',
  'the job is queued again');

-- The job fails again: its unit goes back.
update public.jobs set status = 'dead', finished_at = now() where id = 'ecb00000-0000-4000-8000-000000000001';
select public.settle_job('ecb00000-0000-4000-8000-000000000001', now());
select is((select (used, reserved)::text from public.usage_quotas
  where organization_id = 'ec000000-0000-4000-8000-000000000001' and feature = 'material_summary'), '(0,0)',
  'a retry that fails again spends nothing');

select * from finish();
rollback;
