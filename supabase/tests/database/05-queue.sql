begin;
create extension if not exists pgtap with schema extensions;
select plan(49);

-- The backoff figures below assume the default base of 5 s, whatever the database was tuned to.
update public.app_settings set value = '5' where name = 'JOB_RETRY_BASE_SECONDS';

-- The queue's clock is injected (p_now) and set in 2001, before any real job's run_after, so jobs of a
-- shared database are never due in this test and only ours are claimed.
set local client_min_messages to error; -- the insert trigger warns that no Vault secrets are set (see 07)

insert into public.organizations (id, clerk_org_id, plan) values
  ('e0000000-0000-4000-8000-000000000001', 'org_pgtap_queue', 'paid'),
  ('e0000000-0000-4000-8000-000000000002', 'org_pgtap_queue_other', 'paid');
insert into public.teams (id, organization_id, name, size, work_mode) values
  ('e7000000-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-000000000001', 'Queue team', 5, 'remote'),
  ('e7000000-0000-4000-8000-000000000002', 'e0000000-0000-4000-8000-000000000002', 'Other team', 5, 'remote');

create temp table job (name text primary key, id uuid not null);
create temp table claimed (name text, id uuid, attempts integer, locked_by text, lease_expires_at timestamptz);

-- Enqueue ---------------------------------------------------------------------------------------------------
insert into job
select 'a', j.id
from public.enqueue_job(
  p_kind => 'generate_activities', p_organization_id => 'e0000000-0000-4000-8000-000000000001',
  p_team_id => 'e7000000-0000-4000-8000-000000000001', p_payload => '{"requirements": "offsite"}',
  p_idempotency_key => 'pgtap-key-a', p_quota_feature => 'custom_generation', p_now => '2001-01-01 00:00:00+00'
) as j;

select results_eq($$ select status, attempts, max_attempts from public.jobs where id = (select id from job where name = 'a') $$,
  $$ values ('queued'::text, 0, 3) $$, 'a new job is queued with no attempts and the default max_attempts');
select is(
  (select j.id from public.enqueue_job(
    p_kind => 'generate_activities', p_organization_id => 'e0000000-0000-4000-8000-000000000001',
    p_team_id => 'e7000000-0000-4000-8000-000000000001', p_payload => '{"requirements": "offsite"}',
    p_idempotency_key => 'pgtap-key-a', p_quota_feature => 'custom_generation', p_now => '2001-01-01 00:00:00+00'
  ) as j),
  (select id from job where name = 'a'), 'the same idempotency key returns the same job');
select results_eq($$ select used, reserved from public.usage_quotas
    where organization_id = 'e0000000-0000-4000-8000-000000000001' and feature = 'custom_generation' $$,
  $$ values (0, 1) $$, 'the repeated enqueue reserved nothing more');
select is((select r.expires_at from public.quota_reservations r
           join public.jobs j on j.quota_reservation_id = r.id where j.id = (select id from job where name = 'a')),
  null, 'the job owns its reservation: it does not expire');
select throws_ok($$ select public.enqueue_job('generate_activities', 'e0000000-0000-4000-8000-000000000001',
    'e7000000-0000-4000-8000-000000000001', '{"requirements": "something else"}', 'pgtap-key-a') $$,
  'P0001', 'idempotency_key_reused', 'the same key with another payload is refused');
select throws_ok($$ select public.enqueue_job('generate_activities', 'e0000000-0000-4000-8000-000000000001',
    'e7000000-0000-4000-8000-000000000002', '{}') $$,
  'P0001', 'not_found', 'a job for another organization''s team is refused as not found');

-- Claim, lease, heartbeat, fencing --------------------------------------------------------------------------
insert into claimed select 'a1', c.id, c.attempts, c.locked_by, c.lease_expires_at
from public.claim_jobs('worker-1', 10, 30, null, '2001-01-01 00:00:00+00') as c;

