-- Monthly usage quotas with a reservation ledger, and Idempotency-Key records.
--
-- A unit is reserved before the AI call, committed after success, released on failure. Reservations are
-- serialized by a row lock on the organization's usage row for the feature and month, so concurrent
-- callers never exceed the limit. Periods are calendar months in UTC; a new month is a new row, so a
-- month starts fresh even when no cron job has run (lazy rollover).
--
-- Lock order everywhere: the usage row first, then its reservations. Keeping one order means no deadlocks
-- between reserve (which also releases expired holds), commit, release and the sweeps.
--
-- quota_exceeded error contract (raised by reserve_quota):
--   SQLSTATE P0001, message 'quota_exceeded',
--   detail '{"feature": "...", "plan": "free|paid", "limit": 5, "used": 5, "reserved": 0,
--            "resets_at": "2026-12-01T00:00:00+00:00"}'  (JSON; used = committed units,
--            reserved = units held by calls still running; refused when used + reserved >= limit)
--   hint   a sentence for people.
-- plan_required (the plan's limit for the feature is 0): SQLSTATE P0001, message 'plan_required',
--   detail '{"feature": "...", "plan": "free", "limit": 0, "used": 0, "reserved": 0, "resets_at": "..."}'.

create table public.usage_quotas (
  organization_id uuid not null references public.organizations (id) on delete cascade,
  feature text not null check (feature in ('customization', 'custom_generation')),
  period_start date not null check (extract(day from period_start) = 1),
  used integer not null default 0 check (used >= 0),
  reserved integer not null default 0 check (reserved >= 0),
  -- The limit in force when the row was last reserved against (the plan's limit from app_settings).
  monthly_limit integer not null check (monthly_limit >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (organization_id, feature, period_start)
);

create table public.quota_reservations (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  feature text not null,
  period_start date not null,
  status text not null default 'reserved' check (status in ('reserved', 'committed', 'released')),
  -- When the sweep releases a forgotten hold; null while a job owns the reservation (the job resolves it).
  expires_at timestamptz,
  reserved_at timestamptz not null default now(),
  resolved_at timestamptz,
  foreign key (organization_id, feature, period_start)
    references public.usage_quotas (organization_id, feature, period_start) on delete cascade,
  check ((status = 'reserved') = (resolved_at is null))
);

create index quota_reservations_open_idx on public.quota_reservations (organization_id, feature, period_start)
where status = 'reserved';

create index quota_reservations_expiry_idx on public.quota_reservations (expires_at)
where status = 'reserved' and expires_at is not null;

create table public.idempotency_keys (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid references public.users (id) on delete cascade,
  -- The endpoint the key belongs to, e.g. 'activities-customize'.
  scope text not null check (char_length(scope) between 1 and 100),
  key text not null check (char_length(key) between 1 and 255),
  request_hash text not null check (char_length(request_hash) between 1 and 200),
  status text not null default 'in_progress' check (status in ('in_progress', 'completed')),
  response_status integer check (response_status between 100 and 599),
  response jsonb,
  -- While in progress, another request with the key waits until this time, then may take over.
  locked_until timestamptz,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  constraint idempotency_keys_scope_key unique nulls not distinct (organization_id, user_id, scope, key),
  check (status <> 'completed' or (response_status is not null and response is not null))
);

create index idempotency_keys_expires_at_idx on public.idempotency_keys (expires_at);

alter table public.usage_quotas enable row level security;
alter table public.quota_reservations enable row level security;
alter table public.idempotency_keys enable row level security;

revoke all on table public.usage_quotas, public.quota_reservations, public.idempotency_keys from anon, authenticated;
grant select on table public.usage_quotas, public.quota_reservations to authenticated;
grant all on table public.usage_quotas, public.quota_reservations, public.idempotency_keys to service_role;

create policy "members read their organizations' quotas" on public.usage_quotas
for select to authenticated
using (organization_id in (select public.member_organization_ids()));

create policy "members read their organizations' reservations" on public.quota_reservations
for select to authenticated
using (organization_id in (select public.member_organization_ids()));

-- idempotency_keys: no policy; only service_role (bypassing RLS) reads or writes them.

-- ---------------------------------------------------------------------------------------------------------
-- Periods and limits
-- ---------------------------------------------------------------------------------------------------------

create or replace function public.quota_period_start(p_now timestamptz)
returns date
language sql
immutable
parallel safe
set search_path = ''
as $$
  select pg_catalog.date_trunc('month', p_now at time zone 'UTC')::date
$$;

comment on function public.quota_period_start(timestamptz) is
  'The first day of the calendar month (UTC) that p_now falls in: 23:59:59 UTC on the last day still counts in that month.';

create or replace function public.quota_resets_at(p_now timestamptz)
returns timestamptz
language sql
immutable
parallel safe
set search_path = ''
as $$
  select (public.quota_period_start(p_now) + interval '1 month')::timestamp at time zone 'UTC'
$$;

comment on function public.quota_resets_at(timestamptz) is
  'When the period containing p_now ends: midnight UTC on the first day of the next month.';

create or replace function public.quota_limit(p_plan text, p_feature text)
returns integer
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return case
    when p_plan = 'free' and p_feature = 'customization' then public.app_setting_int('FREE_TIER_MONTHLY_LIMIT')
    when p_plan = 'paid' and p_feature = 'customization' then public.app_setting_int('PAID_TIER_MONTHLY_LIMIT')
    when p_plan = 'free' and p_feature = 'custom_generation' then public.app_setting_int('FREE_TIER_CUSTOM_LIMIT')
    when p_plan = 'paid' and p_feature = 'custom_generation' then public.app_setting_int('PAID_TIER_CUSTOM_LIMIT')
  end;
end
$$;

comment on function public.quota_limit(text, text) is
  'The monthly limit of a feature on a plan, read from app_settings at call time (so a changed setting applies at once); null for an unknown plan or feature.';

-- ---------------------------------------------------------------------------------------------------------
-- Reserve, commit, release
-- ---------------------------------------------------------------------------------------------------------

create or replace function public.release_expired_holds(
  p_organization_id uuid,
  p_feature text,
  p_period_start date,
  p_now timestamptz
)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_released integer;
begin
  -- The caller holds the usage row's lock, so the row and its holds change together.
  with released as (
    update public.quota_reservations r
    set status = 'released',
        resolved_at = p_now
    where r.organization_id = p_organization_id
      and r.feature = p_feature
      and r.period_start = p_period_start
      and r.status = 'reserved'
      and r.expires_at <= p_now
    returning 1
  )
  select count(*) into v_released from released;
  if v_released > 0 then
    update public.usage_quotas q
    set reserved = q.reserved - v_released,
        updated_at = p_now
    where q.organization_id = p_organization_id
      and q.feature = p_feature
      and q.period_start = p_period_start;
  end if;
  return v_released;
end
$$;

comment on function public.release_expired_holds(uuid, text, date, timestamptz) is
  'Releases the expired holds of one usage row and lowers its reserved count by as many; the caller must hold that row''s lock. Returns how many were released.';

create or replace function public.reserve_quota(
  p_organization_id uuid,
  p_feature text,
  p_now timestamptz default now(),
  p_hold_seconds integer default null
)
returns public.quota_reservations
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_plan text;
  v_limit integer;
  v_period date := public.quota_period_start(p_now);
  v_usage public.usage_quotas;
  v_reservation public.quota_reservations;
  v_details jsonb;
begin
  select o.plan into v_plan
  from public.organizations o
  where o.id = p_organization_id and o.deleted_at is null;
  if v_plan is null then
    raise exception using
      errcode = 'P0001',
      message = 'not_found',
      detail = jsonb_build_object('resource', 'organization', 'id', p_organization_id)::text,
      hint = 'No such organization';
  end if;
  v_limit := public.quota_limit(v_plan, p_feature);
  if v_limit is null then
    raise exception using
      errcode = 'P0001',
      message = 'invalid_input',
      detail = jsonb_build_object('field', 'feature', 'value', p_feature)::text,
      hint = 'The feature must be customization or custom_generation';
  end if;

  -- One statement creates the month's row or locks the existing one; concurrent callers queue here.
  insert into public.usage_quotas as q (organization_id, feature, period_start, monthly_limit, created_at, updated_at)
  values (p_organization_id, p_feature, v_period, v_limit, p_now, p_now)
  on conflict (organization_id, feature, period_start) do update
  set monthly_limit = excluded.monthly_limit,
      updated_at = excluded.updated_at
  returning q.* into v_usage;

  if public.release_expired_holds(p_organization_id, p_feature, v_period, p_now) > 0 then
    select q.* into v_usage
    from public.usage_quotas q
    where q.organization_id = p_organization_id and q.feature = p_feature and q.period_start = v_period;
  end if;

  if v_usage.used + v_usage.reserved >= v_limit then
    v_details := jsonb_build_object(
      'feature', p_feature,
      'plan', v_plan,
      'limit', v_limit,
      'used', v_usage.used,
      'reserved', v_usage.reserved,
      'resets_at', public.quota_resets_at(p_now)
    );
    if v_limit = 0 then
      raise exception using
        errcode = 'P0001',
        message = 'plan_required',
        detail = v_details::text,
        hint = format('The %s plan does not include %s', v_plan, p_feature);
    end if;
    raise exception using
      errcode = 'P0001',
      message = 'quota_exceeded',
      detail = v_details::text,
      hint = format('The monthly limit of %s %s is reached; it resets at %s', v_limit, p_feature,
        public.quota_resets_at(p_now));
  end if;

  update public.usage_quotas q
  set reserved = q.reserved + 1,
      updated_at = p_now
  where q.organization_id = p_organization_id and q.feature = p_feature and q.period_start = v_period;

  insert into public.quota_reservations (organization_id, feature, period_start, expires_at, reserved_at)
  values (
    p_organization_id,
    p_feature,
    v_period,
    p_now + make_interval(secs => coalesce(p_hold_seconds, public.app_setting_int('QUOTA_RESERVATION_TTL_SECONDS'))),
    p_now
  )
  returning * into v_reservation;
  return v_reservation;
end
$$;

comment on function public.reserve_quota(uuid, text, timestamptz, integer) is
  'Reserves one unit of p_feature for the organization in the UTC month of p_now, atomically under concurrency (row lock on the month''s usage row): never more than the plan''s limit are used + reserved. Raises quota_exceeded or plan_required (P0001, JSON detail with limit, used, reserved, resets_at), or not_found for an unknown or deleted organization. The hold expires after p_hold_seconds (default QUOTA_RESERVATION_TTL_SECONDS) unless committed or released.';

create or replace function public.resolve_quota_reservation(
  p_reservation_id uuid,
  p_outcome text,
  p_now timestamptz default now()
)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_key record;
begin
  if p_outcome not in ('committed', 'released') then
    raise exception using
      errcode = 'P0001',
      message = 'invalid_input',
      detail = jsonb_build_object('field', 'outcome', 'value', p_outcome)::text,
      hint = 'The outcome must be committed or released';
  end if;
  select r.organization_id, r.feature, r.period_start into v_key
  from public.quota_reservations r
  where r.id = p_reservation_id;
  if not found then
    return false;
  end if;
  -- Lock order: the usage row, then the reservation.
  perform 1
  from public.usage_quotas q
  where q.organization_id = v_key.organization_id and q.feature = v_key.feature and q.period_start = v_key.period_start
  for update;
  update public.quota_reservations r
  set status = p_outcome,
      resolved_at = p_now
  where r.id = p_reservation_id and r.status = 'reserved';
  if not found then
    return false;
  end if;
  update public.usage_quotas q
  set reserved = q.reserved - 1,
      used = q.used + case when p_outcome = 'committed' then 1 else 0 end,
      updated_at = p_now
  where q.organization_id = v_key.organization_id and q.feature = v_key.feature and q.period_start = v_key.period_start;
  return true;
end
$$;

comment on function public.resolve_quota_reservation(uuid, text, timestamptz) is
  'Moves a reservation from reserved to committed (the unit counts as used) or released (the unit is given back), exactly once: true when it did, false when the reservation was already resolved or does not exist.';

create or replace function public.commit_quota(p_reservation_id uuid, p_now timestamptz default now())
returns boolean
language sql
security definer
set search_path = ''
as $$
  select public.resolve_quota_reservation(p_reservation_id, 'committed', p_now)
$$;

comment on function public.commit_quota(uuid, timestamptz) is
  'Counts a reserved unit as used; true the first time, false when it was already committed or released (a released unit is never charged).';

create or replace function public.release_quota(p_reservation_id uuid, p_now timestamptz default now())
returns boolean
language sql
security definer
set search_path = ''
as $$
  select public.resolve_quota_reservation(p_reservation_id, 'released', p_now)
$$;

comment on function public.release_quota(uuid, timestamptz) is
  'Gives a reserved unit back; idempotent: a second release, or a release after commit, changes nothing and returns false.';

create or replace function public.quota_status(p_organization_id uuid, p_now timestamptz default now())
returns table (
  feature text,
  plan text,
  monthly_limit integer,
  used integer,
  reserved integer,
  remaining integer,
  period_start date,
  resets_at timestamptz
)
language sql
stable
security invoker
set search_path = ''
as $$
  select
    f.feature,
    o.plan,
    public.quota_limit(o.plan, f.feature),
    coalesce(q.used, 0),
    coalesce(q.reserved, 0),
    greatest(public.quota_limit(o.plan, f.feature) - coalesce(q.used, 0) - coalesce(q.reserved, 0), 0),
    public.quota_period_start(p_now),
    public.quota_resets_at(p_now)
  from public.organizations o
  cross join (values ('customization'), ('custom_generation')) as f (feature)
  left join public.usage_quotas q
    on q.organization_id = o.id and q.feature = f.feature and q.period_start = public.quota_period_start(p_now)
  where o.id = p_organization_id and o.deleted_at is null
  order by f.feature
$$;

comment on function public.quota_status(uuid, timestamptz) is
  'Per feature: the plan''s limit, used, reserved, remaining and resets_at for the month of p_now. Runs with the caller''s rights, so RLS applies: a non-member gets no rows.';

-- ---------------------------------------------------------------------------------------------------------
-- Idempotency keys
-- ---------------------------------------------------------------------------------------------------------

create or replace function public.begin_idempotent_request(
  p_organization_id uuid,
  p_user_id uuid,
  p_scope text,
  p_key text,
  p_request_hash text,
  p_lock_seconds integer default 420,
  p_now timestamptz default now()
)
returns table (id uuid, state text, response_status integer, response jsonb)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.idempotency_keys;
  v_expires timestamptz := p_now + make_interval(hours => public.app_setting_int('IDEMPOTENCY_KEY_TTL_HOURS'));
begin
  insert into public.idempotency_keys as k (
    organization_id, user_id, scope, key, request_hash, locked_until, created_at, expires_at
  )
  values (
    p_organization_id, p_user_id, p_scope, p_key, p_request_hash, p_now + make_interval(secs => p_lock_seconds), p_now,
    v_expires
  )
  on conflict on constraint idempotency_keys_scope_key do nothing
  returning k.* into v_row;
  if v_row.id is not null then
    return query select v_row.id, 'started'::text, null::integer, null::jsonb;
    return;
  end if;

  select k.* into v_row
  from public.idempotency_keys k
  where k.organization_id = p_organization_id
    and k.user_id is not distinct from p_user_id
    and k.scope = p_scope
    and k.key = p_key
  for update;

  if v_row.expires_at <= p_now
    or (v_row.status = 'in_progress' and v_row.locked_until <= p_now and v_row.request_hash = p_request_hash)
  then
    -- A forgotten key starts over; so does one whose holder stopped without completing or abandoning it.
    update public.idempotency_keys k
    set request_hash = p_request_hash,
        status = 'in_progress',
        response_status = null,
        response = null,
        locked_until = p_now + make_interval(secs => p_lock_seconds),
        created_at = p_now,
        expires_at = v_expires
    where k.id = v_row.id;
    return query select v_row.id, 'started'::text, null::integer, null::jsonb;
  elsif v_row.request_hash <> p_request_hash then
    return query select v_row.id, 'mismatch'::text, null::integer, null::jsonb;
  elsif v_row.status = 'completed' then
    return query select v_row.id, 'completed'::text, v_row.response_status, v_row.response;
  else
    return query select v_row.id, 'in_progress'::text, null::integer, null::jsonb;
  end if;
end
$$;

comment on function public.begin_idempotent_request(uuid, uuid, text, text, text, integer, timestamptz) is
  'Claims an Idempotency-Key for (organization, user, scope): exactly one of any number of concurrent callers gets state started and must complete or abandon it; the others get in_progress (retry later), completed (with the stored response to replay) or mismatch (same key, another request body: answer 422). A holder silent past p_lock_seconds, or a key older than IDEMPOTENCY_KEY_TTL_HOURS, may be started again.';

create or replace function public.complete_idempotent_request(
  p_id uuid,
  p_response_status integer,
  p_response jsonb
)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.idempotency_keys k
  set status = 'completed',
      response_status = p_response_status,
      response = p_response,
      locked_until = null
  where k.id = p_id and k.status = 'in_progress';
  return found;
end
$$;

comment on function public.complete_idempotent_request(uuid, integer, jsonb) is
  'Stores the response of a started request so retries with the key replay it; true once, false when the key was already completed or is gone.';

create or replace function public.abandon_idempotent_request(p_id uuid)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from public.idempotency_keys k where k.id = p_id and k.status = 'in_progress';
  return found;
end
$$;

comment on function public.abandon_idempotent_request(uuid) is
  'Forgets an in-progress key whose request failed, so a retry with it runs afresh; a completed key is kept (returns false).';

-- ---------------------------------------------------------------------------------------------------------
-- Function privileges
-- ---------------------------------------------------------------------------------------------------------

revoke all on function public.quota_period_start(timestamptz) from public, anon;
grant execute on function public.quota_period_start(timestamptz) to authenticated, service_role;
revoke all on function public.quota_resets_at(timestamptz) from public, anon;
grant execute on function public.quota_resets_at(timestamptz) to authenticated, service_role;
revoke all on function public.quota_limit(text, text) from public, anon;
grant execute on function public.quota_limit(text, text) to authenticated, service_role;
revoke all on function public.quota_status(uuid, timestamptz) from public, anon;
grant execute on function public.quota_status(uuid, timestamptz) to authenticated, service_role;

revoke all on function public.release_expired_holds(uuid, text, date, timestamptz) from public, anon, authenticated;
grant execute on function public.release_expired_holds(uuid, text, date, timestamptz) to service_role;
revoke all on function public.reserve_quota(uuid, text, timestamptz, integer) from public, anon, authenticated;
grant execute on function public.reserve_quota(uuid, text, timestamptz, integer) to service_role;
revoke all on function public.resolve_quota_reservation(uuid, text, timestamptz) from public, anon, authenticated;
grant execute on function public.resolve_quota_reservation(uuid, text, timestamptz) to service_role;
revoke all on function public.commit_quota(uuid, timestamptz) from public, anon, authenticated;
grant execute on function public.commit_quota(uuid, timestamptz) to service_role;
revoke all on function public.release_quota(uuid, timestamptz) from public, anon, authenticated;
grant execute on function public.release_quota(uuid, timestamptz) to service_role;

revoke all on function public.begin_idempotent_request(uuid, uuid, text, text, text, integer, timestamptz)
from public, anon, authenticated;
grant execute on function public.begin_idempotent_request(uuid, uuid, text, text, text, integer, timestamptz)
to service_role;
revoke all on function public.complete_idempotent_request(uuid, integer, jsonb) from public, anon, authenticated;
grant execute on function public.complete_idempotent_request(uuid, integer, jsonb) to service_role;
revoke all on function public.abandon_idempotent_request(uuid) from public, anon, authenticated;
grant execute on function public.abandon_idempotent_request(uuid) to service_role;
