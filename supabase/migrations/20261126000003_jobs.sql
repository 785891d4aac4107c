-- The job queue, and the work it produces: team activities, team materials and their storage bytes.
--
-- The jobs table is the truth; pg_net only wakes the worker. A job moves
--   queued -> running (claimed with a lease; attempts + 1) -> succeeded | queued (retry after backoff)
--          | failed (not retryable) | dead (attempts used up) ; queued | running -> cancelled.
-- Every write by a worker names the attempt it was given: a worker whose lease expired and whose job was
-- claimed again (a higher attempt) changes nothing. A terminal status settles the job's quota reservation
-- exactly once: committed on success, released otherwise.
--
-- Worker-facing functions are SECURITY DEFINER and executable by service_role only.

create table public.jobs (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('generate_activities', 'process_material')),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  team_id uuid not null,
  payload jsonb not null default '{}' check (jsonb_typeof(payload) = 'object'),
  status text not null default 'queued' check (
    status in ('queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled')
  ),
  attempts integer not null default 0 check (attempts >= 0),
  max_attempts integer not null default 3 check (max_attempts between 1 and 25),
  run_after timestamptz not null default now(),
  locked_by text check (char_length(locked_by) <= 200),
  locked_at timestamptz,
  lease_expires_at timestamptz,
  progress jsonb not null default '{}' check (jsonb_typeof(progress) = 'object'),
  result jsonb,
  last_error text check (char_length(last_error) <= 4000),
  idempotency_key text check (char_length(idempotency_key) between 1 and 255),
  quota_reservation_id uuid references public.quota_reservations (id) on delete set null,
  created_by uuid references public.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  foreign key (organization_id, team_id) references public.teams (organization_id, id) on delete cascade,
  -- Jobs without a key never conflict (nulls are distinct).
  unique (organization_id, kind, idempotency_key),
  check (attempts <= max_attempts),
  check ((status = 'running') = (lease_expires_at is not null)),
  check ((status in ('succeeded', 'failed', 'dead', 'cancelled')) = (finished_at is not null))
);

comment on table public.jobs is
  'Background work (generate_activities, process_material). Written only through the queue functions; members read their organization''s jobs (and watch them through supabase_realtime).';

create index jobs_due_idx on public.jobs (run_after, id) where status = 'queued';
create index jobs_lease_idx on public.jobs (lease_expires_at) where status = 'running';
create index jobs_team_idx on public.jobs (team_id, created_at desc);
create index jobs_organization_idx on public.jobs (organization_id, created_at desc);
create index jobs_quota_reservation_idx on public.jobs (quota_reservation_id) where quota_reservation_id is not null;

create table public.team_activities (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  team_id uuid not null,
  source text not null check (source in ('customized', 'generated')),
  status text not null default 'suggested' check (status in ('suggested', 'planned', 'completed', 'archived')),
  -- The activity as the shared zod schema validated it; the title is kept beside it for lists.
  content jsonb not null check (jsonb_typeof(content) = 'object' and jsonb_typeof(content -> 'title') = 'string'),
  title text generated always as (content ->> 'title') stored,
  model text not null check (char_length(model) between 1 and 200),
  public_activity_id uuid references public.public_activities (id) on delete set null,
  job_id uuid references public.jobs (id) on delete set null,
  -- 1, 2 or 3 for the activities of a generation job: at most one set of three per job.
  job_position smallint check (job_position between 1 and 3),
  quota_reservation_id uuid references public.quota_reservations (id) on delete set null,
  created_by uuid references public.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (organization_id, team_id) references public.teams (organization_id, id) on delete cascade,
  unique (job_id, job_position),
  check ((source = 'generated') = (job_position is not null))
);

create index team_activities_team_idx on public.team_activities (team_id, created_at desc);
create index team_activities_organization_idx on public.team_activities (organization_id);
create index team_activities_public_activity_idx on public.team_activities (public_activity_id)
where public_activity_id is not null;
create index team_activities_quota_reservation_idx on public.team_activities (quota_reservation_id)
where quota_reservation_id is not null;

create table public.team_materials (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  team_id uuid not null,
  -- {organization_id}/{team_id}/{id}-{safe name} in the materials bucket.
  storage_path text not null unique,
  filename text not null check (char_length(filename) between 1 and 255),
  mime_type text not null check (char_length(mime_type) between 1 and 255),
  size_bytes bigint not null check (size_bytes > 0),
  sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
  -- uploading: bytes reserved, object being stored; processing: job queued; then ready or failed.
  status text not null default 'uploading' check (status in ('uploading', 'processing', 'ready', 'failed')),
  format text check (format in ('pdf', 'docx', 'pptx', 'xlsx')),
  extracted_text text check (char_length(extracted_text) <= 200000),
  extracted_truncated boolean not null default false,
  summary text check (char_length(summary) <= 20000),
  error text check (char_length(error) <= 2000),
  job_id uuid references public.jobs (id) on delete set null,
  created_by uuid references public.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (organization_id, team_id) references public.teams (organization_id, id) on delete cascade,
  check (starts_with(storage_path, organization_id::text || '/' || team_id::text || '/' || id::text || '-')),
  check (status <> 'failed' or error is not null)
);

