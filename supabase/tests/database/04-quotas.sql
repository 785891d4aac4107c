begin;
create extension if not exists pgtap with schema extensions;
select plan(34);
-- The scenarios below are spread over minutes of a fixed clock: holds here last 15 minutes (the shipped
-- default is 60 s, renewed by the request holding them; 09-outages.sql covers that).
update public.app_settings set value = '900' where name = 'QUOTA_RESERVATION_TTL_SECONDS';

-- The error a call raised, as JSON (sqlstate, message, detail, hint), or null when it did not raise.
create function pg_temp.error_of(p_sql text)
returns jsonb
language plpgsql
as $$
declare
  v_state text;
  v_message text;
  v_detail text;
  v_hint text;
begin
  execute p_sql;
  return null;
exception when others then
  get stacked diagnostics v_state = returned_sqlstate, v_message = message_text, v_detail = pg_exception_detail,
    v_hint = pg_exception_hint;
  return jsonb_build_object('sqlstate', v_state, 'message', v_message, 'detail', v_detail, 'hint', v_hint);
end
$$;

insert into public.organizations (id, clerk_org_id, plan) values
  ('a0000000-0000-4000-8000-0000000000f1', 'org_pgtap_free', 'free'),
  ('a0000000-0000-4000-8000-0000000000f2', 'org_pgtap_month', 'free'),
  ('a0000000-0000-4000-8000-0000000000f3', 'org_pgtap_expiry', 'free'),
  ('a0000000-0000-4000-8000-0000000000e1', 'org_pgtap_paid', 'paid');
insert into public.teams (id, organization_id, name, size, work_mode) values
  ('a7000000-0000-4000-8000-0000000000f1', 'a0000000-0000-4000-8000-0000000000f1', 'Team', 5, 'remote');

create temp table held (n serial primary key, id uuid not null);

-- Five of five ------------------------------------------------------------------------------------------------
insert into held (id)
select r.id
from generate_series(1, 5) as g (i)
-- The clock argument depends on g.i so the function runs once per row (not once, rescanned).
cross join lateral public.reserve_quota('a0000000-0000-4000-8000-0000000000f1', 'customization',
  '2026-03-15 12:00:00+00'::timestamptz + g.i * interval '1 millisecond') as r;

select is((select count(distinct id)::integer from held), 5, 'a free organization reserves five customizations in a month');
select throws_ok($$ select public.reserve_quota('a0000000-0000-4000-8000-0000000000f1', 'customization',
    '2026-03-15 12:00:01+00') $$,
  'P0001', 'quota_exceeded', 'the sixth reservation is refused with quota_exceeded');
select is(
  (pg_temp.error_of($$ select public.reserve_quota('a0000000-0000-4000-8000-0000000000f1', 'customization',
    '2026-03-15 12:00:01+00') $$) ->> 'detail')::jsonb,
  '{"feature": "customization", "plan": "free", "limit": 5, "used": 0, "reserved": 5,
    "resets_at": "2026-04-01T00:00:00+00:00"}'::jsonb,
  'the refusal carries limit, used, reserved and resets_at as JSON in the error detail');
select isnt(
  pg_temp.error_of($$ select public.reserve_quota('a0000000-0000-4000-8000-0000000000f1', 'customization',
    '2026-03-15 12:00:01+00') $$) ->> 'hint',
  null, 'the refusal has a hint for people');
select results_eq($$ select used, reserved, monthly_limit from public.usage_quotas
    where organization_id = 'a0000000-0000-4000-8000-0000000000f1' $$,
  $$ values (0, 5, 5) $$, 'the usage row counts five reserved units');

-- Release, commit, idempotency ----------------------------------------------------------------------------
select is(public.release_quota((select id from held where n = 1), '2026-03-15 12:01:00+00'), true,
  'releasing a reservation gives the unit back');
select lives_ok($$ insert into held (id) select r.id from public.reserve_quota('a0000000-0000-4000-8000-0000000000f1',
    'customization', '2026-03-15 12:02:00+00') as r $$,
  'after a release, one more reservation is admitted');
select throws_ok($$ select public.reserve_quota('a0000000-0000-4000-8000-0000000000f1', 'customization',
    '2026-03-15 12:03:00+00') $$,
  'P0001', 'quota_exceeded', 'and only one more');
select is(public.release_quota((select id from held where n = 1)), false, 'a second release changes nothing');
select is(public.commit_quota((select id from held where n = 2)), true, 'committing a reservation counts it as used');
select is(public.commit_quota((select id from held where n = 2)), false, 'a second commit changes nothing');
select is(public.release_quota((select id from held where n = 2)), false, 'a release after commit changes nothing');
select is(public.commit_quota((select id from held where n = 1)), false,
  'a released reservation cannot be committed (a failed call is never charged)');
select results_eq($$ select used, reserved from public.usage_quotas
    where organization_id = 'a0000000-0000-4000-8000-0000000000f1' $$,
  $$ values (1, 4) $$, 'after one release, one commit and one new reservation: used 1, reserved 4');
select results_eq($$ select status, count(*)::integer from public.quota_reservations
    where organization_id = 'a0000000-0000-4000-8000-0000000000f1' group by status order by status $$,
  $$ values ('committed'::text, 1), ('released', 1), ('reserved', 4) $$,
  'the ledger agrees with the counters');
select is(public.commit_quota('00000000-0000-4000-8000-000000000000'), false, 'an unknown reservation is not committed');

