begin;
create extension if not exists pgtap with schema extensions;
select plan(40);

-- Two organizations, each with a team, an activity, a job, a material, a quota row and a reservation.
insert into public.organizations (id, clerk_org_id, name, plan) values
  ('a0000000-0000-4000-8000-00000000000a', 'org_pgtap_a', 'Org A', 'free'),
  ('b0000000-0000-4000-8000-00000000000b', 'org_pgtap_b', 'Org B', 'paid');
insert into public.users (id, clerk_user_id) values
  ('0a000000-0000-4000-8000-0000000000a1', 'user_pgtap_a_admin'),
  ('0a000000-0000-4000-8000-0000000000a2', 'user_pgtap_a_member'),
  ('0b000000-0000-4000-8000-0000000000b1', 'user_pgtap_b'),
  ('0c000000-0000-4000-8000-0000000000c1', 'user_pgtap_nobody');
insert into public.organization_members (organization_id, user_id, role) values
  ('a0000000-0000-4000-8000-00000000000a', '0a000000-0000-4000-8000-0000000000a1', 'admin'),
  ('a0000000-0000-4000-8000-00000000000a', '0a000000-0000-4000-8000-0000000000a2', 'member'),
  ('b0000000-0000-4000-8000-00000000000b', '0b000000-0000-4000-8000-0000000000b1', 'admin');
insert into public.teams (id, organization_id, name, size, work_mode) values
  ('a7000000-0000-4000-8000-00000000000a', 'a0000000-0000-4000-8000-00000000000a', 'Team A', 8, 'remote'),
  ('b7000000-0000-4000-8000-00000000000b', 'b0000000-0000-4000-8000-00000000000b', 'Team B', 12, 'onsite');
insert into public.team_activities (id, organization_id, team_id, source, content, model) values
  ('aa000000-0000-4000-8000-00000000000a', 'a0000000-0000-4000-8000-00000000000a',
   'a7000000-0000-4000-8000-00000000000a', 'customized', '{"title": "A"}', 'test-model'),
  ('bb000000-0000-4000-8000-00000000000b', 'b0000000-0000-4000-8000-00000000000b',
   'b7000000-0000-4000-8000-00000000000b', 'customized', '{"title": "B"}', 'test-model');
insert into public.public_activities (
  slug, title, summary, category, duration_minutes, min_group_size, max_group_size, work_modes, objectives,
  materials, preparation, steps, facilitation_tips, debrief_questions, tags)
values ('pgtap-two-truths', 'Two truths and a lie', 'Guess the lie', 'icebreaker', 15, 3, 30,
  array['remote', 'onsite'], array['connection'], '{}', 'None', array['Write three statements'], '{}', '{}',
  array['icebreaker']);

set local client_min_messages to error; -- no Vault secrets here: the wake-up warns, tested in 07
do $$
begin
  perform public.enqueue_job('generate_activities', 'a0000000-0000-4000-8000-00000000000a',
    'a7000000-0000-4000-8000-00000000000a', '{"requirements": "A"}', 'pgtap-a');
  perform public.enqueue_job('generate_activities', 'b0000000-0000-4000-8000-00000000000b',
    'b7000000-0000-4000-8000-00000000000b', '{"requirements": "B"}', 'pgtap-b', 'custom_generation');
  perform public.reserve_material_upload('a0000000-0000-4000-8000-00000000000a', 'a7000000-0000-4000-8000-00000000000a',
    'a.pdf', 'application/pdf', 1000);
  perform public.reserve_material_upload('b0000000-0000-4000-8000-00000000000b', 'b7000000-0000-4000-8000-00000000000b',
    'b.pdf', 'application/pdf', 2000);
  perform public.reserve_quota('a0000000-0000-4000-8000-00000000000a', 'customization');
end
$$;
reset client_min_messages;

-- As a member of A ------------------------------------------------------------------------------------------
set local role authenticated;
set local request.jwt.claims to '{"sub": "user_pgtap_a_member"}';