select results_eq($$ select id, attempts, locked_by, lease_expires_at from claimed where name = 'a1' $$,
  $$ select (select id from job where name = 'a'), 1, 'worker-1'::text, '2001-01-01 00:00:30+00'::timestamptz $$,
  'a worker claims the due job with attempt 1 and a 30 second lease');
select is_empty($$ select * from public.claim_jobs('worker-2', 10, 30, null, '2001-01-01 00:00:10+00') $$,
  'a running job with a live lease is not claimed again');
select is(public.heartbeat_job((select id from job where name = 'a'), 1, 30, '{"step": "drafting"}',
    '2001-01-01 00:00:20+00'), true, 'the owner''s heartbeat extends the lease');
select results_eq($$ select lease_expires_at, progress from public.jobs where id = (select id from job where name = 'a') $$,
  $$ values ('2001-01-01 00:00:50+00'::timestamptz, '{"step": "drafting"}'::jsonb) $$,
  'the heartbeat moved the lease and recorded progress');
select is_empty($$ select * from public.claim_jobs('worker-2', 10, 30, null, '2001-01-01 00:00:40+00') $$,
  'the extended lease protects the job');

insert into claimed select 'a2', c.id, c.attempts, c.locked_by, c.lease_expires_at
from public.claim_jobs('worker-2', 10, 30, null, '2001-01-01 00:01:00+00') as c;
select results_eq($$ select id, attempts, locked_by from claimed where name = 'a2' $$,
  $$ select (select id from job where name = 'a'), 2, 'worker-2'::text $$,
  'once the lease expired, another worker claims the job as attempt 2');
select is(public.heartbeat_job((select id from job where name = 'a'), 1, 30, null, '2001-01-01 00:01:01+00'), false,
  'the first worker''s heartbeat is refused: it lost the job');
select is(public.complete_job((select id from job where name = 'a'), 1, '{"by": "worker-1"}', '2001-01-01 00:01:02+00'),
  false, 'the first worker''s late completion is refused');
select is(public.fail_job((select id from job where name = 'a'), 1, 'late failure', true, null, '2001-01-01 00:01:02+00'),
  null, 'the first worker''s late failure is refused');
select results_eq($$ select status, attempts, result from public.jobs where id = (select id from job where name = 'a') $$,
  $$ values ('running'::text, 2, null::jsonb) $$, 'and changed nothing');
select is(public.complete_job((select id from job where name = 'a'), 2, '{"by": "worker-2"}', '2001-01-01 00:01:05+00'),
  true, 'the current owner completes the job');
select results_eq($$ select status, result, lease_expires_at from public.jobs where id = (select id from job where name = 'a') $$,
  $$ values ('succeeded'::text, '{"by": "worker-2"}'::jsonb, null::timestamptz) $$, 'the job succeeded with its result');
select results_eq($$ select used, reserved from public.usage_quotas
    where organization_id = 'e0000000-0000-4000-8000-000000000001' and feature = 'custom_generation' $$,
  $$ values (1, 0) $$, 'success committed the job''s quota');
select is(public.complete_job((select id from job where name = 'a'), 2, null, '2001-01-01 00:01:06+00'), false,
  'a second completion changes nothing');

-- A job failing every time: backoff, then dead, quota released once ----------------------------------------
insert into job
select 'b', j.id
from public.enqueue_job(
  p_kind => 'generate_activities', p_organization_id => 'e0000000-0000-4000-8000-000000000001',
  p_team_id => 'e7000000-0000-4000-8000-000000000001', p_payload => '{"requirements": "always fails"}',
  p_quota_feature => 'custom_generation', p_now => '2001-01-01 01:00:00+00'
) as j;

insert into claimed select 'b1', c.id, c.attempts, c.locked_by, c.lease_expires_at
from public.claim_jobs('worker-1', 10, 30, null, '2001-01-01 01:00:00+00') as c;
select is(public.fail_job((select id from job where name = 'b'), 1, 'AI timed out', true, null, '2001-01-01 01:00:01+00'),
  'queued', 'a retryable failure with attempts left queues the job again');
