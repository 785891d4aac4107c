begin;
create extension if not exists pgtap with schema extensions;
select plan(19);

-- Svix ids: the first delivery is new, a replay is not.
select is(public.record_webhook_event('msg_pgtap_1', 'user.created'), true, 'the first delivery of a Svix id is new');
select is(public.record_webhook_event('msg_pgtap_1', 'user.created'), false, 'a replayed Svix id is recognised');

-- Organizations: newest event wins, deletion is final.
select isnt(public.clerk_upsert_organization('org_pgtap_sync', 'Acme', 'paid', '2026-01-01 10:00:00+00'), null,
  'an organization event creates the organization');
select is(public.clerk_upsert_organization('org_pgtap_sync', 'Old name', 'free', '2026-01-01 09:00:00+00'),
  (select id from public.organizations where clerk_org_id = 'org_pgtap_sync'),
  'a late, older event still returns the organization');
select results_eq($$ select name, plan from public.organizations where clerk_org_id = 'org_pgtap_sync' $$,
  $$ values ('Acme'::text, 'paid'::text) $$, 'an older event arriving late changes nothing');
do $$ begin perform public.clerk_upsert_organization('org_pgtap_sync', 'Acme Ltd', 'free', '2026-01-01 11:00:00+00'); end $$;
select results_eq($$ select name, plan from public.organizations where clerk_org_id = 'org_pgtap_sync' $$,
  $$ values ('Acme Ltd'::text, 'free'::text) $$, 'a newer event updates name and plan');
select throws_ok($$ select public.clerk_upsert_organization('org_pgtap_sync', 'x', 'gold') $$,
  'P0001', 'invalid_input', 'an unknown plan is refused');

do $$ begin perform public.clerk_delete_organization('org_pgtap_sync', '2026-01-02 00:00:00+00'); end $$;
select is(public.clerk_upsert_organization('org_pgtap_sync', 'Back', 'paid', '2026-01-03 00:00:00+00'), null,
  'an event after deletion does not resurrect the organization');
select isnt((select deleted_at from public.organizations where clerk_org_id = 'org_pgtap_sync'), null,
  'the organization stays deleted');

do $$ begin perform public.clerk_delete_organization('org_pgtap_never_seen', '2026-01-02 00:00:00+00'); end $$;
select is(public.clerk_upsert_organization('org_pgtap_never_seen', 'Late', 'free', '2026-01-01 00:00:00+00'), null,
  'a creation arriving after the deletion of an unseen organization does not create it');

-- Memberships: may arrive first; newest event wins; removal is immediate.
select is(public.clerk_upsert_membership('org_pgtap_m', 'user_pgtap_m', 'org:admin', '2026-01-01 10:00:00+00'), true,
  'a membership arriving before its organization and user is applied');
select is((select role from public.organization_members m join public.users u on u.id = m.user_id
           where u.clerk_user_id = 'user_pgtap_m'), 'admin', 'org:admin maps to admin');
select is(public.clerk_upsert_membership('org_pgtap_m', 'user_pgtap_m', 'org:admin', '2026-01-01 12:00:00+00', true),
  true, 'a removal is applied');
select is(public.clerk_upsert_membership('org_pgtap_m', 'user_pgtap_m', 'org:member', '2026-01-01 11:00:00+00'), false,
  'a creation older than the removal is ignored');

-- is_org_member reads the caller from request.jwt.claims; the organization id is looked up beforehand.
set local request.jwt.claims to '{"sub": "user_pgtap_m"}';
select is(public.is_org_member((select id from public.organizations where clerk_org_id = 'org_pgtap_m')), false,
  'the removed member has no access');

select is(public.clerk_upsert_membership('org_pgtap_m', 'user_pgtap_m', 'member', '2026-01-01 13:00:00+00'), true,
  'a newer creation restores the membership');
select is(public.is_org_member((select id from public.organizations where clerk_org_id = 'org_pgtap_m')), true,
  'the restored member has access');

do $$ begin perform public.clerk_delete_user('user_pgtap_m', '2026-01-01 14:00:00+00'); end $$;
select is(public.clerk_upsert_user('user_pgtap_m', 'm@example.com', 'M', '2026-01-01 15:00:00+00'), null,
  'a deleted user is not resurrected by a later event');
select is(public.is_org_member((select id from public.organizations where clerk_org_id = 'org_pgtap_m')), false,
  'a deleted user''s memberships grant nothing');

select * from finish();
rollback;
