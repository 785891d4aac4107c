-- Core tenancy: settings, organizations, users and memberships (written by the Clerk webhook), processed
-- webhook ids, teams and the public activity catalog. RLS is the tenant boundary: Supabase grants the API
-- roles everything on new public tables, so every table enables RLS and we also revoke what the API roles
-- must never do (writes, TRUNCATE). Writes go through the SQL functions below.
--
-- Domain errors, in every migration: SQLSTATE P0001, message = a snake_case code (not_found, forbidden,
-- invalid_input, ...), detail = a JSON object, hint = a sentence for people.

-- ---------------------------------------------------------------------------------------------------------
-- Settings
-- ---------------------------------------------------------------------------------------------------------

create table public.app_settings (
  name text primary key check (name ~ '^[A-Z][A-Z0-9_]*$'),
  value jsonb not null,
  description text not null,
  updated_at timestamptz not null default now()
);

comment on table public.app_settings is
  'Limits and caps the database enforces, changeable at run time (update the row; no deploy needed).';

insert into public.app_settings (name, value, description) values
  ('FREE_TIER_MONTHLY_LIMIT', '5', 'Customizations per organization and calendar month (UTC) on the free plan'),
  ('PAID_TIER_MONTHLY_LIMIT', '100', 'Customizations per organization and calendar month (UTC) on the paid plan'),
  ('FREE_TIER_CUSTOM_LIMIT', '0', 'Custom generations per month on the free plan (0: a paid feature)'),
  ('PAID_TIER_CUSTOM_LIMIT', '10', 'Custom generations per organization and calendar month (UTC) on the paid plan'),
  ('MAX_TEAM_STORAGE_MB', '50', 'Bytes of materials a team may keep, in MiB (1 MiB = 1,048,576 bytes)'),
  ('QUOTA_RESERVATION_TTL_SECONDS', '900',
    'A reservation not committed or released within this time is released by the sweep (edge functions stop after 400 s)'),
  ('JOB_LEASE_SECONDS', '60', 'Default lease of a claimed job; heartbeats extend it'),
  ('JOB_MAX_ATTEMPTS', '3', 'Default attempts before a job ends dead'),
  ('JOB_RETRY_BASE_SECONDS', '5', 'Backoff before retry n is base * 2^(n-1) seconds, jittered to 50-100%'),
  ('JOB_RETRY_MAX_SECONDS', '600', 'Upper bound of one backoff'),
  ('IDEMPOTENCY_KEY_TTL_HOURS', '24', 'How long an Idempotency-Key is remembered'),
  ('WEBHOOK_EVENT_TTL_DAYS', '30', 'How long processed webhook ids are kept (Svix retries for about 3 days)'),
  ('WORKER_WAKE_TIMEOUT_MS', '2000', 'timeout_milliseconds of the pg_net request that wakes the worker')
on conflict (name) do nothing;