create index team_materials_team_idx on public.team_materials (team_id, created_at desc);
create index team_materials_organization_idx on public.team_materials (organization_id);
create index team_materials_job_idx on public.team_materials (job_id) where job_id is not null;

create table public.team_storage_usage (
  team_id uuid primary key,
  organization_id uuid not null,
  -- Bytes of this team's material rows (any status): kept equal to their sum by the triggers below.
  reserved_bytes bigint not null default 0 check (reserved_bytes >= 0),
  updated_at timestamptz not null default now(),
  foreign key (organization_id, team_id) references public.teams (organization_id, id) on delete cascade
);

create index team_storage_usage_organization_idx on public.team_storage_usage (organization_id);

-- ---------------------------------------------------------------------------------------------------------
-- RLS
-- ---------------------------------------------------------------------------------------------------------

alter table public.jobs enable row level security;
alter table public.team_activities enable row level security;
alter table public.team_materials enable row level security;
alter table public.team_storage_usage enable row level security;

revoke all on table public.jobs, public.team_activities, public.team_materials, public.team_storage_usage
from anon, authenticated;
grant select on table public.jobs, public.team_activities, public.team_materials, public.team_storage_usage
to authenticated;
grant all on table public.jobs, public.team_activities, public.team_materials, public.team_storage_usage
to service_role;

create policy "members read their organizations' jobs" on public.jobs
for select to authenticated
using (organization_id in (select public.member_organization_ids()));

create policy "members read their organizations' team activities" on public.team_activities
for select to authenticated
using (organization_id in (select public.member_organization_ids()));

create policy "members read their organizations' team materials" on public.team_materials
for select to authenticated
using (organization_id in (select public.member_organization_ids()));

create policy "members read their organizations' storage usage" on public.team_storage_usage
for select to authenticated
using (organization_id in (select public.member_organization_ids()));

-- ---------------------------------------------------------------------------------------------------------
-- Queue
-- ---------------------------------------------------------------------------------------------------------

create or replace function public.job_backoff(p_attempt integer)
returns interval
language sql
volatile
set search_path = ''
as $$
  select make_interval(secs => least(
    public.app_setting_int('JOB_RETRY_BASE_SECONDS') * power(2, greatest(p_attempt, 1) - 1),
    public.app_setting_int('JOB_RETRY_MAX_SECONDS')::double precision
  ) * (0.5 + random() * 0.5))
$$;

comment on function public.job_backoff(integer) is
  'The wait before retrying after failed attempt p_attempt: base * 2^(p_attempt-1) seconds capped at JOB_RETRY_MAX_SECONDS, jittered to between 50% and 100% of that (never less than half, so retries always back off).';

create or replace function public.settle_job(p_job_id uuid, p_now timestamptz)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job public.jobs;
begin
  select j.* into v_job from public.jobs j where j.id = p_job_id;
  if v_job.status not in ('succeeded', 'failed', 'dead', 'cancelled') then
    return;
  end if;
  if v_job.quota_reservation_id is not null then
    if v_job.status = 'succeeded' then
      perform public.commit_quota(v_job.quota_reservation_id, p_now);
    else
      perform public.release_quota(v_job.quota_reservation_id, p_now);
    end if;
  end if;
  if v_job.kind = 'process_material' and v_job.status in ('failed', 'dead') then
    update public.team_materials m
    set status = 'failed',
        error = left(coalesce(v_job.last_error, 'Processing failed'), 2000),
        updated_at = p_now
    where m.id = (v_job.payload ->> 'material_id')::uuid
      and m.status = 'processing';
  end if;
end
$$;

comment on function public.settle_job(uuid, timestamptz) is
  'Applies the effects of a job''s terminal status once it is set: commits its quota reservation on success, releases it otherwise (commit and release are themselves exactly-once), and marks a process_material job''s material failed when the job failed or died.';

create or replace function public.enqueue_job(
  p_kind text,
  p_organization_id uuid,
  p_team_id uuid,
  p_payload jsonb default '{}',
  p_idempotency_key text default null,
  p_quota_feature text default null,
  p_max_attempts integer default null,
  p_run_after timestamptz default null,
  p_created_by uuid default null,
  p_now timestamptz default now()
)
returns public.jobs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job public.jobs;
  v_reservation public.quota_reservations;
