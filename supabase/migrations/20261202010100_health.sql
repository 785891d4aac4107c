-- pg_net, and what the health function reports about the parts jobs need.
--
-- Hosted projects ship pg_net but do not enable it: without it the job trigger and the minute sweep queue
-- no wake-up and jobs wait forever, silently. Enable it wherever the extension is available. Where it is
-- not (the local stack's Postgres), the platform's stand-in provides the same SQL surface, and the health
-- report below checks that surface, not the extension, so both are judged the same way.

do $$
begin
  if exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_net') then
    create extension if not exists pg_net with schema extensions;
  end if;
end
$$;

create or replace function public.health_report(p_bucket text default 'team-materials')
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_pg_net_version text;
  v_http_post boolean;
  v_pg_cron_version text;
  v_expected_jobs text[] := array['jobs-sweep', 'quota-rollover', 'housekeeping'];
  v_missing_jobs text[];
  v_missing_secrets text[];
  v_project_url text;
  v_worker_secret text;
  v_bucket boolean;
begin
  -- pg_net: the function the wake-up calls (from the extension on hosted, from the stand-in locally).
  select e.extversion into v_pg_net_version from pg_catalog.pg_extension e where e.extname = 'pg_net';
  select exists (
    select 1
    from pg_catalog.pg_proc p
    where p.pronamespace = (select n.oid from pg_catalog.pg_namespace n where n.nspname = 'net')
      and p.proname = 'http_post'
  ) into v_http_post;

  -- pg_cron: every schedule the product relies on, present and active.
  select e.extversion into v_pg_cron_version from pg_catalog.pg_extension e where e.extname = 'pg_cron';
  select coalesce(array_agg(expected.name order by expected.ord), '{}')
  into v_missing_jobs
  from unnest(v_expected_jobs) with ordinality as expected (name, ord)
  where not exists (select 1 from cron.job j where j.jobname = expected.name and j.active);

  -- Vault: the two entries wake_jobs_worker reads. Only their presence and a digest of the worker secret
  -- leave this function, never a secret.
  select s.decrypted_secret into v_project_url from vault.decrypted_secrets s where s.name = 'project_url';
  select s.decrypted_secret into v_worker_secret from vault.decrypted_secrets s where s.name = 'worker_secret';
  v_missing_secrets := array_remove(array[
    case when coalesce(v_project_url, '') = '' then 'project_url' end,
    case when coalesce(v_worker_secret, '') = '' then 'worker_secret' end
  ], null);

  select exists (select 1 from storage.buckets b where b.id = p_bucket) into v_bucket;

  return jsonb_build_object(
    'pg_net', jsonb_build_object(
      'ok', v_http_post,
      'detail', case
        when v_http_post and v_pg_net_version is not null then format('pg_net %s is enabled', v_pg_net_version)
        when v_http_post then 'net.http_post is available (the local stack''s pg_net stand-in)'
        else 'pg_net is not enabled, so jobs are never woken: run `create extension pg_net with schema extensions` (or Dashboard > Database > Extensions), then supabase db push'
      end
    ),
    'cron', jsonb_build_object(
      'ok', cardinality(v_missing_jobs) = 0,
      'detail', case
        when cardinality(v_missing_jobs) = 0
          then format('pg_cron %s: %s scheduled', v_pg_cron_version, array_to_string(v_expected_jobs, ', '))
        else format(
          'cron jobs not scheduled or inactive: %s (the migration 20261126000004_schedules.sql schedules them)',
          array_to_string(v_missing_jobs, ', ')
        )
      end,
      'missing', to_jsonb(v_missing_jobs)
    ),
    'worker_secrets', jsonb_build_object(
      'ok', cardinality(v_missing_secrets) = 0,
      'detail', case
        when cardinality(v_missing_secrets) = 0 then 'Vault has project_url and worker_secret'
        else format(
          'Vault is missing %s, so the database cannot call jobs-worker: select vault.create_secret(''<value>'', ''<name>'')',
          array_to_string(v_missing_secrets, ' and ')
        )
      end,
      'missing', to_jsonb(v_missing_secrets),
      'project_url', v_project_url,
      'worker_secret_sha256', case
        when coalesce(v_worker_secret, '') = '' then null
        else encode(pg_catalog.sha256(pg_catalog.convert_to(v_worker_secret, 'UTF8')), 'hex')
      end
    ),
    'storage', jsonb_build_object(
      'ok', v_bucket,
      'detail', case
        when v_bucket then format('bucket %s exists', p_bucket)
        else format('bucket %s does not exist: the migration 20261126000005_storage_bucket.sql creates it', p_bucket)
      end
    )
  );
end
$$;

comment on function public.health_report(text) is
  'What jobs need from the database, for the health function: pg_net''s http_post, the three cron schedules active, the Vault entries project_url and worker_secret, and the materials bucket; each {ok, detail}. Returns no secret: the worker secret only as a SHA-256 digest, so the caller can tell whether it matches its own.';

revoke all on function public.health_report(text) from public, anon, authenticated;
grant execute on function public.health_report(text) to service_role;
