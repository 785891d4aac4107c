begin;
create extension if not exists pgtap with schema extensions;
select plan(7);

-- A succeeded job reads 100%, whichever function completed it; a failed one keeps the stage it stopped at.
set local client_min_messages to error; -- the insert trigger warns that no Vault secrets are set (see 07)

insert into public.organizations (id, clerk_org_id, plan) values
  ('e9000000-0000-4000-8000-000000000001', 'org_pgtap_contract', 'paid');
insert into public.teams (id, organization_id, name, size, work_mode) values
  ('e9700000-0000-4000-8000-000000000001', 'e9000000-0000-4000-8000-000000000001', 'Contract team', 5, 'remote');

create temp table job (name text primary key, id uuid not null);
insert into job
select name, (public.enqueue_job(
  p_kind => 'generate_activities', p_organization_id => 'e9000000-0000-4000-8000-000000000001',
  p_team_id => 'e9700000-0000-4000-8000-000000000001', p_payload => jsonb_build_object('requirements', name),
  p_now => '2001-02-01 00:00:00+00')).id
from (values ('done'), ('broken')) as names(name);

select is((select count(*)::int from public.claim_jobs('worker-c', 10, 30, null, '2001-02-01 00:00:00+00')), 2,
  'both jobs are claimed');
select is(public.heartbeat_job((select id from job where name = 'done'), 1, 30,
    '{"stage": "saving", "percent": 90}', '2001-02-01 00:00:01+00'), true, 'the worker reports saving at 90%');
select is(public.complete_job((select id from job where name = 'done'), 1, '{"activity_ids": []}',
    '2001-02-01 00:00:02+00'), true, 'the job completes');
select is((select progress from public.jobs where id = (select id from job where name = 'done')),
  '{"stage": "done", "percent": 100}'::jsonb, 'a succeeded job reports done at 100%, not its last heartbeat');

select is(public.heartbeat_job((select id from job where name = 'broken'), 1, 30,
    '{"stage": "writing three activities", "percent": 30}', '2001-02-01 00:00:01+00'), true, 'the other job reports 30%');
select is(public.fail_job((select id from job where name = 'broken'), 1, 'cut off', false, null, '2001-02-01 00:00:02+00'),
  'failed', 'a failure that retrying cannot help fails the job');
select is((select progress from public.jobs where id = (select id from job where name = 'broken')),
  '{"stage": "writing three activities", "percent": 30}'::jsonb, 'a failed job keeps the stage it stopped at');

select * from finish();
rollback;