begin
  perform 1 from public.teams t where t.id = p_team_id and t.organization_id = p_organization_id;
  if not found then
    raise exception using
      errcode = 'P0001',
      message = 'not_found',
      detail = jsonb_build_object('resource', 'team', 'id', p_team_id)::text,
      hint = 'No such team in this organization';
  end if;

  insert into public.jobs as j (
    kind, organization_id, team_id, payload, idempotency_key, max_attempts, run_after, created_by, created_at,
    updated_at
  )
  values (
    p_kind, p_organization_id, p_team_id, coalesce(p_payload, '{}'::jsonb), p_idempotency_key,
    coalesce(p_max_attempts, public.app_setting_int('JOB_MAX_ATTEMPTS')), coalesce(p_run_after, p_now), p_created_by,
    p_now, p_now
  )
  on conflict (organization_id, kind, idempotency_key) do nothing
  returning j.* into v_job;

  if v_job.id is null then
    -- The key was used before (or by a concurrent call, which we waited for): the same job, nothing spent.
    select j.* into v_job
    from public.jobs j
    where j.organization_id = p_organization_id and j.kind = p_kind and j.idempotency_key = p_idempotency_key;
    if v_job.team_id <> p_team_id or v_job.payload <> coalesce(p_payload, '{}'::jsonb) then
      raise exception using
        errcode = 'P0001',
        message = 'idempotency_key_reused',
        detail = jsonb_build_object('job_id', v_job.id, 'key', p_idempotency_key)::text,
        hint = 'This Idempotency-Key was used for another request';
    end if;
    return v_job;
  end if;

  if p_quota_feature is not null then
    -- Raises quota_exceeded or plan_required, which rolls the insert (and its wake-up) back.
    v_reservation := public.reserve_quota(p_organization_id, p_quota_feature, p_now);
    -- The job owns the hold now: it is settled when the job ends, not by the expiry sweep.
    update public.quota_reservations r set expires_at = null where r.id = v_reservation.id;
    update public.jobs j set quota_reservation_id = v_reservation.id where j.id = v_job.id returning j.* into v_job;
  end if;
  return v_job;
end
$$;

comment on function public.enqueue_job(text, uuid, uuid, jsonb, text, text, integer, timestamptz, uuid, timestamptz) is
  'Queues a job for a team of the organization (not_found otherwise). With p_idempotency_key, the same key (per organization and kind) returns the same job and reserves nothing again, even under concurrency; reusing a key with another payload or team raises idempotency_key_reused. With p_quota_feature, one unit is reserved in the same transaction (quota_exceeded / plan_required roll the job back) and settled when the job ends.';

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
          run_after = p_now,
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
  'Puts running jobs (of one organization when p_organization_id is given) whose lease expired by p_now back in the queue (due at once; the lost attempt counts), or ends them dead when that was their last attempt, releasing their quota. Skips rows another transaction holds. Returns how many it moved.';

create or replace function public.claim_jobs(
  p_worker_id text,
  p_limit integer default 1,
  p_lease_seconds integer default null,
  p_kinds text[] default null,
  p_now timestamptz default now(),
  p_organization_id uuid default null
)
returns setof public.jobs
language plpgsql
security definer
set search_path = ''
-- The claim must walk jobs_due_idx in order and stop at the first unlocked rows. With stale statistics
-- (a burst of jobs into a queue analyzed while nearly empty) the planner preferred a bitmap scan and a sort
-- of every queued row instead: 3-6 ms per claim at 5,000 queued jobs against 0.3 ms for the index walk.
set enable_sort = off
as $$
declare
  v_lease interval := make_interval(secs => coalesce(p_lease_seconds, public.app_setting_int('JOB_LEASE_SECONDS')));
  v_wanted integer := greatest(p_limit, 0);
  v_claimed integer;
begin
  for v_pass in 1..2 loop
    return query
    with due as materialized (
      select j.id
      from public.jobs j
      where j.status = 'queued'
        and j.run_after <= p_now
        and j.attempts < j.max_attempts
        and (p_kinds is null or j.kind = any (p_kinds))
        and (p_organization_id is null or j.organization_id = p_organization_id)
      order by j.run_after, j.id
      limit v_wanted
      for update skip locked
    )
    update public.jobs j
    set status = 'running',
        attempts = j.attempts + 1,
        locked_by = p_worker_id,
        locked_at = p_now,
        lease_expires_at = p_now + v_lease,
        started_at = coalesce(j.started_at, p_now),
        updated_at = p_now
    from due
    where j.id = due.id
    returning j.*;
    get diagnostics v_claimed = row_count;
    v_wanted := v_wanted - v_claimed;
    -- Expired leases are only looked for when the due queue could not fill the batch: a busy queue does
    -- not pay that scan on every claim, and the minute sweep requeues them in any case.
    exit when v_wanted <= 0 or v_pass = 2 or public.requeue_expired_jobs(p_now, p_organization_id) = 0;
  end loop;
end
$$;

comment on function public.claim_jobs(text, integer, integer, text[], timestamptz, uuid) is
  'Claims up to p_limit due queued jobs (oldest first; only p_kinds and only one organization''s when given) for p_worker_id with a lease; when fewer are due than asked, expired leases (of that organization when given) are requeued and claimed too. FOR UPDATE SKIP LOCKED: concurrent workers never get the same job. Each claim increments attempts; the worker passes that attempt number to heartbeat, complete and fail.';

