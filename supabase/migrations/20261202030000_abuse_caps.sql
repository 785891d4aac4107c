-- Caps against abuse: every AI call counts against a setting the owner controls, and what an organization
-- may keep is bounded.
--
-- * Material summaries are a metered feature (`material_summary`) with a monthly allowance per plan
--   (FREE_TIER_MATERIAL_SUMMARY_LIMIT, PAID_TIER_MATERIAL_SUMMARY_LIMIT), reserved when the upload queues its
--   job and settled like every job's unit (committed on success, released otherwise). The same file (by
--   sha256) uploaded again in the same organization reuses the ready summary: no job, no AI call, no unit.
-- * Every request to the AI, whatever its outcome (a failed or unusable answer gives its feature unit back),
--   counts against a monthly ceiling per organization and plan (FREE_TIER_AI_CALL_CEILING,
--   PAID_TIER_AI_CALL_CEILING): public.count_ai_call is called before each request and refuses past it, so
--   no input (say, a document that makes the model answer badly on every retry) buys unbounded AI calls.
-- * Teams per organization are capped per plan (FREE_TIER_MAX_TEAMS, PAID_TIER_MAX_TEAMS), and the bytes of
--   materials an organization keeps across its teams (FREE_TIER_MAX_STORAGE_MB, PAID_TIER_MAX_STORAGE_MB), on
--   top of the per-team MAX_TEAM_STORAGE_MB. Both checks lock the organization row (FOR NO KEY UPDATE, so
--   foreign-key checks of other inserts are not blocked), so concurrent requests never pass a cap together.
--
-- Redefines (create or replace): public.quota_limit, public.quota_status, public.finish_material_upload.

insert into public.app_settings (name, value, description) values
  ('FREE_TIER_MATERIAL_SUMMARY_LIMIT', '10',
    'Material summaries (one AI call each) per organization and calendar month (UTC) on the free plan'),
  ('PAID_TIER_MATERIAL_SUMMARY_LIMIT', '100',
    'Material summaries (one AI call each) per organization and calendar month (UTC) on the paid plan'),
  ('FREE_TIER_AI_CALL_CEILING', '50',
    'Requests to the AI per organization and calendar month (UTC) on the free plan, whatever their outcome (retries and repairs count)'),
  ('PAID_TIER_AI_CALL_CEILING', '1000',
    'Requests to the AI per organization and calendar month (UTC) on the paid plan, whatever their outcome'),
  ('FREE_TIER_MAX_TEAMS', '10', 'Teams an organization on the free plan may have'),
  ('PAID_TIER_MAX_TEAMS', '100', 'Teams an organization on the paid plan may have'),
  ('FREE_TIER_MAX_STORAGE_MB', '100',
    'Bytes of materials an organization on the free plan may keep across all its teams, in MiB'),
  ('PAID_TIER_MAX_STORAGE_MB', '2000',
    'Bytes of materials an organization on the paid plan may keep across all its teams, in MiB')
on conflict (name) do nothing;

alter table public.usage_quotas drop constraint usage_quotas_feature_check;
alter table public.usage_quotas add constraint usage_quotas_feature_check
  check (feature in ('customization', 'custom_generation', 'material_summary', 'ai_call'));

create index team_materials_organization_sha256_idx on public.team_materials (organization_id, sha256)
where sha256 is not null and status = 'ready';

-- ---------------------------------------------------------------------------------------------------------
-- The summary allowance
-- ---------------------------------------------------------------------------------------------------------

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
    when p_plan = 'free' and p_feature = 'material_summary'
      then public.app_setting_int('FREE_TIER_MATERIAL_SUMMARY_LIMIT')
    when p_plan = 'paid' and p_feature = 'material_summary'
      then public.app_setting_int('PAID_TIER_MATERIAL_SUMMARY_LIMIT')
    when p_plan = 'free' and p_feature = 'ai_call' then public.app_setting_int('FREE_TIER_AI_CALL_CEILING')
    when p_plan = 'paid' and p_feature = 'ai_call' then public.app_setting_int('PAID_TIER_AI_CALL_CEILING')
  end;
end
$$;

