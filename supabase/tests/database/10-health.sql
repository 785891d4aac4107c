begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

-- pg_net is enabled where the extension exists; everywhere, the wake-up's function is there.
select ok(
  not exists (select 1 from pg_available_extensions where name = 'pg_net')
  or exists (select 1 from pg_extension where extname = 'pg_net'),
  'pg_net is enabled wherever the extension is available'
);

select is(
  (select jsonb_object_agg(key, (value ->> 'ok')::boolean) from jsonb_each(public.health_report('team-materials'))),
  '{"pg_net": true, "cron": true, "worker_secrets": true, "storage": true}'::jsonb,
  'on the migrated database every part jobs need is reported ok'
);

select is(
  public.health_report('team-materials') -> 'worker_secrets' ->> 'worker_secret_sha256',
  (select encode(sha256(convert_to(decrypted_secret, 'UTF8')), 'hex') from vault.decrypted_secrets where name = 'worker_secret'),
  'the worker secret leaves only as its SHA-256 digest'
);

select ok(
  position((select decrypted_secret from vault.decrypted_secrets where name = 'worker_secret')
    in public.health_report('team-materials')::text) = 0,
  'the report never holds the worker secret itself'
);

select is(
  public.health_report('no-such-bucket') -> 'storage' ->> 'ok',
  'false',
  'a bucket that does not exist is reported missing'
);

-- Broken inside this transaction only (rolled back at the end).
do $$ begin perform cron.unschedule('housekeeping'); end $$;
select is(
  public.health_report('team-materials') -> 'cron' -> 'missing',
  '["housekeeping"]'::jsonb,
  'an unscheduled cron job is named'
);

update cron.job set active = false where jobname = 'quota-rollover';
select is(
  public.health_report('team-materials') -> 'cron' -> 'missing',
  '["quota-rollover", "housekeeping"]'::jsonb,
  'an inactive cron job counts as missing'
);

delete from vault.secrets where name = 'project_url';
select is(
  public.health_report('team-materials') -> 'worker_secrets' -> 'missing',
  '["project_url"]'::jsonb,
  'a missing Vault entry is named'
);

-- Only the service may ask: the report talks about secrets.
set local role authenticated;
select throws_ok(
  $$ select public.health_report('team-materials') $$,
  '42501',
  null,
  'signed-in users cannot call health_report'
);

select * from finish();
rollback;