create or replace function public.heartbeat_job(
  p_job_id uuid,
  p_attempt integer,
  p_lease_seconds integer default null,
  p_progress jsonb default null,
  p_now timestamptz default now()
)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.jobs j
  set lease_expires_at = greatest(
        j.lease_expires_at,
        p_now + make_interval(secs => coalesce(p_lease_seconds, public.app_setting_int('JOB_LEASE_SECONDS')))
      ),
      progress = coalesce(p_progress, j.progress),
      updated_at = p_now
  where j.id = p_job_id and j.status = 'running' and j.attempts = p_attempt;
  return found;
end
$$;

comment on function public.heartbeat_job(uuid, integer, integer, jsonb, timestamptz) is
  'Extends the lease (and records progress) of a running job, fenced by the attempt number: false means the worker no longer owns the job and must stop.';

create or replace function public.complete_job(
  p_job_id uuid,
  p_attempt integer,
  p_result jsonb default null,
  p_now timestamptz default now()
)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.jobs j
  set status = 'succeeded',
      result = p_result,
      lease_expires_at = null,
      finished_at = p_now,
      updated_at = p_now,
      last_error = null
  where j.id = p_job_id and j.status = 'running' and j.attempts = p_attempt;
  if not found then
    return false;
  end if;
  perform public.settle_job(p_job_id, p_now);
  return true;
end
$$;

comment on function public.complete_job(uuid, integer, jsonb, timestamptz) is
  'Marks a running job succeeded and commits its quota reservation, fenced by the attempt number: a worker that lost the job (requeued, claimed again, cancelled) gets false and changes nothing.';

create or replace function public.fail_job(
  p_job_id uuid,
  p_attempt integer,
  p_error text,
  p_retryable boolean default true,
  p_retry_in_seconds integer default null,
  p_now timestamptz default now()
)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job public.jobs;
  v_status text;
begin
  select j.* into v_job
  from public.jobs j
  where j.id = p_job_id and j.status = 'running' and j.attempts = p_attempt
  for update;
  if v_job.id is null then
    return null;
  end if;
  if p_retryable and v_job.attempts < v_job.max_attempts then
    update public.jobs j
    set status = 'queued',
        lease_expires_at = null,
        run_after = p_now + coalesce(make_interval(secs => p_retry_in_seconds), public.job_backoff(v_job.attempts)),
        last_error = left(p_error, 4000),
        updated_at = p_now
    where j.id = p_job_id;
    return 'queued';
  end if;
  v_status := case when p_retryable then 'dead' else 'failed' end;
  update public.jobs j
  set status = v_status,
      lease_expires_at = null,
      last_error = left(p_error, 4000),
      finished_at = p_now,
      updated_at = p_now
  where j.id = p_job_id;
  perform public.settle_job(p_job_id, p_now);
  return v_status;
end
$$;

comment on function public.fail_job(uuid, integer, text, boolean, integer, timestamptz) is
  'Records a failed attempt, fenced by the attempt number (null: the worker no longer owns the job, nothing changed). Retryable with attempts left: queued again after job_backoff (or p_retry_in_seconds; 0 hands it back at once, e.g. on shutdown) and returns queued. Otherwise ends failed (not retryable) or dead (attempts used up), releases its quota exactly once, and returns that status.';

create or replace function public.cancel_job(
  p_job_id uuid,
  p_reason text default 'Cancelled',
  p_now timestamptz default now()
)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.jobs j
  set status = 'cancelled',
      lease_expires_at = null,
      last_error = left(p_reason, 4000),
      finished_at = p_now,
      updated_at = p_now
  where j.id = p_job_id and j.status in ('queued', 'running');
  if not found then
    return false;
  end if;
  perform public.settle_job(p_job_id, p_now);
  return true;
end
$$;

comment on function public.cancel_job(uuid, text, timestamptz) is
  'Cancels a queued or running job and releases its quota; a running worker''s later complete or fail is fenced out. False when the job had already ended.';

-- ---------------------------------------------------------------------------------------------------------
-- Waking the worker through pg_net
-- ---------------------------------------------------------------------------------------------------------

create or replace function public.wake_jobs_worker(p_reason text, p_job_ids uuid[] default '{}')
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_url text;
  v_secret text;
  v_request_id bigint;
begin
  select s.decrypted_secret into v_url from vault.decrypted_secrets s where s.name = 'project_url';
  select s.decrypted_secret into v_secret from vault.decrypted_secrets s where s.name = 'worker_secret';
  if v_url is null or v_secret is null then
    raise warning 'jobs worker not woken: Vault secret % is missing; the jobs-sweep cron job is the safety net',
      case when v_url is null then 'project_url' else 'worker_secret' end;
    return null;
  end if;
  begin
    v_request_id := net.http_post(
      url := rtrim(v_url, '/') || '/functions/v1/jobs-worker',
      body := jsonb_build_object('reason', p_reason, 'job_ids', to_jsonb(coalesce(p_job_ids, '{}'::uuid[]))),
      params := '{}'::jsonb,
      headers := jsonb_build_object('Content-Type', 'application/json', 'x-worker-secret', v_secret),
      timeout_milliseconds := public.app_setting_int('WORKER_WAKE_TIMEOUT_MS')
    );
  exception when others then
    -- Waking is best effort: a job must never be lost because the wake-up failed.
    raise warning 'jobs worker not woken: % (%)', sqlerrm, sqlstate;
    return null;
  end;
  return v_request_id;