-- Reads an integer setting; a missing or non-integer setting is an operator error, never a silent default.
create or replace function public.app_setting_int(p_name text)
returns integer
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_value jsonb;
begin
  select s.value into v_value from public.app_settings s where s.name = p_name;
  if v_value is null or jsonb_typeof(v_value) <> 'number' then
    raise exception using
      errcode = 'P0001',
      message = 'setting_missing',
      detail = jsonb_build_object('name', p_name)::text,
      hint = 'Insert an integer value for this name into public.app_settings';
  end if;
  return (v_value #>> '{}')::integer;
end
$$;

comment on function public.app_setting_int(text) is
  'Returns the integer setting p_name from app_settings; raises setting_missing when absent or not a number.';

-- ---------------------------------------------------------------------------------------------------------
-- Validation helpers used by check constraints (pure, so safe for everyone to execute)
-- ---------------------------------------------------------------------------------------------------------

create or replace function public.is_valid_text_list(p_items text[], p_max_items integer, p_max_length integer)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select p_items is not null
    and coalesce(pg_catalog.array_ndims(p_items), 1) = 1
    and pg_catalog.cardinality(p_items) <= p_max_items
    and not exists (
      select 1
      from pg_catalog.unnest(p_items) as item
      where item is null
        or pg_catalog.char_length(pg_catalog.btrim(item)) = 0
        or pg_catalog.char_length(item) > p_max_length
    )
$$;

comment on function public.is_valid_text_list(text[], integer, integer) is
  'True when the array is one-dimensional, has at most p_max_items items and each item is non-blank, not null and at most p_max_length characters.';

create or replace function public.text_list_to_text(p_items text[])
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select coalesce(pg_catalog.array_to_string(p_items, ' '), '')
$$;

comment on function public.text_list_to_text(text[]) is
  'Joins a text array with spaces; immutable (unlike array_to_string on anyarray) so generated columns can use it.';

-- ---------------------------------------------------------------------------------------------------------
-- Organizations, users, memberships, webhook ids
-- ---------------------------------------------------------------------------------------------------------

create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  clerk_org_id text not null unique check (char_length(clerk_org_id) between 1 and 200),
  name text not null default '' check (char_length(name) <= 200),
  plan text not null default 'free' check (plan in ('free', 'paid')),
  -- Time of the last Clerk event applied; older events arriving late are ignored.
  clerk_event_at timestamptz,
  -- Clerk never reuses ids: a deleted organization stays a tombstone so late events cannot resurrect it.
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.users (
  id uuid primary key default gen_random_uuid(),
  clerk_user_id text not null unique check (char_length(clerk_user_id) between 1 and 200),
  email text check (char_length(email) <= 320),
  display_name text check (char_length(display_name) <= 200),
  clerk_event_at timestamptz,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.organization_members (
  organization_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid not null references public.users (id) on delete cascade,
  role text not null default 'member' check (role in ('admin', 'member')),
  clerk_event_at timestamptz,
  -- A removed membership is kept as a tombstone (see organizations.deleted_at); a newer event revives it.
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (organization_id, user_id)
);

create index organization_members_user_id_idx on public.organization_members (user_id)
where deleted_at is null;

create table public.webhook_events (
  svix_id text primary key check (char_length(svix_id) between 1 and 200),
  event_type text not null,
  processed_at timestamptz not null default now()
);

create index webhook_events_processed_at_idx on public.webhook_events (processed_at);

-- ---------------------------------------------------------------------------------------------------------
-- Teams and the catalog
-- ---------------------------------------------------------------------------------------------------------

create table public.teams (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 120),
  size integer not null check (size between 1 and 10000),
  work_mode text not null check (work_mode in ('remote', 'hybrid', 'onsite')),
  industry text check (char_length(btrim(industry)) between 1 and 120),
  goals text[] not null default '{}' check (public.is_valid_text_list(goals, 20, 200)),
  interests text[] not null default '{}' check (public.is_valid_text_list(interests, 20, 200)),
  notes text check (char_length(notes) <= 2000),
  created_by uuid references public.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Lets child tables reference (organization_id, team_id) so their organization always matches the team's.
  unique (organization_id, id)
);

create index teams_organization_id_idx on public.teams (organization_id, created_at);

create table public.public_activities (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique,
  title text not null,
  summary text not null,
  category text not null check (
    category in (
      'icebreaker', 'communication', 'problem_solving', 'creativity', 'trust', 'remote_friendly', 'wellbeing',
      'strategy'
    )
  ),
  duration_minutes integer not null check (duration_minutes between 5 and 480),
  min_group_size integer not null check (min_group_size >= 2),
  max_group_size integer not null check (max_group_size >= min_group_size and max_group_size <= 500),
  work_modes text[] not null check (
    cardinality(work_modes) > 0 and work_modes <@ array['remote', 'hybrid', 'onsite']::text[]
  ),
  objectives text[] not null,
  materials text[] not null,
  preparation text not null,
  steps text[] not null,
  facilitation_tips text[] not null,
  debrief_questions text[] not null,
  tags text[] not null,
  created_at timestamptz not null default now(),
  search_vector tsvector generated always as (
    setweight(to_tsvector('english'::regconfig, title), 'A')
    || setweight(to_tsvector('english'::regconfig, public.text_list_to_text(tags)), 'B')
    || setweight(to_tsvector('english'::regconfig, summary), 'B')
    || setweight(to_tsvector('english'::regconfig, public.text_list_to_text(objectives)), 'C')
  ) stored
);

create index public_activities_search_idx on public.public_activities using gin (search_vector);
create index public_activities_category_idx on public.public_activities (category, duration_minutes);
create index public_activities_work_modes_idx on public.public_activities using gin (work_modes);

-- ---------------------------------------------------------------------------------------------------------
-- Who is calling (RLS helpers)
-- ---------------------------------------------------------------------------------------------------------

create or replace function public.current_app_user_id()
returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select u.id
  from public.users u
  where u.clerk_user_id = (auth.jwt() ->> 'sub')
    and u.deleted_at is null
$$;

comment on function public.current_app_user_id() is
  'The users.id of the caller named by the JWT sub claim (a Clerk user id), or null: deleted users and callers without a token are nobody.';

create or replace function public.member_organization_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select m.organization_id
  from public.users u
  join public.organization_members m on m.user_id = u.id and m.deleted_at is null
  join public.organizations o on o.id = m.organization_id and o.deleted_at is null
  where u.clerk_user_id = (auth.jwt() ->> 'sub')
    and u.deleted_at is null
$$;

comment on function public.member_organization_ids() is
  'The organizations the caller (JWT sub) is an active member of, from the membership table, never from a token org claim; deleted organizations, users and memberships count for nothing.';

create or replace function public.is_org_member(p_organization_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from public.member_organization_ids() as ids (id) where ids.id = p_organization_id)
$$;

comment on function public.is_org_member(uuid) is
  'True only when the caller (JWT sub) is an active member of the live organization p_organization_id.';

create or replace function public.is_org_admin(p_organization_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.users u
    join public.organization_members m on m.user_id = u.id and m.deleted_at is null
    join public.organizations o on o.id = m.organization_id and o.deleted_at is null
    where u.clerk_user_id = (auth.jwt() ->> 'sub')
      and u.deleted_at is null
      and m.organization_id = p_organization_id
      and m.role = 'admin'
  )
$$;

comment on function public.is_org_admin(uuid) is
  'True only when the caller (JWT sub) is an active admin of the live organization p_organization_id.';

-- ---------------------------------------------------------------------------------------------------------
-- RLS: members read their organization's rows; the catalog is for every signed-in user; nothing else
-- ---------------------------------------------------------------------------------------------------------

alter table public.app_settings enable row level security;
alter table public.organizations enable row level security;
alter table public.users enable row level security;
alter table public.organization_members enable row level security;
alter table public.webhook_events enable row level security;
alter table public.teams enable row level security;
alter table public.public_activities enable row level security;

revoke all on table
  public.app_settings, public.organizations, public.users, public.organization_members, public.webhook_events,
  public.teams, public.public_activities
from anon, authenticated;

grant select on table
  public.organizations, public.users, public.organization_members, public.teams, public.public_activities
to authenticated;

grant all on table
  public.app_settings, public.organizations, public.users, public.organization_members, public.webhook_events,
  public.teams, public.public_activities
to service_role;

create policy "members read their organizations" on public.organizations
for select to authenticated
using (id in (select public.member_organization_ids()));

create policy "members read themselves and fellow members" on public.users
for select to authenticated
using (
  clerk_user_id = (select auth.jwt() ->> 'sub')
  or id in (
    select m.user_id
    from public.organization_members m
    where m.organization_id in (select public.member_organization_ids())
  )
);

create policy "members read their organizations' memberships" on public.organization_members
for select to authenticated
using (deleted_at is null and organization_id in (select public.member_organization_ids()));

create policy "members read their organizations' teams" on public.teams
for select to authenticated
using (organization_id in (select public.member_organization_ids()));

create policy "signed-in users read the catalog" on public.public_activities
for select to authenticated
using (true);

-- ---------------------------------------------------------------------------------------------------------
-- Clerk webhook writes (service_role only)
-- ---------------------------------------------------------------------------------------------------------

create or replace function public.record_webhook_event(p_svix_id text, p_event_type text)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.webhook_events (svix_id, event_type)
  values (p_svix_id, p_event_type)
  on conflict (svix_id) do nothing;
  return found;
end
$$;

comment on function public.record_webhook_event(text, text) is
  'Records a Svix delivery id; true the first time, false for a replay (concurrent replays wait for the first and then get false). Call it in the same transaction as the event''s changes so a failed apply is retried.';

create or replace function public.clerk_upsert_organization(
  p_clerk_org_id text,
  p_name text,
  p_plan text default 'free',
  p_event_at timestamptz default now()
)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid;
begin
  if p_plan is null or p_plan not in ('free', 'paid') then
    raise exception using
      errcode = 'P0001',
      message = 'invalid_input',
      detail = jsonb_build_object('field', 'plan', 'value', p_plan)::text,
      hint = 'The plan must be free or paid';
  end if;
  insert into public.organizations as o (clerk_org_id, name, plan, clerk_event_at)
  values (p_clerk_org_id, coalesce(p_name, ''), p_plan, p_event_at)
  on conflict (clerk_org_id) do update
  set name = excluded.name,
      plan = excluded.plan,
      clerk_event_at = excluded.clerk_event_at,
      updated_at = now()
  where o.deleted_at is null
    and (o.clerk_event_at is null or o.clerk_event_at <= excluded.clerk_event_at);
  select o.id into v_id
  from public.organizations o
  where o.clerk_org_id = p_clerk_org_id and o.deleted_at is null;
  return v_id;
end
$$;

comment on function public.clerk_upsert_organization(text, text, text, timestamptz) is
  'Creates or updates an organization from a Clerk event unless an event at least as new was applied or the organization was deleted; returns its id, or null when it is deleted (deleted organizations are never resurrected).';

create or replace function public.clerk_delete_organization(p_clerk_org_id text, p_event_at timestamptz default now())
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.organizations as o (clerk_org_id, deleted_at, clerk_event_at)
  values (p_clerk_org_id, p_event_at, p_event_at)
  on conflict (clerk_org_id) do update
  set deleted_at = coalesce(o.deleted_at, excluded.deleted_at),
      updated_at = now()
$$;

comment on function public.clerk_delete_organization(text, timestamptz) is
  'Marks an organization deleted (a tombstone, created if the organization was never seen): its members lose access at once and later events for it change nothing.';

create or replace function public.clerk_upsert_user(
  p_clerk_user_id text,
  p_email text default null,
  p_display_name text default null,
  p_event_at timestamptz default now()
)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid;
begin
  insert into public.users as u (clerk_user_id, email, display_name, clerk_event_at)
  values (p_clerk_user_id, p_email, p_display_name, p_event_at)
  on conflict (clerk_user_id) do update
  set email = excluded.email,
      display_name = excluded.display_name,
      clerk_event_at = excluded.clerk_event_at,
      updated_at = now()
  where u.deleted_at is null
    and (u.clerk_event_at is null or u.clerk_event_at <= excluded.clerk_event_at);
  select u.id into v_id from public.users u where u.clerk_user_id = p_clerk_user_id and u.deleted_at is null;
  return v_id;
end
$$;

comment on function public.clerk_upsert_user(text, text, text, timestamptz) is
  'Creates or updates a user from a Clerk event unless an event at least as new was applied or the user was deleted; returns the id, or null when deleted.';

create or replace function public.clerk_delete_user(p_clerk_user_id text, p_event_at timestamptz default now())
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.users as u (clerk_user_id, deleted_at, clerk_event_at)
  values (p_clerk_user_id, p_event_at, p_event_at)
  on conflict (clerk_user_id) do update
  set deleted_at = coalesce(u.deleted_at, excluded.deleted_at),
      email = null,
      display_name = null,
      updated_at = now()
$$;

comment on function public.clerk_delete_user(text, timestamptz) is
  'Marks a user deleted (a tombstone; personal fields cleared): every membership stops granting access at once and later events never resurrect the user.';

create or replace function public.clerk_upsert_membership(
  p_clerk_org_id text,
  p_clerk_user_id text,
  p_role text,
  p_event_at timestamptz default now(),
  p_deleted boolean default false
)
returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_org uuid;
  v_user uuid;
  v_role text := case when p_role in ('admin', 'org:admin') then 'admin' else 'member' end;
begin
  -- Membership events may arrive before the organization or user events: create placeholders that the
  -- later events fill in (their clerk_event_at is null, so any event applies).
  insert into public.organizations (clerk_org_id) values (p_clerk_org_id) on conflict (clerk_org_id) do nothing;
  insert into public.users (clerk_user_id) values (p_clerk_user_id) on conflict (clerk_user_id) do nothing;
  select o.id into v_org from public.organizations o where o.clerk_org_id = p_clerk_org_id and o.deleted_at is null;
  select u.id into v_user from public.users u where u.clerk_user_id = p_clerk_user_id and u.deleted_at is null;
  if v_org is null or v_user is null then
    return false;
  end if;
  insert into public.organization_members as m (organization_id, user_id, role, clerk_event_at, deleted_at)
  values (v_org, v_user, v_role, p_event_at, case when p_deleted then p_event_at end)
  on conflict (organization_id, user_id) do update
  set role = excluded.role,
      clerk_event_at = excluded.clerk_event_at,
      deleted_at = excluded.deleted_at,
      updated_at = now()
  where m.clerk_event_at is null or m.clerk_event_at <= excluded.clerk_event_at;
  return found;
end
$$;

comment on function public.clerk_upsert_membership(text, text, text, timestamptz, boolean) is
  'Applies a Clerk membership event (p_deleted for organizationMembership.deleted) unless a newer event was applied; org:admin maps to admin, any other role to member. Returns false when ignored (stale, or the organization or user is deleted). A removal takes effect at once; a late creation never undoes a newer removal.';

-- ---------------------------------------------------------------------------------------------------------
-- Team writes (as the signed-in user; membership checked here, not only in TypeScript)
-- ---------------------------------------------------------------------------------------------------------

create or replace function public.team_profile_text_list(p_profile jsonb, p_field text)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_value jsonb := p_profile -> p_field;
begin
  if v_value is null or jsonb_typeof(v_value) = 'null' then
    return '{}'::text[];
  end if;
  if jsonb_typeof(v_value) <> 'array'
    or exists (select 1 from jsonb_array_elements(v_value) as e (item) where jsonb_typeof(e.item) <> 'string')
  then
    raise exception using
      errcode = 'P0001',
      message = 'invalid_input',
      detail = jsonb_build_object('field', 'profile.' || p_field)::text,
      hint = 'Expected an array of strings';
  end if;
  return array(select jsonb_array_elements_text(v_value));
end
$$;

comment on function public.team_profile_text_list(jsonb, text) is
  'Reads profile->field as a text array (absent or null: empty); raises invalid_input naming profile.field when it is not an array of strings.';

create or replace function public.assert_team_profile(p_profile jsonb, p_partial boolean)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_key text;
begin
  if p_profile is null or jsonb_typeof(p_profile) <> 'object' then
    raise exception using
      errcode = 'P0001', message = 'invalid_input', detail = '{"field": "profile"}', hint = 'Expected an object';
  end if;
  for v_key in select jsonb_object_keys(p_profile) loop
    if v_key not in ('size', 'work_mode', 'industry', 'goals', 'interests', 'notes') then
      raise exception using
        errcode = 'P0001',
        message = 'invalid_input',
        detail = jsonb_build_object('field', 'profile.' || v_key)::text,
        hint = 'Unknown field';
    end if;
  end loop;
  if (not p_partial or p_profile ? 'size') and jsonb_typeof(p_profile -> 'size') is distinct from 'number' then
    raise exception using
      errcode = 'P0001', message = 'invalid_input', detail = '{"field": "profile.size"}', hint = 'Expected a number';
  end if;
  if (not p_partial or p_profile ? 'work_mode') and jsonb_typeof(p_profile -> 'work_mode') is distinct from 'string' then
    raise exception using
      errcode = 'P0001', message = 'invalid_input', detail = '{"field": "profile.work_mode"}',
      hint = 'Expected remote, hybrid or onsite';
  end if;
  if jsonb_typeof(p_profile -> 'industry') not in ('string', 'null') then
    raise exception using
      errcode = 'P0001', message = 'invalid_input', detail = '{"field": "profile.industry"}', hint = 'Expected a string';
  end if;
  if jsonb_typeof(p_profile -> 'notes') not in ('string', 'null') then
    raise exception using
      errcode = 'P0001', message = 'invalid_input', detail = '{"field": "profile.notes"}', hint = 'Expected a string';
  end if;
end
$$;

comment on function public.assert_team_profile(jsonb, boolean) is
  'Raises invalid_input naming the field unless p_profile is an object of known profile fields with the right JSON types (size and work_mode required unless p_partial); value ranges are the teams check constraints.';

create or replace function public.create_team(p_organization_id uuid, p_name text, p_profile jsonb)
returns public.teams
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_team public.teams;
begin
  if not public.is_org_member(p_organization_id) then
    raise exception using
      errcode = 'P0001',
      message = 'not_found',
      detail = jsonb_build_object('resource', 'organization', 'id', p_organization_id)::text,
      hint = 'No such organization for this user';
  end if;
  perform public.assert_team_profile(p_profile, false);
  insert into public.teams (organization_id, name, size, work_mode, industry, goals, interests, notes, created_by)
  values (
    p_organization_id,
    p_name,
    (p_profile ->> 'size')::integer,
    p_profile ->> 'work_mode',
    p_profile ->> 'industry',
    public.team_profile_text_list(p_profile, 'goals'),
    public.team_profile_text_list(p_profile, 'interests'),
    p_profile ->> 'notes',
    public.current_app_user_id()
  )
  returning * into v_team;
  return v_team;
end
$$;

comment on function public.create_team(uuid, text, jsonb) is
  'Creates a team in an organization the caller (JWT sub) belongs to; another organization''s id raises not_found, as if it did not exist. Invalid input raises invalid_input (field in detail) or a check violation (23514).';

create or replace function public.update_team(p_team_id uuid, p_name text default null, p_profile jsonb default null)
returns public.teams
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_team public.teams;
  v_profile jsonb := coalesce(p_profile, '{}'::jsonb);
begin
  select t.* into v_team from public.teams t where t.id = p_team_id for update;
  if v_team.id is null or not public.is_org_member(v_team.organization_id) then
    raise exception using
      errcode = 'P0001',
      message = 'not_found',
      detail = jsonb_build_object('resource', 'team', 'id', p_team_id)::text,
      hint = 'No such team for this user';
  end if;
  perform public.assert_team_profile(v_profile, true);
  update public.teams t
  set name = coalesce(p_name, t.name),
      size = case when v_profile ? 'size' then (v_profile ->> 'size')::integer else t.size end,
      work_mode = case when v_profile ? 'work_mode' then v_profile ->> 'work_mode' else t.work_mode end,
      industry = case when v_profile ? 'industry' then v_profile ->> 'industry' else t.industry end,
      goals = case when v_profile ? 'goals' then public.team_profile_text_list(v_profile, 'goals') else t.goals end,
      interests = case
        when v_profile ? 'interests' then public.team_profile_text_list(v_profile, 'interests')
        else t.interests
      end,
      notes = case when v_profile ? 'notes' then v_profile ->> 'notes' else t.notes end,
      updated_at = now()
  where t.id = p_team_id
  returning t.* into v_team;
  return v_team;
end
$$;

comment on function public.update_team(uuid, text, jsonb) is
  'Updates a team of the caller''s organization: fields present in p_profile replace the stored ones (null clears optional ones), absent ones stay. Another organization''s team raises not_found.';

-- delete_team is defined with the team materials (it returns their storage paths).

-- ---------------------------------------------------------------------------------------------------------
-- Function privileges: nothing for anon; RLS helpers for authenticated; the rest as named
-- ---------------------------------------------------------------------------------------------------------

revoke all on function public.app_setting_int(text) from public, anon, authenticated;
grant execute on function public.app_setting_int(text) to service_role;

revoke all on function public.is_valid_text_list(text[], integer, integer) from public, anon;
grant execute on function public.is_valid_text_list(text[], integer, integer) to authenticated, service_role;
revoke all on function public.text_list_to_text(text[]) from public, anon;
grant execute on function public.text_list_to_text(text[]) to authenticated, service_role;

revoke all on function public.current_app_user_id() from public, anon;
grant execute on function public.current_app_user_id() to authenticated, service_role;
revoke all on function public.member_organization_ids() from public, anon;
grant execute on function public.member_organization_ids() to authenticated, service_role;
revoke all on function public.is_org_member(uuid) from public, anon;
grant execute on function public.is_org_member(uuid) to authenticated, service_role;
revoke all on function public.is_org_admin(uuid) from public, anon;
grant execute on function public.is_org_admin(uuid) to authenticated, service_role;

revoke all on function public.record_webhook_event(text, text) from public, anon, authenticated;
grant execute on function public.record_webhook_event(text, text) to service_role;
revoke all on function public.clerk_upsert_organization(text, text, text, timestamptz) from public, anon, authenticated;
grant execute on function public.clerk_upsert_organization(text, text, text, timestamptz) to service_role;
revoke all on function public.clerk_delete_organization(text, timestamptz) from public, anon, authenticated;
grant execute on function public.clerk_delete_organization(text, timestamptz) to service_role;
revoke all on function public.clerk_upsert_user(text, text, text, timestamptz) from public, anon, authenticated;
grant execute on function public.clerk_upsert_user(text, text, text, timestamptz) to service_role;
revoke all on function public.clerk_delete_user(text, timestamptz) from public, anon, authenticated;
grant execute on function public.clerk_delete_user(text, timestamptz) to service_role;
revoke all on function public.clerk_upsert_membership(text, text, text, timestamptz, boolean)
from public, anon, authenticated;
grant execute on function public.clerk_upsert_membership(text, text, text, timestamptz, boolean) to service_role;

revoke all on function public.team_profile_text_list(jsonb, text) from public, anon;
grant execute on function public.team_profile_text_list(jsonb, text) to authenticated, service_role;
revoke all on function public.assert_team_profile(jsonb, boolean) from public, anon;
grant execute on function public.assert_team_profile(jsonb, boolean) to authenticated, service_role;
revoke all on function public.create_team(uuid, text, jsonb) from public, anon, service_role;
grant execute on function public.create_team(uuid, text, jsonb) to authenticated;
revoke all on function public.update_team(uuid, text, jsonb) from public, anon, service_role;
grant execute on function public.update_team(uuid, text, jsonb) to authenticated;
