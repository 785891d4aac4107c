begin;
create extension if not exists pgtap with schema extensions;
select plan(23);

set local client_min_messages to error; -- the insert trigger warns that no Vault secrets are set (see 07)

insert into public.organizations (id, clerk_org_id, plan) values
  ('d0000000-0000-4000-8000-000000000001', 'org_pgtap_storage', 'free');
insert into public.teams (id, organization_id, name, size, work_mode) values
  ('d7000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-000000000001', 'Storage team', 5, 'remote'),
  ('d7000000-0000-4000-8000-000000000002', 'd0000000-0000-4000-8000-000000000001', 'Second team', 5, 'onsite');

-- The JSON detail of the error a call raised, or null when it did not raise.
create function pg_temp.error_of(p_sql text)
returns jsonb
language plpgsql
as $$
declare
  v_detail text;
begin
  execute p_sql;
  return null;
exception when others then
  get stacked diagnostics v_detail = pg_exception_detail;
  return v_detail::jsonb;
end
$$;

create temp table material (name text primary key, id uuid not null, storage_path text not null);

-- Bytes against the 50 MiB cap ------------------------------------------------------------------------------
insert into material
select 'thirty', m.id, m.storage_path
from public.reserve_material_upload('d0000000-0000-4000-8000-000000000001', 'd7000000-0000-4000-8000-000000000001',
  'Q3 plan (final).pdf', 'application/pdf', 30 * 1048576) as m;
insert into material
select 'twenty', m.id, m.storage_path
from public.reserve_material_upload('d0000000-0000-4000-8000-000000000001', 'd7000000-0000-4000-8000-000000000001',
  '../../etc/passwd', 'application/pdf', 20 * 1048576) as m;

select is((select reserved_bytes from public.team_storage_usage where team_id = 'd7000000-0000-4000-8000-000000000001'),
  50::bigint * 1048576, 'uploads up to exactly 50 MiB are admitted');
select throws_ok($$ select public.reserve_material_upload('d0000000-0000-4000-8000-000000000001',
    'd7000000-0000-4000-8000-000000000001', 'one-byte.txt', 'text/plain', 1) $$,
  'P0001', 'storage_limit_exceeded', 'one more byte is refused');
select is(pg_temp.error_of($$ select public.reserve_material_upload('d0000000-0000-4000-8000-000000000001',
    'd7000000-0000-4000-8000-000000000001', 'one-byte.txt', 'text/plain', 1) $$),
  jsonb_build_object('limit_bytes', 52428800, 'used_bytes', 52428800, 'requested_bytes', 1),
  'the refusal carries the cap, the bytes in use and the bytes requested as JSON');
select lives_ok($$ select public.reserve_material_upload('d0000000-0000-4000-8000-000000000001',
    'd7000000-0000-4000-8000-000000000002', 'other-team.pdf', 'application/pdf', 10 * 1048576) $$,
  'the cap is per team: another team of the organization still has room');
select ok((select storage_path = 'd0000000-0000-4000-8000-000000000001/d7000000-0000-4000-8000-000000000001/'
    || id || '-Q3-plan-final-.pdf' from material where name = 'thirty'),
  'the storage path is {organization_id}/{team_id}/{id}-{safe name}');
select ok((select storage_path not like '%..%' and storage_path like '%-etc-passwd' from material where name = 'twenty'),
  'a hostile file name cannot climb out of the team''s folder');
select is((select status from public.team_materials where id = (select id from material where name = 'thirty')),
  'uploading', 'a reserved material is uploading until its object is stored');
select throws_ok($$ select public.reserve_material_upload('d0000000-0000-4000-8000-000000000001',
    'd7000000-0000-4000-8000-000000000009', 'x.pdf', 'application/pdf', 1) $$,
  'P0001', 'not_found', 'an unknown team cannot reserve bytes');