end
$$;

comment on function public.wake_jobs_worker(text, uuid[]) is
  'Queues one pg_net POST to <project_url>/functions/v1/jobs-worker with the x-worker-secret header (both from Vault) and an explicit timeout; pg_net sends it only after the transaction commits. Never raises: a missing secret or a pg_net error is a warning and returns null.';

create or replace function public.jobs_wake_worker_on_insert()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job_ids uuid[];
begin
  select array_agg(n.id order by n.created_at, n.id) into v_job_ids
  from (
    select i.id, i.created_at
    from new_jobs i
    where i.status = 'queued' and i.run_after <= now()
    order by i.created_at, i.id
    limit 100
  ) as n;
  if v_job_ids is not null then
    perform public.wake_jobs_worker('job_inserted', v_job_ids);
  end if;
  return null;
end
$$;

comment on function public.jobs_wake_worker_on_insert() is
  'After an INSERT statement on jobs: one wake-up request for the statement when it inserted due queued jobs (job ids in the body, at most 100); jobs due later are found by the sweep.';

create trigger jobs_wake_worker
after insert on public.jobs
referencing new table as new_jobs
for each statement
execute function public.jobs_wake_worker_on_insert();

-- Realtime: the frontend watches its jobs' status and progress (RLS applies to what it receives).
do $$
begin
  if exists (select 1 from pg_catalog.pg_publication where pubname = 'supabase_realtime')
    and not exists (
      select 1
      from pg_catalog.pg_publication_tables
      where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'jobs'
    )
  then
    alter publication supabase_realtime add table public.jobs;
  end if;
end
$$;

-- ---------------------------------------------------------------------------------------------------------
-- Team activities
-- ---------------------------------------------------------------------------------------------------------

create or replace function public.save_customized_activity(
  p_reservation_id uuid,
  p_team_id uuid,
  p_public_activity_id uuid,
  p_content jsonb,
  p_model text,
  p_created_by uuid default null,
  p_now timestamptz default now()
)
returns public.team_activities
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_team public.teams;
  v_activity public.team_activities;
begin
  select t.* into v_team from public.teams t where t.id = p_team_id;
  perform 1
  from public.quota_reservations r
  where r.id = p_reservation_id and r.organization_id = v_team.organization_id and r.feature = 'customization';
  if v_team.id is null or not found then
    raise exception using
      errcode = 'P0001',
      message = 'not_found',
      detail = jsonb_build_object('resource', 'reservation', 'id', p_reservation_id)::text,
      hint = 'No customization reservation for this team''s organization';
  end if;
  insert into public.team_activities (
    organization_id, team_id, source, content, model, public_activity_id, quota_reservation_id, created_by,
    created_at, updated_at
  )
  values (
    v_team.organization_id, p_team_id, 'customized', p_content, p_model, p_public_activity_id, p_reservation_id,
    p_created_by, p_now, p_now
  )
  returning * into v_activity;
  if not public.commit_quota(p_reservation_id, p_now) then
    raise exception using
      errcode = 'P0001',
      message = 'reservation_not_active',
      detail = jsonb_build_object('reservation_id', p_reservation_id)::text,
      hint = 'The reservation was already committed, released or expired; nothing was saved';
  end if;
  return v_activity;
end
$$;

comment on function public.save_customized_activity(uuid, uuid, uuid, jsonb, text, uuid, timestamptz) is
  'Saves a customized activity and commits its quota reservation in one transaction: either both happen or neither (reservation_not_active when the hold was already resolved or expired).';

create or replace function public.complete_generate_activities_job(
  p_job_id uuid,
  p_attempt integer,
  p_activities jsonb,
  p_model text,
  p_now timestamptz default now()
)
returns setof public.team_activities
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job public.jobs;
  v_ids uuid[];
begin
  if jsonb_typeof(p_activities) is distinct from 'array' or jsonb_array_length(p_activities) <> 3 then
    raise exception using
      errcode = 'P0001',
      message = 'invalid_input',
      detail = '{"field": "activities"}',
      hint = 'A generation job produces exactly three activities';
  end if;
  select j.* into v_job
  from public.jobs j
  where j.id = p_job_id and j.status = 'running' and j.attempts = p_attempt and j.kind = 'generate_activities'
  for update;
  if v_job.id is null then
    return; -- fenced out: the job is not this worker's any more; nothing is written
  end if;
  with inserted as (
    insert into public.team_activities (
      organization_id, team_id, source, content, model, job_id, job_position, created_by, created_at, updated_at
    )
    select v_job.organization_id, v_job.team_id, 'generated', a.content, p_model, v_job.id, a.ord::smallint,
      v_job.created_by, p_now, p_now
    from jsonb_array_elements(p_activities) with ordinality as a (content, ord)
    returning id, job_position
  )
  select array_agg(i.id order by i.job_position) into v_ids from inserted i;
  perform public.complete_job(p_job_id, p_attempt, jsonb_build_object('activity_ids', to_jsonb(v_ids)), p_now);
  return query select a.* from public.team_activities a where a.job_id = p_job_id order by a.job_position;
