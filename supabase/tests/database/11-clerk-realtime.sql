begin;
create extension if not exists pgtap with schema extensions;
select plan(12);

-- Realtime and the Data API run queries as the token's `role` with its claims in request.jwt.claims. With
-- Clerk as a third-party auth provider those are Clerk session tokens (v2): `sub` is the Clerk user id, `o`
-- the active organization, and `role: authenticated` is the claim added in Clerk's session token
-- customization. RLS on jobs and team_materials must hold for exactly those claims.
insert into public.organizations (id, clerk_org_id, name, plan) values
  ('a1000000-0000-4000-8000-00000000000a', 'org_rt_a', 'Realtime A', 'paid'),
  ('b1000000-0000-4000-8000-00000000000b', 'org_rt_b', 'Realtime B', 'paid');
insert into public.users (id, clerk_user_id) values
  ('1a000000-0000-4000-8000-0000000000a1', 'user_rt_a'),
  ('1b000000-0000-4000-8000-0000000000b1', 'user_rt_b'),
  ('1c000000-0000-4000-8000-0000000000c1', 'user_rt_left');
insert into public.organization_members (organization_id, user_id, role, deleted_at) values
  ('a1000000-0000-4000-8000-00000000000a', '1a000000-0000-4000-8000-0000000000a1', 'member', null),
  ('b1000000-0000-4000-8000-00000000000b', '1b000000-0000-4000-8000-0000000000b1', 'admin', null),
  ('a1000000-0000-4000-8000-00000000000a', '1c000000-0000-4000-8000-0000000000c1', 'member', now());
insert into public.teams (id, organization_id, name, size, work_mode) values
  ('a1700000-0000-4000-8000-00000000000a', 'a1000000-0000-4000-8000-00000000000a', 'Team A', 8, 'remote'),
  ('b1700000-0000-4000-8000-00000000000b', 'b1000000-0000-4000-8000-00000000000b', 'Team B', 6, 'hybrid');

set local client_min_messages to error; -- the insert trigger's wake-up is not under test here
insert into public.jobs (id, kind, organization_id, team_id) values
  ('a1e00000-0000-4000-8000-00000000000a', 'process_material', 'a1000000-0000-4000-8000-00000000000a',
   'a1700000-0000-4000-8000-00000000000a'),
  ('b1e00000-0000-4000-8000-00000000000b', 'process_material', 'b1000000-0000-4000-8000-00000000000b',
   'b1700000-0000-4000-8000-00000000000b');
reset client_min_messages;
insert into public.team_materials (id, organization_id, team_id, storage_path, filename, mime_type, size_bytes) values
  ('a1d00000-0000-4000-8000-00000000000a', 'a1000000-0000-4000-8000-00000000000a',
   'a1700000-0000-4000-8000-00000000000a',
   'a1000000-0000-4000-8000-00000000000a/a1700000-0000-4000-8000-00000000000a/a1d00000-0000-4000-8000-00000000000a-a.pdf',
   'a.pdf', 'application/pdf', 100),
  ('b1d00000-0000-4000-8000-00000000000b', 'b1000000-0000-4000-8000-00000000000b',
   'b1700000-0000-4000-8000-00000000000b',
   'b1000000-0000-4000-8000-00000000000b/b1700000-0000-4000-8000-00000000000b/b1d00000-0000-4000-8000-00000000000b-b.pdf',
   'b.pdf', 'application/pdf', 100);

select ok(
  exists (
    select 1 from pg_publication_tables
    where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'jobs'
  ),
  'jobs is in the supabase_realtime publication'
);

-- A Clerk v2 session token of a member of A, as Realtime sees it.
set local role authenticated;
set local request.jwt.claims to '{
  "iss": "https://clerk.example.com", "sub": "user_rt_a", "role": "authenticated", "azp": "http://localhost:3000",
  "sid": "sess_rt_a", "sts": "active", "v": 2, "exp": 4102444800, "iat": 1700000000, "nbf": 1700000000,
  "o": {"id": "org_rt_a", "rol": "member", "slg": "realtime-a"}
}';
select results_eq('select id from public.jobs', array['a1e00000-0000-4000-8000-00000000000a'::uuid],
  'a member of A (Clerk v2 claims, role authenticated) receives A''s jobs and no other');
select results_eq('select id from public.team_materials', array['a1d00000-0000-4000-8000-00000000000a'::uuid],
  'a member of A (Clerk v2 claims) receives A''s team materials and no other');

-- The same user with another active organization in the token: membership comes from the table, not `o`.
set local request.jwt.claims to '{
  "sub": "user_rt_a", "role": "authenticated", "v": 2, "o": {"id": "org_rt_b", "rol": "admin"}
}';
select results_eq('select id from public.jobs', array['a1e00000-0000-4000-8000-00000000000a'::uuid],
  'naming organization B in the token''s o.id grants nothing in B');
select is_empty('select id from public.team_materials where organization_id = ''b1000000-0000-4000-8000-00000000000b''',
  'nor B''s materials');

-- A v1-shaped token (org_id) behaves the same.
set local request.jwt.claims to '{"sub": "user_rt_b", "role": "authenticated", "org_id": "org_rt_b", "org_role": "org:admin"}';
select results_eq('select id from public.jobs', array['b1e00000-0000-4000-8000-00000000000b'::uuid],
  'a member of B (Clerk v1 claims) receives B''s jobs only');
select results_eq('select id from public.team_materials', array['b1d00000-0000-4000-8000-00000000000b'::uuid],
  'and B''s materials only');

-- A member who left (tombstoned membership) and a token of a user we never heard of see nothing.
set local request.jwt.claims to '{"sub": "user_rt_left", "role": "authenticated", "v": 2, "o": {"id": "org_rt_a"}}';
select is_empty('select id from public.jobs', 'a user whose membership was removed receives no jobs');
select is_empty('select id from public.team_materials', 'nor materials');
set local request.jwt.claims to '{"sub": "user_rt_unknown", "role": "authenticated", "v": 2, "o": {"id": "org_rt_a"}}';
select is_empty('select id from public.jobs', 'an unknown Clerk user receives no jobs, whatever o.id says');

-- Without `role: authenticated` in the token (Clerk not customized), the API runs as anon: no rows at all.
reset role;
set local role anon;
set local request.jwt.claims to '{"sub": "user_rt_a", "v": 2, "o": {"id": "org_rt_a"}}';
select throws_ok('select id from public.jobs', '42501', null,
  'a token without the role claim runs as anon, which may not read jobs');
select throws_ok('select id from public.team_materials', '42501', null, 'nor team materials');

select * from finish();
rollback;