select results_eq('select id from public.organizations', array['a0000000-0000-4000-8000-00000000000a'::uuid],
  'a member sees their own organization and no other');
select results_eq('select id from public.teams', array['a7000000-0000-4000-8000-00000000000a'::uuid],
  'a member sees their organization''s teams only');
select results_eq('select id from public.team_activities', array['aa000000-0000-4000-8000-00000000000a'::uuid],
  'a member sees their organization''s team activities only');
select results_eq('select distinct organization_id from public.team_materials',
  array['a0000000-0000-4000-8000-00000000000a'::uuid], 'a member sees their organization''s materials only');
select results_eq('select distinct organization_id from public.jobs',
  array['a0000000-0000-4000-8000-00000000000a'::uuid], 'a member sees their organization''s jobs only');
select results_eq('select distinct organization_id from public.usage_quotas',
  array['a0000000-0000-4000-8000-00000000000a'::uuid], 'a member sees their organization''s quotas only');
select results_eq('select distinct organization_id from public.quota_reservations',
  array['a0000000-0000-4000-8000-00000000000a'::uuid], 'a member sees their organization''s reservations only');
select results_eq('select team_id from public.team_storage_usage',
  array['a7000000-0000-4000-8000-00000000000a'::uuid], 'a member sees their teams'' storage usage only');
select set_eq('select user_id from public.organization_members',
  array['0a000000-0000-4000-8000-0000000000a1'::uuid, '0a000000-0000-4000-8000-0000000000a2'::uuid],
  'a member sees the memberships of their organization only');
select set_eq('select clerk_user_id from public.users', array['user_pgtap_a_admin', 'user_pgtap_a_member'],
  'a member sees themselves and fellow members, not members of other organizations');
select isnt_empty('select 1 from public.public_activities where slug = ''pgtap-two-truths''',
  'a signed-in user reads the catalog');
select is((select count(*)::integer from public.quota_status('a0000000-0000-4000-8000-00000000000a')), 3,
  'a member reads their organization''s quota status (three features)');

-- Another organization's ids behave as if they did not exist.
select is_empty('select 1 from public.teams where id = ''b7000000-0000-4000-8000-00000000000b''',
  'another organization''s team is invisible even by id');
select is_empty('select 1 from public.quota_status(''b0000000-0000-4000-8000-00000000000b'')',
  'another organization''s quota status is empty');
select throws_ok($$ select public.create_team('b0000000-0000-4000-8000-00000000000b', 'Intruders',
    '{"size": 3, "work_mode": "remote"}') $$,
  'P0001', 'not_found', 'creating a team in another organization fails as not found');
select throws_ok($$ select public.update_team('b7000000-0000-4000-8000-00000000000b', 'Renamed') $$,
  'P0001', 'not_found', 'updating another organization''s team fails as not found');
select throws_ok($$ select public.delete_team('b7000000-0000-4000-8000-00000000000b') $$,
  'P0001', 'not_found', 'deleting another organization''s team fails as not found');
select throws_ok($$ select public.set_team_activity_status('bb000000-0000-4000-8000-00000000000b', 'planned') $$,
  'P0001', 'not_found', 'changing another organization''s activity fails as not found');

-- Direct writes are refused for every table; writes go through the functions.
select throws_ok($$ update public.teams set name = 'x' where id = 'b7000000-0000-4000-8000-00000000000b' $$,
  '42501', null, 'a member cannot update another organization''s team directly');
select throws_ok($$ update public.teams set name = 'x' where id = 'a7000000-0000-4000-8000-00000000000a' $$,
  '42501', null, 'a member cannot update even their own team directly');
select throws_ok($$ insert into public.teams (organization_id, name, size, work_mode)
    values ('b0000000-0000-4000-8000-00000000000b', 'x', 2, 'remote') $$,
  '42501', null, 'a member cannot insert a team directly');
select throws_ok($$ delete from public.jobs $$, '42501', null, 'a member cannot delete jobs directly');
select throws_ok($$ select * from public.claim_jobs('intruder') $$, '42501', null,
  'a member cannot run the worker functions');