end
$$;

comment on function public.complete_generate_activities_job(uuid, integer, jsonb, text, timestamptz) is
  'Writes the three generated activities of a job and completes it (committing its quota) in one transaction, fenced by the attempt number: a worker that lost the job gets no rows and writes nothing, so a job has at most one set of three activities.';

create or replace function public.set_team_activity_status(p_activity_id uuid, p_status text)
returns public.team_activities
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_activity public.team_activities;
begin
  select a.* into v_activity from public.team_activities a where a.id = p_activity_id for update;
  if v_activity.id is null or not public.is_org_member(v_activity.organization_id) then
    raise exception using
      errcode = 'P0001',
      message = 'not_found',
      detail = jsonb_build_object('resource', 'activity', 'id', p_activity_id)::text,
      hint = 'No such activity for this user';
  end if;
  if not (
    (v_activity.status = 'suggested' and p_status in ('planned', 'archived'))
    or (v_activity.status = 'planned' and p_status in ('completed', 'suggested', 'archived'))
    or (v_activity.status = 'completed' and p_status = 'archived')
    or (v_activity.status = 'archived' and p_status = 'suggested')
  ) then
    raise exception using
      errcode = 'P0001',
      message = 'invalid_transition',
      detail = jsonb_build_object('from', v_activity.status, 'to', p_status)::text,
      hint = 'Allowed: suggested -> planned|archived, planned -> completed|suggested|archived, completed -> archived, archived -> suggested';
  end if;
  update public.team_activities a
  set status = p_status,
      updated_at = now()
  where a.id = p_activity_id
  returning a.* into v_activity;
  return v_activity;
end
$$;

comment on function public.set_team_activity_status(uuid, text) is
  'Moves a team activity of the caller''s organization to p_status when the transition is allowed (invalid_transition otherwise); another organization''s activity raises not_found.';

-- ---------------------------------------------------------------------------------------------------------
-- Team materials and storage bytes
-- ---------------------------------------------------------------------------------------------------------

create or replace function public.team_materials_track_bytes()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    update public.team_storage_usage u
    set reserved_bytes = u.reserved_bytes + new.size_bytes,
        updated_at = now()
    where u.team_id = new.team_id;
    if not found then
      insert into public.team_storage_usage (team_id, organization_id, reserved_bytes)
      values (new.team_id, new.organization_id, new.size_bytes);
    end if;
    return new;
  end if;
  -- DELETE (also by cascade from the team, when the usage row may already be gone).
  update public.team_storage_usage u
  set reserved_bytes = greatest(u.reserved_bytes - old.size_bytes, 0),
      updated_at = now()
  where u.team_id = old.team_id;
  return old;
end
$$;

comment on function public.team_materials_track_bytes() is
  'Keeps team_storage_usage.reserved_bytes equal to the sum of the team''s material sizes: added when a material row is inserted, given back exactly once when it is deleted.';

create trigger team_materials_track_bytes
after insert or delete on public.team_materials
for each row
execute function public.team_materials_track_bytes();

create or replace function public.team_storage_limit_bytes()
returns bigint
language sql
stable
security definer
set search_path = ''
as $$
  select public.app_setting_int('MAX_TEAM_STORAGE_MB')::bigint * 1048576
$$;

comment on function public.team_storage_limit_bytes() is
  'The per-team storage cap in bytes: MAX_TEAM_STORAGE_MB MiB.';

create or replace function public.reserve_material_upload(
  p_organization_id uuid,
  p_team_id uuid,
  p_filename text,
  p_mime_type text,
  p_size_bytes bigint,
  p_created_by uuid default null
)
returns public.team_materials
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_usage public.team_storage_usage;
  v_limit bigint := public.team_storage_limit_bytes();
  v_id uuid := gen_random_uuid();
  v_safe_name text;
  v_material public.team_materials;
begin
  perform 1 from public.teams t where t.id = p_team_id and t.organization_id = p_organization_id;
  if not found then
    raise exception using
      errcode = 'P0001',
      message = 'not_found',
      detail = jsonb_build_object('resource', 'team', 'id', p_team_id)::text,
      hint = 'No such team in this organization';
  end if;
  -- Creates or locks the team's usage row: concurrent uploads to one team queue here.
  insert into public.team_storage_usage as u (team_id, organization_id)
  values (p_team_id, p_organization_id)
  on conflict (team_id) do update set updated_at = now()
  returning u.* into v_usage;
  if v_usage.reserved_bytes + p_size_bytes > v_limit then
    raise exception using
      errcode = 'P0001',
      message = 'storage_limit_exceeded',
      detail = jsonb_build_object(
        'limit_bytes', v_limit, 'used_bytes', v_usage.reserved_bytes, 'requested_bytes', p_size_bytes
      )::text,
      hint = 'The team''s materials would exceed its storage cap; delete some first';
  end if;
  v_safe_name := left(
    coalesce(nullif(btrim(regexp_replace(p_filename, '[^A-Za-z0-9._-]+', '-', 'g'), '-.'), ''), 'file'),
    100
  );
  insert into public.team_materials (
    id, organization_id, team_id, storage_path, filename, mime_type, size_bytes, status, created_by
  )
  values (
    v_id, p_organization_id, p_team_id,
    p_organization_id::text || '/' || p_team_id::text || '/' || v_id::text || '-' || v_safe_name,
    p_filename, p_mime_type, p_size_bytes, 'uploading', p_created_by
  )
  returning * into v_material;
  return v_material;
