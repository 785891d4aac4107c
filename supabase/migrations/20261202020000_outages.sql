-- Surviving AI outages, crashes and restarts.
--
-- 1. A shared circuit per AI provider (public.ai_provider_circuits): every worker and request records the
--    provider's transient failures (429, 5xx, timeouts, connection errors) and successes here, so all of
--    them respect one pause: the provider's Retry-After, or an open circuit after AI_CIRCUIT_FAILURE_THRESHOLD
--    consecutive failures (base * 2^k seconds, capped at AI_CIRCUIT_MAX_SECONDS).
-- 2. Deferring a job (public.defer_job) gives its attempt back: a job that met a provider outage, or that a
--    stopping worker claimed but never started, is queued again without spending an attempt, up to
--    AI_OUTAGE_HORIZON_SECONDS after it was created (then failures spend attempts again, so nothing loops
--    forever).
-- 3. Short holds renewed while their holder lives: a job lease of 15 s (heartbeat every 5 s), a quota hold
--    of 60 s and an Idempotency-Key lock that the request renews; a crashed holder frees them within a
--    minute or two.
-- 4. A failed material can be processed again (public.retry_material).

insert into public.app_settings (name, value, description) values
  ('AI_CIRCUIT_FAILURE_THRESHOLD', '5', 'Consecutive transient AI failures that open the provider''s circuit'),
  ('AI_CIRCUIT_BASE_SECONDS', '2', 'First pause of an open circuit; doubles each time it opens again without an answer between'),
  ('AI_CIRCUIT_MAX_SECONDS', '20', 'Longest pause of an open circuit (a provider''s own Retry-After may be longer)'),
  ('AI_DEFER_MAX_SECONDS', '20', 'Longest wait of a job deferred by a provider outage before it tries again'),
  ('AI_OUTAGE_HORIZON_SECONDS', '3600',
    'For this long after a job is created, provider outages do not spend its attempts')
on conflict (name) do nothing;