select throws_ok($$ select * from public.idempotency_keys $$, '42501', null,
  'a member cannot read idempotency records');

-- Writes through the functions, within the member's own organization.
select is((public.create_team('a0000000-0000-4000-8000-00000000000a', 'Platform',
    '{"size": 6, "work_mode": "hybrid", "goals": ["trust"], "industry": "Software"}')).organization_id,
  'a0000000-0000-4000-8000-00000000000a'::uuid, 'a member creates a team in their organization');
select throws_ok($$ select public.create_team('a0000000-0000-4000-8000-00000000000a', 'Bad',
    '{"size": 6, "work_mode": "hybrid", "colour": "red"}') $$,
  'P0001', 'invalid_input', 'an unknown profile field is refused');
select is((public.update_team('a7000000-0000-4000-8000-00000000000a', null, '{"size": 9}')).size, 9,
  'a member updates a profile field and keeps the others');
select is((public.set_team_activity_status('aa000000-0000-4000-8000-00000000000a', 'planned')).status, 'planned',
  'a member plans a suggested activity');
select throws_ok($$ select public.set_team_activity_status('aa000000-0000-4000-8000-00000000000a', 'planned') $$,
  'P0001', 'invalid_transition', 'planned to planned is not a transition');
select throws_ok($$ select public.delete_team('a7000000-0000-4000-8000-00000000000a') $$,
  'P0001', 'forbidden', 'a member who is not an admin cannot delete a team');

-- A token's organization claim grants nothing by itself.
set local request.jwt.claims to '{"sub": "user_pgtap_a_member", "org_id": "org_pgtap_b", "o": {"id": "org_pgtap_b"}}';
select is_empty('select 1 from public.teams where organization_id = ''b0000000-0000-4000-8000-00000000000b''',
  'a token naming another organization does not reveal its teams: membership is read from the database');

set local request.jwt.claims to '{"sub": "user_pgtap_nobody"}';
select is_empty('select 1 from public.organizations', 'a signed-in user without memberships sees no organization');

set local request.jwt.claims to '{}';
select is_empty('select 1 from public.teams', 'a token without a subject sees no team');

-- Anonymous callers see nothing private (and not the catalog, which is for signed-in users).
set local role anon;
set local request.jwt.claims to '{"role": "anon"}';
select throws_ok('select * from public.teams', '42501', null, 'anon cannot read teams');
select throws_ok('select * from public.jobs', '42501', null, 'anon cannot read jobs');
select throws_ok('select * from public.public_activities', '42501', null, 'anon cannot read the catalog');

-- Losing access takes effect at once.
reset role;
do $$
begin
  perform public.clerk_upsert_membership('org_pgtap_a', 'user_pgtap_a_member', 'org:member', now() + interval '1 minute',
    true);
end
$$;
set local role authenticated;
set local request.jwt.claims to '{"sub": "user_pgtap_a_member"}';
select is_empty('select 1 from public.teams', 'a removed member sees no team of the organization at once');

-- An admin deletes a team; the storage paths of its materials come back for removal.
set local request.jwt.claims to '{"sub": "user_pgtap_a_admin"}';
select results_eq($$ select p like 'a0000000-0000-4000-8000-00000000000a/a7000000-0000-4000-8000-00000000000a/%-a.pdf'
    from public.delete_team('a7000000-0000-4000-8000-00000000000a') as p $$,
  array[true], 'an admin deletes a team and gets its material paths back');
select is_empty('select 1 from public.teams where id = ''a7000000-0000-4000-8000-00000000000a''',
  'the deleted team is gone');

reset role;
do $$ begin perform public.clerk_delete_organization('org_pgtap_b'); end $$;
set local role authenticated;
set local request.jwt.claims to '{"sub": "user_pgtap_b"}';
select is_empty('select 1 from public.teams', 'members of a deleted organization see nothing');

select * from finish();
rollback;