end
$$;

comment on function public.reserve_material_upload(uuid, uuid, text, text, bigint, uuid) is
  'Reserves p_size_bytes against the team''s storage cap and creates the material row (status uploading, storage path {organization_id}/{team_id}/{id}-{safe name}) atomically: concurrent uploads never exceed the cap. Raises storage_limit_exceeded (detail: limit_bytes, used_bytes, requested_bytes) or not_found. Undo with delete_material.';

create or replace function public.finish_material_upload(
  p_material_id uuid,
  p_sha256 text,
  p_now timestamptz default now()
)
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
  v_job := public.enqueue_job(
    p_kind => 'process_material',
    p_organization_id => v_material.organization_id,
    p_team_id => v_material.team_id,
    p_payload => jsonb_build_object('material_id', v_material.id),
    p_idempotency_key => 'material:' || v_material.id::text,
    p_created_by => v_material.created_by,
    p_now => p_now
  );
  update public.team_materials m
  set status = case when m.status = 'uploading' then 'processing' else m.status end,
      sha256 = coalesce(m.sha256, p_sha256),
      job_id = v_job.id,
      updated_at = p_now
  where m.id = p_material_id;
  return v_job;
end
$$;

comment on function public.finish_material_upload(uuid, text, timestamptz) is
  'After the object is stored: records the sha256, moves the material from uploading to processing and enqueues its process_material job, in one transaction. Calling it again returns the same job.';

create or replace function public.complete_material_job(
  p_job_id uuid,
  p_attempt integer,
  p_format text,
  p_extracted_text text,
  p_truncated boolean,
  p_summary text,
  p_now timestamptz default now()
)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job public.jobs;
begin
  select j.* into v_job
  from public.jobs j
  where j.id = p_job_id and j.status = 'running' and j.attempts = p_attempt and j.kind = 'process_material'
  for update;
  if v_job.id is null then
    return false;
  end if;
  update public.team_materials m
  set status = 'ready',
      format = p_format,
      extracted_text = p_extracted_text,
      extracted_truncated = coalesce(p_truncated, false),
      summary = p_summary,
      error = null,
      updated_at = p_now
  where m.id = (v_job.payload ->> 'material_id')::uuid;
  return public.complete_job(p_job_id, p_attempt, jsonb_build_object('material_id', v_job.payload ->> 'material_id'),
    p_now);
end
$$;

comment on function public.complete_material_job(uuid, integer, text, text, boolean, text, timestamptz) is
  'Stores a material''s extracted text (capped by the column check at 200,000 characters) and summary, marks it ready and completes its job in one transaction, fenced by the attempt number (false: nothing written).';

create or replace function public.delete_material(p_material_id uuid, p_now timestamptz default now())
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_material public.team_materials;
begin
  select m.* into v_material from public.team_materials m where m.id = p_material_id;
  if v_material.id is null then
    return null;
  end if;
  -- Lock order as in reserve_material_upload: the team's usage row first.
  perform 1 from public.team_storage_usage u where u.team_id = v_material.team_id for update;
  perform public.cancel_job(j.id, 'Material deleted', p_now)
  from public.jobs j
  where j.kind = 'process_material'
    and j.status in ('queued', 'running')
    and j.payload ->> 'material_id' = p_material_id::text;
  delete from public.team_materials m where m.id = p_material_id;
  if not found then
    return null;
  end if;
  return v_material.storage_path;
end
$$;

comment on function public.delete_material(uuid, timestamptz) is
  'Deletes a material row (its bytes go back to the team''s cap exactly once) and cancels its pending job; returns the storage path whose object the caller removes, or null when there was no such material.';