comment on function public.quota_limit(text, text) is
  'The monthly limit of a feature (customization, custom_generation, material_summary, and the ai_call ceiling) on a plan, read from app_settings at call time (so a changed setting applies at once); null for an unknown plan or feature.';

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
  cross join (values ('customization'), ('custom_generation'), ('material_summary')) as f (feature)
  left join public.usage_quotas q
    on q.organization_id = o.id and q.feature = f.feature and q.period_start = public.quota_period_start(p_now)
  where o.id = p_organization_id and o.deleted_at is null
  order by f.feature
$$;

comment on function public.quota_status(uuid, timestamptz) is
  'Per feature (custom_generation, customization, material_summary): the plan''s limit, used, reserved, remaining and resets_at for the month of p_now. Runs with the caller''s rights, so RLS applies: a non-member gets no rows.';

create or replace function public.count_ai_call(p_organization_id uuid, p_now timestamptz default now())
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_plan text;
  v_limit integer;
  v_period date := public.quota_period_start(p_now);
  v_used integer;
begin
  select o.plan into v_plan from public.organizations o where o.id = p_organization_id and o.deleted_at is null;
  if v_plan is null then
    raise exception using
      errcode = 'P0001',
      message = 'not_found',
      detail = jsonb_build_object('resource', 'organization', 'id', p_organization_id)::text,
      hint = 'No such organization';
  end if;
  v_limit := public.quota_limit(v_plan, 'ai_call');
  -- Creates or locks the month's row: concurrent calls queue here, so the ceiling holds under races.
  insert into public.usage_quotas as q (organization_id, feature, period_start, monthly_limit, created_at, updated_at)
  values (p_organization_id, 'ai_call', v_period, v_limit, p_now, p_now)
  on conflict (organization_id, feature, period_start) do update
  set monthly_limit = excluded.monthly_limit,
      updated_at = excluded.updated_at
  returning q.used into v_used;
  if v_used >= v_limit then
    raise exception using
      errcode = 'P0001',
      message = 'quota_exceeded',
      detail = jsonb_build_object(
        'feature', 'ai_call', 'plan', v_plan, 'limit', v_limit, 'used', v_used, 'reserved', 0,
        'resets_at', public.quota_resets_at(p_now)
      )::text,
      hint = format('The organization made %s AI requests this month, the most its plan allows; it resets at %s',
        v_used, public.quota_resets_at(p_now));
  end if;
  update public.usage_quotas q
  set used = q.used + 1,
      updated_at = p_now
  where q.organization_id = p_organization_id and q.feature = 'ai_call' and q.period_start = v_period
  returning q.used into v_used;
  return v_used;
end
$$;

comment on function public.count_ai_call(uuid, timestamptz) is
  'Counts one request to the AI for the organization in the UTC month of p_now, before it is sent, whatever its outcome; raises quota_exceeded (feature ai_call) instead when <PLAN>_TIER_AI_CALL_CEILING requests were already counted. Atomic under concurrency (row lock on the month''s usage row). Returns the requests counted this month.';

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
  v_source public.team_materials;
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
  if v_material.job_id is not null or v_material.status <> 'uploading' then
    select j.* into v_job from public.jobs j where j.id = v_material.job_id;
    return v_job;
  end if;

  -- The same bytes were summarized before in this organization: reuse that work, call no AI.
  select m.* into v_source
  from public.team_materials m
  where m.organization_id = v_material.organization_id
    and m.sha256 = p_sha256
    and m.status = 'ready'
    and m.summary is not null
    and m.id <> v_material.id
  order by m.updated_at desc
  limit 1;
  if v_source.id is not null then
    update public.team_materials m
    set status = 'ready',
        sha256 = p_sha256,
        format = v_source.format,
        extracted_text = v_source.extracted_text,
        extracted_truncated = v_source.extracted_truncated,
        summary = v_source.summary,
        error = null,
        updated_at = p_now
    where m.id = p_material_id;
    return null;
  end if;

  -- Raises quota_exceeded when the month's summaries are used up; the caller undoes the upload.
  v_job := public.enqueue_job(
    p_kind => 'process_material',
    p_organization_id => v_material.organization_id,
    p_team_id => v_material.team_id,
    p_payload => jsonb_build_object('material_id', v_material.id),
    p_idempotency_key => 'material:' || v_material.id::text,
    p_quota_feature => 'material_summary',
    p_created_by => v_material.created_by,
    p_now => p_now
  );
  update public.team_materials m
  set status = 'processing',
      sha256 = coalesce(m.sha256, p_sha256),
      job_id = v_job.id,
      updated_at = p_now
  where m.id = p_material_id;
  return v_job;
