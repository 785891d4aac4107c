begin;
create extension if not exists pgtap with schema extensions;
select plan(26);

-- The tables exist.
select has_table('public', t, format('table public.%s exists', t))
from unnest(array[
  'app_settings', 'organizations', 'users', 'organization_members', 'webhook_events', 'teams', 'public_activities',
  'team_activities', 'team_materials', 'team_storage_usage', 'jobs', 'usage_quotas', 'quota_reservations',
  'idempotency_keys'
]) as t;

select is_empty(
  $$ select c.relname from pg_class c
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity $$,
  'every table in public has row level security enabled'
);

select is_empty(
  $$ select table_name, privilege_type from information_schema.role_table_grants
     where grantee = 'anon' and table_schema = 'public' $$,
  'anon holds no privilege on any table in public'
);

select is_empty(
  $$ select table_name, privilege_type from information_schema.role_table_grants
     where grantee = 'authenticated' and table_schema = 'public' and privilege_type <> 'SELECT' $$,
  'authenticated may only SELECT (through RLS): no insert, update, delete or truncate on any table'
);

select is_empty(
  $$ select p.oid::regprocedure from pg_proc p
     where p.pronamespace = 'public'::regnamespace and has_function_privilege('anon', p.oid, 'execute')
       and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e') $$,
  'anon may execute no function in public'
);

select is_empty(
  $$ select p.oid::regprocedure from pg_proc p
     where p.pronamespace = 'public'::regnamespace and p.prosecdef
       and not exists (select 1 from unnest(p.proconfig) as c where c like 'search_path=%') $$,
  'every SECURITY DEFINER function in public pins its search_path'
);

select is_empty(
  $$ select p.oid::regprocedure from pg_proc p
     where p.pronamespace = 'public'::regnamespace and obj_description(p.oid, 'pg_proc') is null
       and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e') $$,
  'every function in public has a comment saying what it guarantees'
);

select set_eq(
  $$ select p.proname::text from pg_proc p
     where p.pronamespace = 'public'::regnamespace and has_function_privilege('authenticated', p.oid, 'execute')
       and p.prosecdef $$,
  array[
    'current_app_user_id', 'member_organization_ids', 'is_org_member', 'is_org_admin', 'create_team', 'update_team',
    'delete_team', 'set_team_activity_status', 'quota_limit', 'team_storage_limit_bytes'
  ],
  'the signed-in role may run exactly the RLS helpers, the team and activity writes, and two read-only lookups as definer'
);

select ok(
  not has_function_privilege('authenticated', 'public.claim_jobs(text, integer, integer, text[], timestamptz, uuid)', 'execute')
  and not has_function_privilege('authenticated', 'public.reserve_quota(uuid, text, timestamptz, integer)', 'execute')
  and has_function_privilege('service_role', 'public.claim_jobs(text, integer, integer, text[], timestamptz, uuid)', 'execute')
  and has_function_privilege('service_role', 'public.reserve_quota(uuid, text, timestamptz, integer)', 'execute'),
  'worker and quota functions are executable by service_role and not by signed-in users'
);

select ok(
  exists (
    select 1 from pg_publication_tables
    where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'jobs'
  ),
  'jobs are published to supabase_realtime'
);

select results_eq(
  $$ select jobname::text collate "default", schedule, command from cron.job
     where jobname in ('jobs-sweep', 'quota-rollover', 'housekeeping') order by jobname $$,
  $$ values ('housekeeping'::text, '17 3 * * *'::text, 'select public.prune_expired_records()'::text),
            ('jobs-sweep', '* * * * *', 'select public.sweep_jobs()'),
            ('quota-rollover', '5 0 * * *', 'select public.reset_quota_periods()') $$,
  'the named cron jobs sweep the queue every minute, roll quotas over daily and prune daily, once each'
);

select throws_ok(
  $$ insert into public.public_activities (
       slug, title, summary, category, duration_minutes, min_group_size, max_group_size, work_modes, objectives,
       materials, preparation, steps, facilitation_tips, debrief_questions, tags)
     values ('pgtap-bad-modes', 'T', 'S', 'trust', 30, 2, 10, array['underwater'], '{}', '{}', 'p', '{}', '{}', '{}',
       '{}') $$,
  '23514',
  null,
  'a catalog activity whose work modes are not a subset of remote, hybrid and onsite is rejected'
);

select ok(
  public.app_setting_int('FREE_TIER_MONTHLY_LIMIT') = 5
  and public.app_setting_int('PAID_TIER_CUSTOM_LIMIT') = 10
  and public.app_setting_int('FREE_TIER_CUSTOM_LIMIT') = 0
  and public.app_setting_int('MAX_TEAM_STORAGE_MB') = 50,
  'the settings default to the original design: 5 free customizations, 10 paid generations, none free, 50 MB per team'
);

select * from finish();
rollback;