-- Undo and delete give the bytes back exactly once ----------------------------------------------------------
select is(public.delete_material((select id from material where name = 'twenty')),
  (select storage_path from material where name = 'twenty'), 'deleting a material returns its path for removal');
select is((select reserved_bytes from public.team_storage_usage where team_id = 'd7000000-0000-4000-8000-000000000001'),
  30::bigint * 1048576, 'its bytes are given back');
select is(public.delete_material((select id from material where name = 'twenty')), null,
  'deleting it again changes nothing');
select is((select reserved_bytes from public.team_storage_usage where team_id = 'd7000000-0000-4000-8000-000000000001'),
  30::bigint * 1048576, 'and gives nothing back twice');

-- Finishing an upload queues the processing job; its end settles the material ------------------------------
select is(
  (select j.kind from public.finish_material_upload((select id from material where name = 'thirty'),
    repeat('a', 64), '2001-01-01 00:00:00+00') as j),
  'process_material', 'finishing an upload enqueues a process_material job');
select is(
  (select j.id from public.finish_material_upload((select id from material where name = 'thirty'), repeat('a', 64)) as j),
  (select job_id from public.team_materials where id = (select id from material where name = 'thirty')),
  'finishing it again returns the same job');
select results_eq($$ select status, sha256 from public.team_materials where id = (select id from material where name = 'thirty') $$,
  $$ values ('processing'::text, repeat('a', 64)) $$, 'the material is processing with its checksum');

-- Jobs were enqueued with a clock in 2001 and are claimed at that time, before any real job is due.
select is(
  (select count(*)::integer from public.claim_jobs('worker-s', 100, 30, array['process_material'], '2001-01-01 00:00:01+00')
   where id = (select job_id from public.team_materials where id = (select id from material where name = 'thirty'))),
  1, 'the processing job is claimed');
select is(public.fail_job((select job_id from public.team_materials where id = (select id from material where name = 'thirty')),
    1, 'The file is password protected', false, null, '2001-01-01 00:00:02+00'),
  'failed', 'an unreadable file fails the job');
select results_eq($$ select status, error from public.team_materials where id = (select id from material where name = 'thirty') $$,
  $$ values ('failed'::text, 'The file is password protected'::text) $$,
  'the material is failed with a reason a person can read');

-- A second material goes through to ready.
insert into material
select 'ready', m.id, m.storage_path
from public.reserve_material_upload('d0000000-0000-4000-8000-000000000001', 'd7000000-0000-4000-8000-000000000001',
  'notes.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 1000) as m;
do $$
begin
  perform public.finish_material_upload((select id from material where name = 'ready'), repeat('b', 64),
    '2001-01-01 00:00:00+00');
end
$$;
select is(
  (select count(*)::integer from public.claim_jobs('worker-s', 100, 30, array['process_material'], '2001-01-01 00:00:03+00')
   where id = (select job_id from public.team_materials where id = (select id from material where name = 'ready'))),
  1, 'the second processing job is claimed');
select is(public.complete_material_job((select job_id from public.team_materials where id = (select id from material where name = 'ready')),
    1, 'docx', 'Team charter text', false, 'A charter.', '2001-01-01 00:00:04+00'),
  true, 'the worker stores the extracted text and summary');
select results_eq($$ select status, format, extracted_text, summary from public.team_materials
    where id = (select id from material where name = 'ready') $$,
  $$ values ('ready'::text, 'docx'::text, 'Team charter text'::text, 'A charter.'::text) $$, 'the material is ready');

-- Deleting a team takes its materials and its usage row with it.
select lives_ok($$ delete from public.teams where id = 'd7000000-0000-4000-8000-000000000002' $$,
  'a team with materials can be deleted');
select is_empty($$ select 1 from public.team_storage_usage where team_id = 'd7000000-0000-4000-8000-000000000002'
  union all select 1 from public.team_materials where team_id = 'd7000000-0000-4000-8000-000000000002' $$,
  'its materials and storage usage are gone with it');

select * from finish();
rollback;