create or replace function public.delete_team(p_team_id uuid)
returns setof text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_team public.teams;
begin
  select t.* into v_team from public.teams t where t.id = p_team_id for update;
  if v_team.id is null or not public.is_org_member(v_team.organization_id) then
    raise exception using
      errcode = 'P0001',
      message = 'not_found',
      detail = jsonb_build_object('resource', 'team', 'id', p_team_id)::text,
      hint = 'No such team for this user';
  end if;
  if not public.is_org_admin(v_team.organization_id) then
    raise exception using
      errcode = 'P0001',
      message = 'forbidden',
      detail = jsonb_build_object('resource', 'team', 'id', p_team_id, 'required_role', 'admin')::text,
      hint = 'Only organization admins may delete teams';
  end if;
  -- Settle running work first so no quota stays reserved, then let the cascade remove the rest.
  perform public.cancel_job(j.id, 'Team deleted')
  from public.jobs j
  where j.team_id = p_team_id and j.status in ('queued', 'running');
  return query
  with deleted as (
    delete from public.team_materials m where m.team_id = p_team_id returning m.storage_path
  )
  select d.storage_path from deleted d;
  delete from public.teams t where t.id = p_team_id;
end
$$;

comment on function public.delete_team(uuid) is
  'Deletes a team of the caller''s organization (admins only: forbidden for members, not_found for other organizations) with its activities, materials and jobs; pending jobs are cancelled first so their quota is released. Returns the storage paths of the deleted materials for the caller to remove.';

-- ---------------------------------------------------------------------------------------------------------
-- Function privileges
-- ---------------------------------------------------------------------------------------------------------

revoke all on function public.job_backoff(integer) from public, anon, authenticated;
grant execute on function public.job_backoff(integer) to service_role;
revoke all on function public.settle_job(uuid, timestamptz) from public, anon, authenticated;
grant execute on function public.settle_job(uuid, timestamptz) to service_role;
revoke all on function public.enqueue_job(text, uuid, uuid, jsonb, text, text, integer, timestamptz, uuid, timestamptz)
from public, anon, authenticated;
grant execute on function public.enqueue_job(text, uuid, uuid, jsonb, text, text, integer, timestamptz, uuid, timestamptz)
to service_role;
revoke all on function public.requeue_expired_jobs(timestamptz, uuid) from public, anon, authenticated;
grant execute on function public.requeue_expired_jobs(timestamptz, uuid) to service_role;
revoke all on function public.claim_jobs(text, integer, integer, text[], timestamptz, uuid) from public, anon, authenticated;
grant execute on function public.claim_jobs(text, integer, integer, text[], timestamptz, uuid) to service_role;
revoke all on function public.heartbeat_job(uuid, integer, integer, jsonb, timestamptz) from public, anon, authenticated;
grant execute on function public.heartbeat_job(uuid, integer, integer, jsonb, timestamptz) to service_role;
revoke all on function public.complete_job(uuid, integer, jsonb, timestamptz) from public, anon, authenticated;
grant execute on function public.complete_job(uuid, integer, jsonb, timestamptz) to service_role;
revoke all on function public.fail_job(uuid, integer, text, boolean, integer, timestamptz) from public, anon, authenticated;
grant execute on function public.fail_job(uuid, integer, text, boolean, integer, timestamptz) to service_role;
revoke all on function public.cancel_job(uuid, text, timestamptz) from public, anon, authenticated;
grant execute on function public.cancel_job(uuid, text, timestamptz) to service_role;
revoke all on function public.wake_jobs_worker(text, uuid[]) from public, anon, authenticated;
grant execute on function public.wake_jobs_worker(text, uuid[]) to service_role;
revoke all on function public.jobs_wake_worker_on_insert() from public, anon, authenticated;

revoke all on function public.save_customized_activity(uuid, uuid, uuid, jsonb, text, uuid, timestamptz)
from public, anon, authenticated;
grant execute on function public.save_customized_activity(uuid, uuid, uuid, jsonb, text, uuid, timestamptz)
to service_role;
revoke all on function public.complete_generate_activities_job(uuid, integer, jsonb, text, timestamptz)
from public, anon, authenticated;
grant execute on function public.complete_generate_activities_job(uuid, integer, jsonb, text, timestamptz)
to service_role;
revoke all on function public.set_team_activity_status(uuid, text) from public, anon, service_role;
grant execute on function public.set_team_activity_status(uuid, text) to authenticated;

revoke all on function public.team_materials_track_bytes() from public, anon, authenticated;
revoke all on function public.team_storage_limit_bytes() from public, anon;
grant execute on function public.team_storage_limit_bytes() to authenticated, service_role;
revoke all on function public.reserve_material_upload(uuid, uuid, text, text, bigint, uuid)
from public, anon, authenticated;
grant execute on function public.reserve_material_upload(uuid, uuid, text, text, bigint, uuid) to service_role;
revoke all on function public.finish_material_upload(uuid, text, timestamptz) from public, anon, authenticated;
grant execute on function public.finish_material_upload(uuid, text, timestamptz) to service_role;
revoke all on function public.complete_material_job(uuid, integer, text, text, boolean, text, timestamptz)
from public, anon, authenticated;
grant execute on function public.complete_material_job(uuid, integer, text, text, boolean, text, timestamptz)
to service_role;
revoke all on function public.delete_material(uuid, timestamptz) from public, anon, authenticated;
grant execute on function public.delete_material(uuid, timestamptz) to service_role;
revoke all on function public.delete_team(uuid) from public, anon, service_role;
grant execute on function public.delete_team(uuid) to authenticated;
