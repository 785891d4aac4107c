begin;
create extension if not exists pgtap with schema extensions;
select plan(12);

insert into public.organizations (id, clerk_org_id, plan) values
  ('c0000000-0000-4000-8000-000000000001', 'org_pgtap_wake', 'paid');
insert into public.teams (id, organization_id, name, size, work_mode) values
  ('c7000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000001', 'Wake team', 5, 'remote');

-- The wake-up requests queued for a job (pg_net keeps the body as bytes).
create function pg_temp.requests_for(p_job_id uuid)
returns setof net.http_request_queue
language sql
as $$
  select q.* from net.http_request_queue q
  where convert_from(q.body, 'UTF8')::jsonb -> 'job_ids' ? p_job_id::text
$$;

create temp table job (name text primary key, id uuid not null);

-- Without the Vault secrets the insert still succeeds; only the wake-up is skipped.
delete from vault.secrets where name in ('project_url', 'worker_secret');
set local client_min_messages to error;
select lives_ok($$ insert into job select 'unwoken', j.id from public.enqueue_job('generate_activities',
    'c0000000-0000-4000-8000-000000000001', 'c7000000-0000-4000-8000-000000000001', '{"n": 0}') as j $$,
  'without Vault secrets a job is still queued');
reset client_min_messages;
select is_empty($$ select * from pg_temp.requests_for((select id from job where name = 'unwoken')) $$,
  'and no wake-up request is made');

-- With them, one request per inserting statement.
do $$
begin
  perform vault.create_secret('http://127.0.0.1:54321/', 'project_url');
  perform vault.create_secret('pgtap-worker-secret', 'worker_secret');
end
$$;

insert into job select 'one', j.id from public.enqueue_job('generate_activities', 'c0000000-0000-4000-8000-000000000001',
  'c7000000-0000-4000-8000-000000000001', '{"n": 1}', 'pgtap-wake-key') as j;
select results_eq($$ select method::text, url, headers ->> 'x-worker-secret', headers ->> 'Content-Type',
    timeout_milliseconds from pg_temp.requests_for((select id from job where name = 'one')) $$,
  $$ values ('POST'::text, 'http://127.0.0.1:54321/functions/v1/jobs-worker'::text, 'pgtap-worker-secret'::text,
    'application/json'::text, 2000) $$,
  'inserting a job queues exactly one POST to the worker URL with the secret header and an explicit timeout');
select is((select convert_from(body, 'UTF8')::jsonb from pg_temp.requests_for((select id from job where name = 'one'))),
  jsonb_build_object('reason', 'job_inserted', 'job_ids', jsonb_build_array((select id from job where name = 'one'))),
  'the body names the reason and the job');

do $$
begin
  perform public.enqueue_job('generate_activities', 'c0000000-0000-4000-8000-000000000001',
    'c7000000-0000-4000-8000-000000000001', '{"n": 1}', 'pgtap-wake-key');
end
$$;
select is((select count(*)::integer from pg_temp.requests_for((select id from job where name = 'one'))), 1,
  'an idempotent repeat of the enqueue sends no second request');

insert into job select 'later', j.id from public.enqueue_job('generate_activities', 'c0000000-0000-4000-8000-000000000001',
  'c7000000-0000-4000-8000-000000000001', '{"n": 2}', p_run_after => now() + interval '1 hour') as j;
select is_empty($$ select * from pg_temp.requests_for((select id from job where name = 'later')) $$,
  'a job due later wakes nobody now (the sweep will)');

with inserted as (
  insert into public.jobs (kind, organization_id, team_id, payload)
  select 'generate_activities', 'c0000000-0000-4000-8000-000000000001', 'c7000000-0000-4000-8000-000000000001',
    jsonb_build_object('n', 10 + g)
  from generate_series(1, 3) as g
  returning id
)
insert into job select 'bulk' || row_number() over (), id from inserted;
select is(
  (select jsonb_array_length(convert_from(body, 'UTF8')::jsonb -> 'job_ids')
   from pg_temp.requests_for((select id from job where name = 'bulk1'))),
  3, 'a statement inserting three jobs sends one request naming all three');
select is((select count(distinct q.id)::integer from job cross join lateral pg_temp.requests_for(job.id) as q
  where job.name like 'bulk%'), 1, 'and only one');

create temp table queued_before as select count(*) as n from net.http_request_queue;
savepoint before_rollback;
do $$
begin
  perform public.enqueue_job('generate_activities', 'c0000000-0000-4000-8000-000000000001',
    'c7000000-0000-4000-8000-000000000001', '{"n": 3}');
end
$$;
rollback to savepoint before_rollback;
select is((select count(*) from net.http_request_queue), (select n from queued_before),
  'a rolled back insert leaves no request behind (requests are part of the transaction)');

-- The sweep wakes the worker when due jobs wait.
select isnt((public.sweep_jobs() ->> 'wake_request_id'), null, 'the sweep wakes the worker when jobs are due');
select is(
  (select convert_from(q.body, 'UTF8')::jsonb ->> 'reason' from net.http_request_queue q
   where q.id = (select max(id) from net.http_request_queue)),
  'sweep', 'the sweep''s request says so');
select is((public.sweep_jobs(now() - interval '10 years') ->> 'wake_request_id'), null,
  'with nothing due the sweep sends nothing');

select * from finish();
rollback;