-- Settings --------------------------------------------------------------------------------------------------
update public.app_settings set value = '6' where name = 'FREE_TIER_MONTHLY_LIMIT';
select lives_ok($$ select public.reserve_quota('a0000000-0000-4000-8000-0000000000f1', 'customization',
    '2026-03-15 12:04:00+00') $$,
  'raising the free limit in app_settings admits more at once');
update public.app_settings set value = '5' where name = 'FREE_TIER_MONTHLY_LIMIT';

-- Month boundaries (UTC) and lazy rollover ------------------------------------------------------------------
select is(
  (select r.period_start from public.reserve_quota('a0000000-0000-4000-8000-0000000000f2', 'customization',
    '2026-01-31 23:59:59+00') as r),
  '2026-01-01'::date, 'a reservation at 23:59:59 UTC on the last day of a month counts in that month');
select is(
  (select r.period_start from public.reserve_quota('a0000000-0000-4000-8000-0000000000f2', 'customization',
    '2026-02-01 00:00:00+00') as r),
  '2026-02-01'::date, 'the next reservation, at midnight UTC, counts in the new month');
select is(
  (select r.period_start from public.reserve_quota('a0000000-0000-4000-8000-0000000000f2', 'customization',
    '2026-02-28 23:30:00-05') as r),
  '2026-03-01'::date, 'months are UTC months whatever the caller''s time zone');
do $$
begin
  perform public.reserve_quota('a0000000-0000-4000-8000-0000000000f2', 'customization', '2026-01-31 23:59:59+00')
  from generate_series(1, 4);
end
$$;
select throws_ok($$ select public.reserve_quota('a0000000-0000-4000-8000-0000000000f2', 'customization',
    '2026-01-31 23:59:59.5+00') $$,
  'P0001', 'quota_exceeded', 'January is full at its last second');
select lives_ok($$ select public.reserve_quota('a0000000-0000-4000-8000-0000000000f2', 'customization',
    '2026-02-01 00:00:01+00') $$,
  'February starts fresh although no cron job ran (lazy rollover)');
select is(
  (pg_temp.error_of($$ select public.reserve_quota('a0000000-0000-4000-8000-0000000000f2', 'customization',
    '2026-01-31 23:59:59.5+00') $$) ->> 'detail')::jsonb ->> 'resets_at',
  '2026-02-01T00:00:00+00:00', 'a January refusal says the quota resets at midnight UTC on February 1');

-- Plans -----------------------------------------------------------------------------------------------------
select throws_ok($$ select public.reserve_quota('a0000000-0000-4000-8000-0000000000f1', 'custom_generation') $$,
  'P0001', 'plan_required', 'custom generation is not part of the free plan');
select is(
  (select count(distinct id)::integer from generate_series(1, 10) as g (i)
   cross join lateral public.reserve_quota('a0000000-0000-4000-8000-0000000000e1', 'custom_generation',
     '2026-03-15 12:00:00+00'::timestamptz + g.i * interval '1 millisecond')),
  10, 'a paid organization reserves ten custom generations a month');
select throws_ok($$ select public.reserve_quota('a0000000-0000-4000-8000-0000000000e1', 'custom_generation',
    '2026-03-15 12:00:00+00') $$,
  'P0001', 'quota_exceeded', 'the eleventh custom generation is refused');
select throws_ok($$ select public.reserve_quota('00000000-0000-4000-8000-000000000000', 'customization') $$,
  'P0001', 'not_found', 'an unknown organization cannot reserve');
select throws_ok($$ select public.reserve_quota('a0000000-0000-4000-8000-0000000000f1', 'teleportation') $$,
  'P0001', 'invalid_input', 'an unknown feature is refused');

-- Forgotten holds expire ------------------------------------------------------------------------------------
do $$
begin
  perform public.reserve_quota('a0000000-0000-4000-8000-0000000000f3', 'customization', '2026-03-15 12:00:00+00', 60)
  from generate_series(1, 5);
end
$$;
select lives_ok($$ select public.reserve_quota('a0000000-0000-4000-8000-0000000000f3', 'customization',
    '2026-03-15 12:02:00+00') $$,
  'holds never committed nor released are given back once expired, at the next reservation');
select results_eq($$ select used, reserved from public.usage_quotas
    where organization_id = 'a0000000-0000-4000-8000-0000000000f3' $$,
  $$ values (0, 1) $$, 'the five expired holds no longer count');
select is(public.release_all_expired_holds('2026-03-15 13:00:00+00') >= 1, true,
  'the sweep releases expired holds without waiting for a reservation');
select results_eq($$ select used, reserved from public.usage_quotas
    where organization_id = 'a0000000-0000-4000-8000-0000000000f3' $$,
  $$ values (0, 0) $$, 'after the sweep nothing is reserved');

-- Rollover job and status -----------------------------------------------------------------------------------
select is((public.reset_quota_periods('2026-04-01 00:05:00+00') ->> 'opened_periods')::integer >= 8, true,
  'the daily rollover opens the new month for every live organization and feature');
select results_eq($$ select feature, monthly_limit, used, reserved, remaining, resets_at
    from public.quota_status('a0000000-0000-4000-8000-0000000000f1', '2026-03-20 00:00:00+00') $$,
  $$ values ('custom_generation'::text, 0, 0, 0, 0, '2026-04-01 00:00:00+00'::timestamptz),
            ('customization', 5, 1, 0, 4, '2026-04-01 00:00:00+00'),
            ('material_summary', 10, 0, 0, 10, '2026-04-01 00:00:00+00') $$,
  'quota_status reports limit, used, reserved, remaining and resets_at per feature (the sweep above freed the holds)');

select * from finish();
rollback;
