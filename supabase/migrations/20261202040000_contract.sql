-- The published contract: a succeeded job reads 100%, and a material's key points are a list of their own.

-- A succeeded job's progress is {stage: "done", percent: 100}, whichever function completed it: the worker's
-- last heartbeat ("saving", 90) is where it stood before the result was written, not where it ended.
create or replace function public.jobs_progress_done()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.progress := jsonb_build_object('stage', 'done', 'percent', 100);
  return new;
end
$$;

comment on function public.jobs_progress_done() is
  'Trigger: a job that becomes succeeded reports progress {stage: done, percent: 100}, so clients never see a finished job below 100%.';

revoke all on function public.jobs_progress_done() from public, anon, authenticated;

create trigger jobs_progress_done
before update of status on public.jobs
for each row
when (new.status = 'succeeded' and old.status is distinct from 'succeeded')
execute function public.jobs_progress_done();

update public.jobs
set progress = jsonb_build_object('stage', 'done', 'percent', 100)
where status = 'succeeded';

-- Key points of a material's summary, as the AI listed them (at most 10 of at most 400 characters).
alter table public.team_materials
  add column key_points text[] not null default '{}'
  check (cardinality(key_points) <= 10);

comment on column public.team_materials.key_points is
  'The key points of the summary, one per element (the summary column holds the prose only).';

-- Summaries written before this column folded the points into the text after a "Key points:" line.
update public.team_materials m
set key_points = coalesce((
      select array_agg(regexp_replace(line, '^- ', '') order by n)
      from unnest(string_to_array(split_part(m.summary, E'\n\nKey points:\n', 2), E'\n')) with ordinality
        as points(line, n)
      where line like '- %'
    ), '{}'),
    summary = split_part(m.summary, E'\n\nKey points:\n', 1)
where m.summary like E'%\n\nKey points:\n- %';