select ok((select run_after - '2001-01-01 01:00:01+00'::timestamptz between interval '2.5 seconds' and interval '5 seconds'
           from public.jobs where id = (select id from job where name = 'b')),
  'the first retry waits 2.5 to 5 seconds (base 5 s, jittered)');
select is_empty($$ select * from public.claim_jobs('worker-1', 10, 30, null, '2001-01-01 01:00:02+00') $$,
  'the job is not claimed during its backoff');

insert into claimed select 'b2', c.id, c.attempts, c.locked_by, c.lease_expires_at
from public.claim_jobs('worker-1', 10, 30, null, '2001-01-01 01:00:06+00') as c;
select is((select attempts from claimed where name = 'b2'), 2, 'after the backoff the job runs as attempt 2');
select is(public.fail_job((select id from job where name = 'b'), 2, 'AI timed out', true, null, '2001-01-01 01:00:07+00'),
  'queued', 'the second failure queues it again');
select ok((select run_after - '2001-01-01 01:00:07+00'::timestamptz between interval '5 seconds' and interval '10 seconds'
           from public.jobs where id = (select id from job where name = 'b')),
  'the second retry waits 5 to 10 seconds: the backoff doubles');

insert into claimed select 'b3', c.id, c.attempts, c.locked_by, c.lease_expires_at
from public.claim_jobs('worker-1', 10, 30, null, '2001-01-01 01:00:20+00') as c;
select is((select attempts from claimed where name = 'b3'), 3, 'the third attempt runs');
select is(public.fail_job((select id from job where name = 'b'), 3, 'AI timed out', true, null, '2001-01-01 01:00:21+00'),
  'dead', 'the failure of the last attempt ends the job dead');
select results_eq($$ select status, attempts, last_error, finished_at from public.jobs
    where id = (select id from job where name = 'b') $$,
  $$ values ('dead'::text, 3, 'AI timed out'::text, '2001-01-01 01:00:21+00'::timestamptz) $$,
  'the dead job records its attempts, last error and end');
select results_eq($$ select r.status from public.quota_reservations r
    join public.jobs j on j.quota_reservation_id = r.id where j.id = (select id from job where name = 'b') $$,
  $$ values ('released'::text) $$, 'the dead job''s reservation is released');
select results_eq($$ select used, reserved from public.usage_quotas
    where organization_id = 'e0000000-0000-4000-8000-000000000001' and feature = 'custom_generation' $$,
  $$ values (1, 0) $$, 'the dead job spent nothing (only job a''s unit is used)');
select is(public.release_quota((select quota_reservation_id from public.jobs where id = (select id from job where name = 'b'))),
  false, 'its reservation cannot be released a second time');
select is_empty($$ select * from public.claim_jobs('worker-1', 10, 30, null, '2001-01-02 00:00:00+00') $$,
  'a dead job is never claimed again');

-- Not retryable: failed at once -----------------------------------------------------------------------------
insert into job
select 'c', j.id
from public.enqueue_job('generate_activities', 'e0000000-0000-4000-8000-000000000001',
  'e7000000-0000-4000-8000-000000000001', '{"requirements": "bad input"}', null, 'custom_generation', null, null, null,
  '2001-01-01 02:00:00+00') as j;
select is((select count(*)::integer from public.claim_jobs('worker-1', 10, 30, null, '2001-01-01 02:00:00+00')), 1,
  'the next job is claimed');
select is(public.fail_job((select id from job where name = 'c'), 1, 'Requirements rejected', false, null,
    '2001-01-01 02:00:01+00'),
  'failed', 'a failure that is not retryable ends the job failed on its first attempt');
select results_eq($$ select used, reserved from public.usage_quotas
    where organization_id = 'e0000000-0000-4000-8000-000000000001' and feature = 'custom_generation' $$,
  $$ values (1, 0) $$, 'the failed job released its quota');

