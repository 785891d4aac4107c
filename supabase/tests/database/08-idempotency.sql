begin;
create extension if not exists pgtap with schema extensions;
select plan(13);

insert into public.organizations (id, clerk_org_id) values
  ('f0000000-0000-4000-8000-000000000001', 'org_pgtap_idem'),
  ('f0000000-0000-4000-8000-000000000002', 'org_pgtap_idem_other');
insert into public.users (id, clerk_user_id) values
  ('0f000000-0000-4000-8000-000000000001', 'user_pgtap_idem_1'),
  ('0f000000-0000-4000-8000-000000000002', 'user_pgtap_idem_2');

-- begin_idempotent_request's state for (organization, user, scope, key, hash) at a time.
create function pg_temp.begin_state(p_org text, p_user text, p_key text, p_hash text, p_at text, p_lock integer default 420)
returns text
language sql
as $$
  select b.state from public.begin_idempotent_request(p_org::uuid, p_user::uuid, 'activities-customize', p_key, p_hash,
    p_lock, p_at::timestamptz) as b
$$;

select is(pg_temp.begin_state('f0000000-0000-4000-8000-000000000001', '0f000000-0000-4000-8000-000000000001', 'k1', 'h1',
  '2026-05-01 10:00:00+00'), 'started', 'the first request with a key starts the work');
select is(pg_temp.begin_state('f0000000-0000-4000-8000-000000000001', '0f000000-0000-4000-8000-000000000001', 'k1', 'h1',
  '2026-05-01 10:00:01+00'), 'in_progress', 'a retry while it runs is told it is in progress');
select is(pg_temp.begin_state('f0000000-0000-4000-8000-000000000001', '0f000000-0000-4000-8000-000000000001', 'k1', 'h2',
  '2026-05-01 10:00:02+00'), 'mismatch', 'the same key with another body is a mismatch');
select is(pg_temp.begin_state('f0000000-0000-4000-8000-000000000001', '0f000000-0000-4000-8000-000000000002', 'k1', 'h2',
  '2026-05-01 10:00:02+00'), 'started', 'keys are scoped per user');
select is(pg_temp.begin_state('f0000000-0000-4000-8000-000000000002', '0f000000-0000-4000-8000-000000000001', 'k1', 'h1',
  '2026-05-01 10:00:02+00'), 'started', 'and per organization');

select is(public.complete_idempotent_request(
    (select id from public.idempotency_keys where key = 'k1' and organization_id = 'f0000000-0000-4000-8000-000000000001'
       and user_id = '0f000000-0000-4000-8000-000000000001'),
    201, '{"activity": {"id": "x"}}'),
  true, 'the work completes and its response is stored');
select results_eq($$ select state, response_status, response from public.begin_idempotent_request(
    'f0000000-0000-4000-8000-000000000001', '0f000000-0000-4000-8000-000000000001', 'activities-customize', 'k1', 'h1',
    420, '2026-05-01 10:00:05+00') $$,
  $$ values ('completed'::text, 201, '{"activity": {"id": "x"}}'::jsonb) $$,
  'a retry after completion gets the stored response');
select is(public.complete_idempotent_request(
    (select id from public.idempotency_keys where key = 'k1' and organization_id = 'f0000000-0000-4000-8000-000000000001'
       and user_id = '0f000000-0000-4000-8000-000000000001'),
    500, '{}'),
  false, 'a completed key cannot be completed again');

-- A failed request abandons its key so a retry runs afresh.
select is(pg_temp.begin_state('f0000000-0000-4000-8000-000000000001', '0f000000-0000-4000-8000-000000000001', 'k2', 'h1',
  '2026-05-01 11:00:00+00'), 'started', 'a second key starts');
select is(public.abandon_idempotent_request((select id from public.idempotency_keys where key = 'k2')), true,
  'its failed request abandons it');
select is(pg_temp.begin_state('f0000000-0000-4000-8000-000000000001', '0f000000-0000-4000-8000-000000000001', 'k2', 'h1',
  '2026-05-01 11:00:01+00', 10), 'started', 'the retry starts afresh');

-- A holder that went silent past its lock, and a key past its lifetime, may start again.
select is(pg_temp.begin_state('f0000000-0000-4000-8000-000000000001', '0f000000-0000-4000-8000-000000000001', 'k2', 'h1',
  '2026-05-01 11:00:12+00'), 'started', 'a key whose holder stopped past the lock is taken over');
select is((public.prune_expired_records('2026-05-03 00:00:00+00') ->> 'idempotency_keys')::integer >= 4, true,
  'expired keys are pruned');

select * from finish();
rollback;
