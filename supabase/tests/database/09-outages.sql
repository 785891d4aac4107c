begin;
create extension if not exists pgtap with schema extensions;
select plan(26);

-- Clocks are injected and set in 2001 (as in 05-queue.sql), so only this file's jobs are ever due here.
set local client_min_messages to error; -- wake-ups warn that no Vault secrets are set (see 07)
update public.app_settings set value = '5' where name = 'JOB_RETRY_BASE_SECONDS';

insert into public.organizations (id, clerk_org_id, plan) values
  ('e9000000-0000-4000-8000-000000000001', 'org_pgtap_outages', 'paid');
insert into public.teams (id, organization_id, name, size, work_mode) values
  ('e9700000-0000-4000-8000-000000000001', 'e9000000-0000-4000-8000-000000000001', 'Outage team', 5, 'remote');

-- Shipped settings ------------------------------------------------------------------------------------------
select results_eq($$ select name, value #>> '{}' from public.app_settings
    where name in ('JOB_LEASE_SECONDS', 'QUOTA_RESERVATION_TTL_SECONDS') order by name $$,
  $$ values ('JOB_LEASE_SECONDS'::text, '15'::text), ('QUOTA_RESERVATION_TTL_SECONDS', '60') $$,
  'a crashed worker''s lease lapses after 15 s and an orphaned quota hold after 60 s');
select is((select schedule from cron.job where jobname = 'jobs-sweep-on-start'), '@reboot',
  'the queue is swept whenever Postgres starts (stack start, restart, failover)');

-- The provider's circuit ------------------------------------------------------------------------------------
select is(
  (select array_agg(public.record_ai_failure('pgtap.example', 'HTTP 500', null, '2001-01-01 00:00:00+00'::timestamptz
     + g.i * interval '1 second') order by g.i) from generate_series(0, 3) as g (i)),
  array[null, null, null, null]::timestamptz[], 'four failures in a row do not pause the provider');
select is(public.record_ai_failure('pgtap.example', 'HTTP 500', null, '2001-01-01 00:00:04+00'),
  '2001-01-01 00:00:06+00'::timestamptz, 'the fifth opens the circuit for AI_CIRCUIT_BASE_SECONDS');
select is(public.record_ai_failure('pgtap.example', 'HTTP 500', null, '2001-01-01 00:00:05+00'),
  '2001-01-01 00:00:06+00'::timestamptz, 'a call sent before the pause that fails does not lengthen it');
select is(public.record_ai_failure('pgtap.example', 'HTTP 500', null, '2001-01-01 00:00:07+00'),
  '2001-01-01 00:00:11+00'::timestamptz, 'a failing probe after the pause opens it again for twice as long');
select results_eq($$ select paused_until, consecutive_failures from public.ai_provider_pause('pgtap.example',
    '2001-01-01 00:00:10+00') $$,
  $$ values ('2001-01-01 00:00:11+00'::timestamptz, 7) $$, 'every caller sees the pause and the failure count');
select is((select paused_until from public.ai_provider_pause('pgtap.example', '2001-01-01 00:00:11+00')), null,
  'a pause ends on its own');
select lives_ok($$ select public.record_ai_success('pgtap.example', '2001-01-01 00:01:21+00') $$,
  'an answer is recorded');
select is((select consecutive_failures from public.ai_provider_pause('pgtap.example')), 0,
  'an answer closes the circuit');
select is(public.record_ai_failure('pgtap.example', 'HTTP 429', 60, '2001-01-01 00:02:00+00'),
  '2001-01-01 00:03:00+00'::timestamptz, 'a single 429 pauses the provider for its Retry-After');
select lives_ok($$ select public.record_ai_success('pgtap.example', '2001-01-01 00:02:01+00') $$,
  'an answer to a request sent before the 429 arrives');
select is((select paused_until from public.ai_provider_pause('pgtap.example', '2001-01-01 00:02:02+00')),
  '2001-01-01 00:03:00+00'::timestamptz, 'and does not cancel the provider''s "slow down"');

-- Deferring a job gives its attempt back --------------------------------------------------------------------
create temp table job (id uuid);
insert into job
select j.id from public.enqueue_job(
  p_kind => 'generate_activities', p_organization_id => 'e9000000-0000-4000-8000-000000000001',
  p_team_id => 'e9700000-0000-4000-8000-000000000001', p_payload => '{"requirements": "outage"}',
  p_quota_feature => 'custom_generation', p_now => '2001-01-01 00:00:00+00') as j;
select is((select attempts from public.claim_jobs('pgtap-outage', 1, null, null, '2001-01-01 00:00:00+00',
    'e9000000-0000-4000-8000-000000000001')), 1, 'the job is claimed: attempt 1');
select is(public.defer_job((select id from job), 2, 'HTTP 503', null, true, '2001-01-01 00:00:01+00'), null,
  'deferring is fenced by the attempt number');
select is(public.defer_job((select id from job), 1, 'HTTP 503', '2001-01-01 00:00:30+00', true,
    '2001-01-01 00:00:01+00'), 'deferred', 'a provider outage defers the job');
select results_eq($$ select status, attempts, deferrals, run_after >= '2001-01-01 00:00:30+00',
    run_after < '2001-01-01 00:00:31+00' from public.jobs where id = (select id from job) $$,
  $$ values ('queued'::text, 0, 1, true, true) $$,
  'queued again without spending its attempt, due within a second after the provider''s pause');
select is((select attempts from public.claim_jobs('pgtap-outage', 1, null, null, '2001-01-01 00:01:00+00',
    'e9000000-0000-4000-8000-000000000001')), 1, 'the next claim is attempt 1 again');
select is(public.defer_job((select id from job), 1, 'stopping', null, false, '2001-01-01 00:01:01+00'), 'deferred',
  'a stopping worker hands back a job it never started');
select results_eq($$ select status, attempts, deferrals, run_after from public.jobs where id = (select id from job) $$,
  $$ values ('queued'::text, 0, 1, '2001-01-01 00:01:01+00'::timestamptz) $$,
  'due at once, no attempt spent, not counted as an outage');
select is((select attempts from public.claim_jobs('pgtap-outage', 1, null, null, '2001-01-01 02:00:00+00',
    'e9000000-0000-4000-8000-000000000001')), 1, 'claimed again two hours later');
select is(public.defer_job((select id from job), 1, 'HTTP 503', null, true, '2001-01-01 02:00:01+00'), 'queued',
  'past AI_OUTAGE_HORIZON_SECONDS an outage spends the attempt like any failure');
select is((select attempts from public.jobs where id = (select id from job)), 1, 'the attempt stays spent');

-- Holds renewed by their live holder ------------------------------------------------------------------------
create temp table hold (id uuid);
insert into hold select r.id from public.reserve_quota('e9000000-0000-4000-8000-000000000001', 'customization') as r;
select is(public.extend_quota_reservation((select id from hold), 300), true, 'a live request renews its hold');
select ok((select expires_at > now() + interval '299 seconds' from public.quota_reservations
    where id = (select id from hold)), 'the hold now lasts from the renewal');
select is(public.extend_quota_reservation((select id from hold), 300, now() + interval '1 hour'), null,
  'a hold that lapsed (its holder died) cannot be renewed any more');

select * from finish();
rollback;