-- Lease expiry on the last attempt: dead, released ----------------------------------------------------------
insert into job
select 'd', j.id
from public.enqueue_job('generate_activities', 'e0000000-0000-4000-8000-000000000001',
  'e7000000-0000-4000-8000-000000000001', '{"requirements": "worker dies"}', null, 'custom_generation', 1, null, null,
  '2001-01-01 03:00:00+00') as j;
select is((select count(*)::integer from public.claim_jobs('worker-1', 10, 30, null, '2001-01-01 03:00:00+00')), 1,
  'a job with one attempt is claimed');
select is(public.requeue_expired_jobs('2001-01-01 03:01:00+00'), 1, 'the sweep finds its expired lease');
select results_eq($$ select j.status, r.status from public.jobs j join public.quota_reservations r on r.id = j.quota_reservation_id
    where j.id = (select id from job where name = 'd') $$,
  $$ values ('dead'::text, 'released'::text) $$, 'a lease expiring on the last attempt ends the job dead, released');

-- Cancel ----------------------------------------------------------------------------------------------------
insert into job
select 'e', j.id
from public.enqueue_job('generate_activities', 'e0000000-0000-4000-8000-000000000001',
  'e7000000-0000-4000-8000-000000000001', '{"requirements": "cancel me"}', null, 'custom_generation', null, null, null,
  '2001-01-01 04:00:00+00') as j;
select is((select count(*)::integer from public.claim_jobs('worker-1', 10, 30, null, '2001-01-01 04:00:00+00')), 1,
  'the job to cancel is running');
select is(public.cancel_job((select id from job where name = 'e'), 'User cancelled', '2001-01-01 04:00:01+00'), true,
  'a running job is cancelled');
select is(public.complete_job((select id from job where name = 'e'), 1, null, '2001-01-01 04:00:02+00'), false,
  'the worker''s completion after the cancel changes nothing');
select results_eq($$ select j.status, r.status from public.jobs j join public.quota_reservations r on r.id = j.quota_reservation_id
    where j.id = (select id from job where name = 'e') $$,
  $$ values ('cancelled'::text, 'released'::text) $$, 'the cancelled job released its quota');

-- Generation writes exactly one set of three activities ----------------------------------------------------
insert into job
select 'g', j.id
from public.enqueue_job('generate_activities', 'e0000000-0000-4000-8000-000000000001',
  'e7000000-0000-4000-8000-000000000001', '{"requirements": "three please"}', null, 'custom_generation', null, null,
  null, '2001-01-01 05:00:00+00') as j;
select is((select count(*)::integer from public.claim_jobs('worker-1', 10, 30, null, '2001-01-01 05:00:00+00')), 1,
  'the generation job is claimed by worker 1');
select is((select count(*)::integer from public.claim_jobs('worker-2', 10, 30, null, '2001-01-01 05:01:00+00')), 1,
  'worker 1 stalls; worker 2 claims the job after the lease');
select throws_ok($$ select public.complete_generate_activities_job((select id from job where name = 'g'), 2,
    '[{"title": "One"}, {"title": "Two"}]', 'test-model', '2001-01-01 05:01:10+00') $$,
  'P0001', 'invalid_input', 'a generation job must produce exactly three activities');
select is((select count(*)::integer from public.complete_generate_activities_job((select id from job where name = 'g'), 2,
    '[{"title": "One"}, {"title": "Two"}, {"title": "Three"}]', 'test-model', '2001-01-01 05:01:20+00')), 3,
  'worker 2 saves three activities and completes the job');
select is((select count(*)::integer from public.complete_generate_activities_job((select id from job where name = 'g'), 1,
    '[{"title": "Late 1"}, {"title": "Late 2"}, {"title": "Late 3"}]', 'test-model', '2001-01-01 05:01:30+00')), 0,
  'worker 1''s late result is fenced out and writes nothing');
select results_eq($$ select title, job_position::integer, source from public.team_activities
    where job_id = (select id from job where name = 'g') order by job_position $$,
  $$ values ('One'::text, 1, 'generated'::text), ('Two', 2, 'generated'), ('Three', 3, 'generated') $$,
  'exactly one set of three activities exists for the job');

select * from finish();
rollback;
