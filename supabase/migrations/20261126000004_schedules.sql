-- Scheduled work (pg_cron): the minute sweep of the job queue, the daily quota rollover and housekeeping.
-- cron.schedule with a job name replaces the job of that name, so running this migration again (or a
-- later migration rescheduling a job) never duplicates a job.

create extension if not exists pg_cron with schema pg_catalog;

create or replace function public.release_all_expired_holds(p_now timestamptz default now())
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row record;
  v_total integer := 0;
begin
  for v_row in
    select distinct r.organization_id, r.feature, r.period_start
    from public.quota_reservations r
    where r.status = 'reserved' and r.expires_at <= p_now
  loop
    -- Lock order: the usage row, then its reservations; a row busy in a reservation is left for next time.
    perform 1
    from public.usage_quotas q
    where q.organization_id = v_row.organization_id and q.feature = v_row.feature and q.period_start = v_row.period_start
    for update skip locked;
    if found then
      v_total := v_total + public.release_expired_holds(v_row.organization_id, v_row.feature, v_row.period_start, p_now);
    end if;
  end loop;
  return v_total;
end
$$;

comment on function public.release_all_expired_holds(timestamptz) is
  'Releases every quota hold whose expiry passed (a caller that reserved and never committed or released), giving the units back; returns how many. Job-owned holds never expire: their job settles them.';

create or replace function public.sweep_jobs(p_now timestamptz default now())
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_requeued integer;
  v_released integer;
  v_due integer;
  v_request_id bigint;
begin
  v_requeued := public.requeue_expired_jobs(p_now);
  v_released := public.release_all_expired_holds(p_now);
  select count(*) into v_due
  from public.jobs j
  where j.status = 'queued' and j.run_after <= p_now;
  if v_due > 0 then
    v_request_id := public.wake_jobs_worker('sweep', '{}'::uuid[]);
  end if;
  return jsonb_build_object(
    'requeued', v_requeued, 'released_holds', v_released, 'due', v_due, 'wake_request_id', v_request_id
  );
end
$$;

comment on function public.sweep_jobs(timestamptz) is
  'The minute sweep: requeues expired leases (or ends them dead), releases expired quota holds, and sends one wake-up to the worker when due jobs wait (retries after backoff, missed wake-ups). Safe to run concurrently with workers.';

create or replace function public.reset_quota_periods(p_now timestamptz default now())
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_released integer;
  v_created integer;
  v_period date := public.quota_period_start(p_now);
begin
  -- Holds left over from ended periods (and any other expired ones) give their units back.
  v_released := public.release_all_expired_holds(p_now);
  -- Open the current month for every live organization, so the new period is visible before first use
  -- (reserve_quota creates it lazily too; this only makes the rollover explicit and observable).
  with opened as (
    insert into public.usage_quotas (organization_id, feature, period_start, monthly_limit)
    select o.id, f.feature, v_period, public.quota_limit(o.plan, f.feature)
    from public.organizations o
    cross join (values ('customization'), ('custom_generation')) as f (feature)
    where o.deleted_at is null
    on conflict (organization_id, feature, period_start) do nothing
    returning 1
  )
  select count(*) into v_created from opened;
  return jsonb_build_object('period_start', v_period, 'released_holds', v_released, 'opened_periods', v_created);
end
$$;

comment on function public.reset_quota_periods(timestamptz) is
  'Daily rollover: releases expired holds and opens the month of p_now (used = reserved = 0) for every live organization and feature; idempotent. Earlier months stay as history and no longer count.';

create or replace function public.prune_expired_records(p_now timestamptz default now())
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_keys integer;
  v_events integer;
begin
  with deleted as (
    delete from public.idempotency_keys k where k.expires_at <= p_now returning 1
  )
  select count(*) into v_keys from deleted;
  with deleted as (
    delete from public.webhook_events e
    where e.processed_at <= p_now - make_interval(days => public.app_setting_int('WEBHOOK_EVENT_TTL_DAYS'))
    returning 1
  )
  select count(*) into v_events from deleted;
  return jsonb_build_object('idempotency_keys', v_keys, 'webhook_events', v_events);
end
$$;

comment on function public.prune_expired_records(timestamptz) is
  'Deletes expired Idempotency-Key records and processed webhook ids older than WEBHOOK_EVENT_TTL_DAYS; returns the counts.';

revoke all on function public.release_all_expired_holds(timestamptz) from public, anon, authenticated;
grant execute on function public.release_all_expired_holds(timestamptz) to service_role;
revoke all on function public.sweep_jobs(timestamptz) from public, anon, authenticated;
grant execute on function public.sweep_jobs(timestamptz) to service_role;
revoke all on function public.reset_quota_periods(timestamptz) from public, anon, authenticated;
grant execute on function public.reset_quota_periods(timestamptz) to service_role;
revoke all on function public.prune_expired_records(timestamptz) from public, anon, authenticated;
grant execute on function public.prune_expired_records(timestamptz) to service_role;

select cron.schedule('jobs-sweep', '* * * * *', 'select public.sweep_jobs()');
select cron.schedule('quota-rollover', '5 0 * * *', 'select public.reset_quota_periods()');
select cron.schedule('housekeeping', '17 3 * * *', 'select public.prune_expired_records()');
