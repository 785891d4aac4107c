-- A failed material's retry is metered like its first summary: it reserves one material_summary unit
-- (committed when the summary is written, released if it fails again), so retries cannot buy AI calls
-- outside the monthly allowance. Redefines public.retry_material (20261202020000_outages.sql).

create or replace function public.retry_material(p_material_id uuid, p_now timestamptz default now())
returns public.jobs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_material public.team_materials;
  v_job public.jobs;
  v_reservation public.quota_reservations;
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
  -- The retry is a new summary: one material_summary unit, reserved now (quota_exceeded rolls it all back)
  -- and owned by the job, like the upload's (the first run's unit was released when it failed).
  v_reservation := public.reserve_quota(v_material.organization_id, 'material_summary', p_now);
  update public.quota_reservations r set expires_at = null where r.id = v_reservation.id;
  update public.jobs j
  set status = 'queued',
      quota_reservation_id = v_reservation.id,
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
    update public.jobs j set quota_reservation_id = v_reservation.id where j.id = v_job.id returning j.* into v_job;
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
  'Processes a failed material again: reserves one material_summary unit (quota_exceeded otherwise), queues its job afresh (attempts from 0) owning that unit, wakes the worker, and puts the material back to processing; invalid_transition unless the material failed, not_found when there is none.';
