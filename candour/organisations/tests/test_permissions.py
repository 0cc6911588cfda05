"""For each role: what it may and may not reach, across own organisation, team, parent and sibling."""

import pytest

from candour.organisations import services
from candour.organisations.roles import Cap, Role
from candour.permissions import has_capability, organisation_ids_with

pytestmark = pytest.mark.django_db


def reach(user, cap, tree):
    ids = organisation_ids_with(user, cap)
    return {name for name, org in tree.items() if org.pk in ids}


@pytest.mark.parametrize(
    "role, cap, expected",
    [
        # A handler in the agency handles the agency's cases (and its teams'), never the parent's or a sibling's.
        (Role.COMPLAINT_HANDLER, Cap.VIEW_CASES, {"agency", "team"}),
        (Role.COMPLAINT_HANDLER, Cap.HANDLE_CASES, {"agency", "team"}),
        (Role.COMPLAINT_HANDLER, Cap.MANAGE_CASES, set()),
        (Role.COMPLAINT_HANDLER, Cap.VIEW_AUDIT, set()),
        (Role.INVESTIGATOR, Cap.INVESTIGATE, {"agency", "team"}),
        (Role.INVESTIGATOR, Cap.MANAGE_CASES, set()),
        (Role.COMPLAINTS_MANAGER, Cap.MANAGE_CASES, {"agency", "team"}),
        (Role.COMPLAINTS_MANAGER, Cap.VIEW_AUDIT, {"agency", "team"}),
        (Role.SENIOR_LEADER, Cap.GOVERN, {"agency", "team"}),
        (Role.GOVERNANCE_MEMBER, Cap.VIEW_AGGREGATES, {"agency", "team"}),
        (Role.GOVERNANCE_MEMBER, Cap.VIEW_CASES, set()),
        (Role.TRAINER, Cap.MANAGE_TRAINING, {"agency", "team"}),
        (Role.TRAINER, Cap.VIEW_CASES, set()),
    ],
)
def test_agency_roles_reach_their_own_organisation_only(member, tree, role, cap, expected):
    user = member(role, tree["agency"])
    assert reach(user, cap, tree) == expected


def test_parent_oversight_reaches_the_whole_subtree_in_aggregate_only(member, tree):
    user = member(Role.PARENT_OVERSIGHT, tree["dept"])
    assert reach(user, Cap.VIEW_AGGREGATES, tree) == {"dept", "agency", "sibling", "team"}
    assert reach(user, Cap.VIEW_CASES, tree) == set()


def test_a_department_handler_does_not_reach_related_organisations(member, tree):
    user = member(Role.COMPLAINT_HANDLER, tree["dept"])
    assert reach(user, Cap.VIEW_CASES, tree) == {"dept"}


def test_a_team_membership_reaches_the_body_it_belongs_to(member, tree):
    user = member(Role.COMPLAINT_HANDLER, tree["team"])
    assert reach(user, Cap.VIEW_CASES, tree) == {"agency", "team"}


def test_system_admin_manages_the_subtree_but_sees_no_cases(member, tree):
    user = member(Role.SYSTEM_ADMIN, tree["dept"])
    assert reach(user, Cap.MANAGE_ORGANISATION, tree) == {"dept", "agency", "sibling", "team"}
    assert reach(user, Cap.VIEW_CASES, tree) == set()


def test_inactive_and_anonymous_users_reach_nothing(member, tree, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    user = member(Role.COMPLAINTS_MANAGER, tree["agency"])
    user.is_active = False
    assert organisation_ids_with(user, Cap.VIEW_CASES) == frozenset()
    assert organisation_ids_with(AnonymousUser(), Cap.VIEW_CASES) == frozenset()


def test_removing_a_membership_takes_effect_at_once(member, tree):
    user = member(Role.COMPLAINT_HANDLER, tree["agency"])
    assert has_capability(user, Cap.VIEW_CASES, tree["agency"].pk)
    services.remove_membership(actor=None, membership=user.memberships.get())
    assert not has_capability(user, Cap.VIEW_CASES, tree["agency"].pk)


def test_rules_object_permissions_follow_the_objects_organisation(member, tree):
    class Case:
        def __init__(self, organisation):
            self.organisation_id = organisation.pk

    user = member(Role.COMPLAINT_HANDLER, tree["agency"])
    assert user.has_perm("complaints.view", Case(tree["agency"]))
    assert not user.has_perm("complaints.view", Case(tree["sibling"]))
    assert not user.has_perm("complaints.manage", Case(tree["agency"]))
    assert not user.has_perm("organisations.view_dashboard", tree["agency"])