-- Shorter holds: only changed when still at the shipped defaults (an operator's own value is kept).
update public.app_settings set value = '15', description = 'Lease of a claimed job; the worker renews it every third of it'
where name = 'JOB_LEASE_SECONDS' and value = '60';
update public.app_settings set value = '60',
  description = 'A quota hold its request stopped renewing (it renews every 20 s) is released after this'
where name = 'QUOTA_RESERVATION_TTL_SECONDS' and value = '900';

alter table public.jobs add column deferrals integer not null default 0 check (deferrals >= 0);

comment on column public.jobs.deferrals is
  'How often the job was queued again without spending an attempt (provider outage, or handed back unstarted).';

create table public.ai_provider_circuits (
  provider text primary key check (char_length(provider) between 1 and 200),
  consecutive_failures integer not null default 0 check (consecutive_failures >= 0),
  -- How often the circuit opened since the last answer: each reopening doubles the pause.
  trips integer not null default 0 check (trips >= 0),
  -- No call to the provider before this time (its Retry-After, or the open circuit).
  paused_until timestamptz,
  last_error text check (char_length(last_error) <= 2000),
  updated_at timestamptz not null default now()
);

comment on table public.ai_provider_circuits is
  'One row per AI provider: consecutive transient failures and the pause every worker and request respects. Service only.';

alter table public.ai_provider_circuits enable row level security;
revoke all on table public.ai_provider_circuits from anon, authenticated;
grant all on table public.ai_provider_circuits to service_role;

create or replace function public.ai_provider_pause(p_provider text, p_now timestamptz default now())
returns table (paused_until timestamptz, consecutive_failures integer)
language sql
stable
security definer
set search_path = ''
as $$
  select case when c.paused_until > p_now then c.paused_until end, c.consecutive_failures
  from public.ai_provider_circuits c
  where c.provider = p_provider
$$;

comment on function public.ai_provider_pause(text, timestamptz) is
  'The provider''s pause end when it is still in force (null otherwise) and its consecutive failures; no row when it never failed.';

create or replace function public.record_ai_failure(
  p_provider text,
  p_error text,
  p_retry_after_seconds integer default null,
  p_now timestamptz default now()
)
returns timestamptz
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_circuit public.ai_provider_circuits;
  v_until timestamptz;
begin
  insert into public.ai_provider_circuits as c (provider, consecutive_failures, last_error, updated_at)
  values (p_provider, 1, left(p_error, 2000), p_now)
  on conflict (provider) do update
  set consecutive_failures = c.consecutive_failures + 1,
      last_error = excluded.last_error,
      updated_at = p_now
  returning c.* into v_circuit;
  v_until := v_circuit.paused_until;
  -- A failure of a call sent before the pause began does not open the circuit again.
  if v_circuit.consecutive_failures >= public.app_setting_int('AI_CIRCUIT_FAILURE_THRESHOLD')
    and (v_until is null or v_until <= p_now)
  then
    v_circuit.trips := v_circuit.trips + 1;
    v_until := p_now + make_interval(secs => least(
      public.app_setting_int('AI_CIRCUIT_BASE_SECONDS') * power(2, least(v_circuit.trips - 1, 20)),
      public.app_setting_int('AI_CIRCUIT_MAX_SECONDS')::double precision
    ));
  end if;
  if p_retry_after_seconds > 0 then
    v_until := greatest(v_until, p_now + make_interval(secs => least(p_retry_after_seconds, 3600)));
  end if;
  if v_until is distinct from v_circuit.paused_until then
    update public.ai_provider_circuits c
    set paused_until = v_until,
        trips = v_circuit.trips
    where c.provider = p_provider;
  end if;
  return case when v_until > p_now then v_until end;
end
$$;

comment on function public.record_ai_failure(text, text, integer, timestamptz) is
  'Counts a transient failure of the provider (429, 5xx, timeout, connection) and returns until when every caller must leave it alone (null: not paused): the provider''s Retry-After (capped at an hour), and from AI_CIRCUIT_FAILURE_THRESHOLD consecutive failures an open circuit of AI_CIRCUIT_BASE_SECONDS, doubling each time it opens again without an answer in between, up to AI_CIRCUIT_MAX_SECONDS. Failures arriving while it is open do not lengthen it. A pause is only ever extended here.';

create or replace function public.record_ai_success(p_provider text, p_now timestamptz default now())
returns void
language sql
security definer
set search_path = ''
as $$
  -- Writes only after failures, so the healthy path does not contend on the row.
  update public.ai_provider_circuits c
  set consecutive_failures = 0,
      trips = 0,
      updated_at = p_now
  where c.provider = p_provider and (c.consecutive_failures > 0 or c.trips > 0)
$$;

comment on function public.record_ai_success(text, timestamptz) is
  'Closes the provider''s circuit after an answer (consecutive failures back to 0). A Retry-After pause still in force is kept: one answer does not cancel the provider''s "slow down".';

create or replace function public.defer_job(
  p_job_id uuid,
  p_attempt integer,
  p_reason text,
  p_not_before timestamptz default null,
  p_backoff boolean default true,
  p_now timestamptz default now()
)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job public.jobs;
  v_wait double precision := 0;
begin
  select j.* into v_job
  from public.jobs j
  where j.id = p_job_id and j.status = 'running' and j.attempts = p_attempt
  for update;
  if v_job.id is null then
    return null;
  end if;
  if p_backoff and v_job.created_at + make_interval(secs => public.app_setting_int('AI_OUTAGE_HORIZON_SECONDS')) <= p_now then
    -- Past the horizon an outage no longer protects the job: the failure spends an attempt.
    return public.fail_job(p_job_id, p_attempt, p_reason, true, null, p_now);
  end if;
  if p_backoff then
    v_wait := least(
      extract(epoch from public.job_backoff(v_job.deferrals + 1)),
      public.app_setting_int('AI_DEFER_MAX_SECONDS')::double precision
    );
  end if;
  -- The attempt number is the fencing token: only this worker (the lease holder) can give it back, and it
  -- stops touching the job when it does; the next claim receives the same number again.
  update public.jobs j
  set status = 'queued',
      attempts = j.attempts - 1,
      deferrals = j.deferrals + case when p_backoff then 1 else 0 end,
      lease_expires_at = null,
      run_after = greatest(
        p_now + make_interval(secs => v_wait),
        -- Spread the queue over a second after a shared pause so workers do not all call at its end.
        p_not_before + make_interval(secs => random())
      ),
      last_error = left(p_reason, 4000),
      updated_at = p_now
  where j.id = p_job_id;
  return 'deferred';
end
$$;

comment on function public.defer_job(uuid, integer, text, timestamptz, boolean, timestamptz) is
  'Queues a running job again WITHOUT spending its attempt, fenced by the attempt number (null: not this worker''s job any more). With p_backoff (a provider outage): due after a backoff by deferrals capped at AI_DEFER_MAX_SECONDS and not before p_not_before (a provider pause), and only within AI_OUTAGE_HORIZON_SECONDS of the job''s creation: past it, it fails the attempt like fail_job. Without p_backoff (a stopping worker hands back a job it never started): due at once. Returns deferred, or fail_job''s answer.';

create or replace function public.extend_quota_reservation(
  p_reservation_id uuid,
  p_hold_seconds integer default null,
  p_now timestamptz default now()
)
returns boolean
language sql
security definer
set search_path = ''
as $$
  update public.quota_reservations r
  set expires_at = greatest(
    r.expires_at,
    p_now + make_interval(secs => coalesce(p_hold_seconds, public.app_setting_int('QUOTA_RESERVATION_TTL_SECONDS')))
  )
  where r.id = p_reservation_id and r.status = 'reserved' and r.expires_at is not null and r.expires_at > p_now
  returning true
$$;

comment on function public.extend_quota_reservation(uuid, integer, timestamptz) is
  'Keeps a live request''s quota hold from expiring (its heartbeat); null/false when the hold is already resolved, expired or owned by a job. A holder that stops renewing loses the hold after QUOTA_RESERVATION_TTL_SECONDS.';

create or replace function public.extend_idempotent_request(p_id uuid, p_lock_seconds integer)
returns boolean
language sql
security definer
set search_path = ''
as $$
  update public.idempotency_keys k
  set locked_until = greatest(k.locked_until, now() + make_interval(secs => p_lock_seconds))
  where k.id = p_id and k.status = 'in_progress'
  returning true
$$;

comment on function public.extend_idempotent_request(uuid, integer) is
  'Renews the lock of an in-progress Idempotency-Key while its request still runs; a request that died stops renewing and a retry with the key may take over once the lock passes.';

create or replace function public.retry_material(p_material_id uuid, p_now timestamptz default now())
returns public.jobs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_material public.team_materials;
  v_job public.jobs;
begin
  select m.* into v_material from public.team_materials m where m.id = p_material_id for update;
  if v_material.id is null then
    raise exception using
      errcode = 'P0001',
      message = 'not_found',
      detail = jsonb_build_object('resource', 'material', 'id', p_material_id)::text,
      hint = 'No such material';
  end if;
  if v_material.status <> 'failed' then
    raise exception using
      errcode = 'P0001',
      message = 'invalid_transition',
      detail = jsonb_build_object('from', v_material.status, 'to', 'processing')::text,
      hint = 'Only a material whose processing failed can be retried';
  end if;
  update public.jobs j
  set status = 'queued',
      attempts = 0,
      deferrals = 0,
      run_after = p_now,
      lease_expires_at = null,
      locked_by = null,
      locked_at = null,
      result = null,
      finished_at = null,
      last_error = 'Retry requested: ' || coalesce(j.last_error, 'processing failed'),
      updated_at = p_now
  where j.id = v_material.job_id and j.status in ('failed', 'dead', 'cancelled')
  returning j.* into v_job;
  if v_job.id is null then
    v_job := public.enqueue_job(
      p_kind => 'process_material',
      p_organization_id => v_material.organization_id,
      p_team_id => v_material.team_id,
      p_payload => jsonb_build_object('material_id', v_material.id),
      p_idempotency_key => 'material:' || v_material.id::text || ':' || extract(epoch from p_now)::text,
      p_created_by => v_material.created_by,
      p_now => p_now
    );
  else
    perform public.wake_jobs_worker('material_retry', array[v_job.id]);
  end if;
  update public.team_materials m
  set status = 'processing',
      error = null,
      job_id = v_job.id,
      updated_at = p_now
  where m.id = p_material_id;
  return v_job;
end
$$;

comment on function public.retry_material(uuid, timestamptz) is
  'Processes a failed material again: its job is queued afresh (attempts from 0) and the worker woken, the material goes back to processing; invalid_transition unless the material failed, not_found when there is none.';

revoke all on function public.ai_provider_pause(text, timestamptz) from public, anon, authenticated;
grant execute on function public.ai_provider_pause(text, timestamptz) to service_role;
revoke all on function public.record_ai_failure(text, text, integer, timestamptz) from public, anon, authenticated;
grant execute on function public.record_ai_failure(text, text, integer, timestamptz) to service_role;
revoke all on function public.record_ai_success(text, timestamptz) from public, anon, authenticated;
grant execute on function public.record_ai_success(text, timestamptz) to service_role;
revoke all on function public.defer_job(uuid, integer, text, timestamptz, boolean, timestamptz)
from public, anon, authenticated;
grant execute on function public.defer_job(uuid, integer, text, timestamptz, boolean, timestamptz) to service_role;
revoke all on function public.extend_quota_reservation(uuid, integer, timestamptz) from public, anon, authenticated;
grant execute on function public.extend_quota_reservation(uuid, integer, timestamptz) to service_role;
revoke all on function public.extend_idempotent_request(uuid, integer) from public, anon, authenticated;
grant execute on function public.extend_idempotent_request(uuid, integer) to service_role;
revoke all on function public.retry_material(uuid, timestamptz) from public, anon, authenticated;
grant execute on function public.retry_material(uuid, timestamptz) to service_role;

-- When Postgres starts (the stack starting, the database coming back after a restart or failover), sweep
-- at once: expired leases go back to the queue and the worker is woken, instead of at the next minute.
select cron.schedule('jobs-sweep-on-start', '@reboot', 'select public.sweep_jobs()');

-- Redefined from 20261126000003_jobs.sql, one change: a requeued job keeps its run_after (it was due when
-- claimed) instead of moving to now, so a crashed worker's jobs go back to the front of the line rather than
-- behind the whole backlog. Workers now call it every few seconds while they drain (not only when the due
-- queue runs dry), so a crashed worker's jobs are back within about a lease (15 s) even on a busy queue.
create or replace function public.requeue_expired_jobs(
  p_now timestamptz default now(),
  p_organization_id uuid default null
)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job public.jobs;
  v_count integer := 0;
begin
  for v_job in
    select j.*
    from public.jobs j
    where j.status = 'running'
      and j.lease_expires_at <= p_now
      and (p_organization_id is null or j.organization_id = p_organization_id)
    order by j.lease_expires_at
    for update skip locked
  loop
    if v_job.attempts >= v_job.max_attempts then
      update public.jobs j
      set status = 'dead',
          lease_expires_at = null,
          finished_at = p_now,
          updated_at = p_now,
          last_error = format('Lease of attempt %s expired (worker %s stopped)', v_job.attempts, v_job.locked_by)
      where j.id = v_job.id;
      perform public.settle_job(v_job.id, p_now);
    else
      update public.jobs j
      set status = 'queued',
          lease_expires_at = null,
          updated_at = p_now,
          last_error = format('Lease of attempt %s expired (worker %s stopped)', v_job.attempts, v_job.locked_by)
      where j.id = v_job.id;
    end if;
    v_count := v_count + 1;
  end loop;
  return v_count;
end
$$;

comment on function public.requeue_expired_jobs(timestamptz, uuid) is
  'Puts running jobs (of one organization when p_organization_id is given) whose lease expired by p_now back in the queue (due at once and in its old place in line, since it was due when claimed; the lost attempt counts), or ends them dead when that was their last attempt, releasing their quota. Skips rows another transaction holds. Returns how many it moved.';