end
$$;

comment on function public.finish_material_upload(uuid, text, timestamptz) is
  'After the object is stored: records the sha256 and either copies the summary of a ready material with the same sha256 in the organization (ready at once, returns null: no AI call, no unit) or reserves one material_summary unit and enqueues the process_material job (status processing), in one transaction. Raises quota_exceeded when the month''s summaries are used up. Calling it again returns the same job.';

-- ---------------------------------------------------------------------------------------------------------
-- Teams and storage per organization
-- ---------------------------------------------------------------------------------------------------------

create or replace function public.organization_cap(p_organization_id uuid, p_setting text)
returns bigint
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_plan text;
begin
  select o.plan into v_plan from public.organizations o where o.id = p_organization_id;
  return public.app_setting_int(upper(coalesce(v_plan, 'free')) || '_TIER_' || p_setting);
end
$$;

comment on function public.organization_cap(uuid, text) is
  'The organization''s plan''s cap named <PLAN>_TIER_<p_setting> in app_settings (e.g. MAX_TEAMS: FREE_TIER_MAX_TEAMS).';

create or replace function public.teams_enforce_organization_cap()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_limit bigint;
  v_count bigint;
begin
  -- Serializes team creation per organization (NO KEY: inserts referencing the organization still proceed).
  perform 1 from public.organizations o where o.id = new.organization_id for no key update;
  v_limit := public.organization_cap(new.organization_id, 'MAX_TEAMS');
  select count(*) into v_count from public.teams t where t.organization_id = new.organization_id;
  if v_count >= v_limit then
    raise exception using
      errcode = 'P0001',
      message = 'team_limit_exceeded',
      detail = jsonb_build_object('resource', 'team', 'limit', v_limit, 'used', v_count)::text,
      hint = format('The organization has %s teams, the most its plan allows; delete one first', v_count);
  end if;
  return new;
end
$$;

comment on function public.teams_enforce_organization_cap() is
  'Refuses a new team (team_limit_exceeded, detail: limit, used) when the organization already has <PLAN>_TIER_MAX_TEAMS teams; concurrent creations wait on the organization row, so the cap holds under races.';

create trigger teams_enforce_organization_cap
before insert on public.teams
for each row
execute function public.teams_enforce_organization_cap();

create or replace function public.team_materials_enforce_organization_storage()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_limit bigint;
  v_used bigint;
begin
  perform 1 from public.organizations o where o.id = new.organization_id for no key update;
  v_limit := public.organization_cap(new.organization_id, 'MAX_STORAGE_MB') * 1048576;
  select coalesce(sum(u.reserved_bytes), 0) into v_used
  from public.team_storage_usage u
  where u.organization_id = new.organization_id;
  if v_used + new.size_bytes > v_limit then
    raise exception using
      errcode = 'P0001',
      message = 'storage_limit_exceeded',
      detail = jsonb_build_object(
        'scope', 'organization', 'limit_bytes', v_limit, 'used_bytes', v_used, 'requested_bytes', new.size_bytes
      )::text,
      hint = 'The organization''s materials would exceed its storage cap; delete some first';
  end if;
  return new;
end
$$;

comment on function public.team_materials_enforce_organization_storage() is
  'Refuses a material row (storage_limit_exceeded, scope organization) when the organization''s materials across all teams would exceed <PLAN>_TIER_MAX_STORAGE_MB MiB; concurrent uploads wait on the organization row, so the cap holds under races.';

create trigger team_materials_enforce_organization_storage
before insert on public.team_materials
for each row
execute function public.team_materials_enforce_organization_storage();

revoke all on function public.count_ai_call(uuid, timestamptz) from public, anon, authenticated;
grant execute on function public.count_ai_call(uuid, timestamptz) to service_role;
revoke all on function public.organization_cap(uuid, text) from public, anon, authenticated;
grant execute on function public.organization_cap(uuid, text) to service_role;
revoke all on function public.teams_enforce_organization_cap() from public, anon, authenticated;
revoke all on function public.team_materials_enforce_organization_storage() from public, anon, authenticated;
