import datetime

import pytest
from django.core.exceptions import ValidationError

from candour.audit.models import AuditEvent
from candour.organisations import selectors, services
from candour.organisations.models import Kind, Organisation

pytestmark = pytest.mark.django_db


def test_tree_paths_make_subtrees_one_query(tree, django_assert_num_queries):
    assert tree["team"].path == f"/{tree['dept'].pk}/{tree['agency'].pk}/{tree['team'].pk}/"
    with django_assert_num_queries(1):
        names = sorted(o.slug for o in selectors.subtree(tree["agency"]))
    assert names == ["agency", "agency-team"]
    assert {o.slug for o in selectors.bodies_in_subtree(tree["dept"])} == {"dept", "agency", "sibling"}


def test_a_team_needs_a_parent_and_inherits_its_nation(tree):
    with pytest.raises(ValidationError):
        services.create_organisation(actor=None, slug="orphan", name="Orphan", kind=Kind.TEAM)
    assert tree["team"].nation == "wales"
    assert selectors.body_of(tree["team"]) == tree["agency"]
    assert selectors.body_of(tree["agency"]) == tree["agency"]


def test_only_public_bodies_appear_as_places_to_complain(tree):
    slugs = [o.slug for o in selectors.complaint_accepting_organisations()]
    assert slugs == ["agency", "dept", "sibling"]


def test_changing_timescales_is_validated_and_audited(tree, make_user):
    actor = make_user()
    services.update_organisation(actor=actor, organisation=tree["agency"], stage1_response_days=10)
    assert Organisation.objects.get(pk=tree["agency"].pk).stage1_response_days == 10
    event = AuditEvent.objects.filter(verb="updated", object_id=str(tree["agency"].pk)).get()
    assert event.actor == actor
    assert event.changes == {"fields": ["stage1_response_days"]}
    with pytest.raises(ValidationError):
        services.update_organisation(actor=actor, organisation=tree["agency"], acknowledge_days=0)
    with pytest.raises(ValueError):
        services.update_organisation(actor=actor, organisation=tree["agency"], path="/x/")


def test_closure_days_move_deadlines_and_are_audited(tree):
    agency = tree["agency"]
    # Friday 2026-12-18 + 3 working days: Mon 21, Tue 22, Wed 23.
    assert selectors.calendar_for(agency).add_working_days(datetime.date(2026, 12, 18), 3) == datetime.date(
        2026, 12, 23
    )
    day = services.add_closure_day(actor=None, organisation=agency, date=datetime.date(2026, 12, 22), reason="Move")
    assert selectors.calendar_for(agency).add_working_days(datetime.date(2026, 12, 18), 3) == datetime.date(
        2026, 12, 24
    )
    with pytest.raises(ValidationError):
        services.add_closure_day(actor=None, organisation=agency, date=datetime.date(2026, 12, 22), reason="Again")
    services.remove_closure_day(actor=None, closure_day=day)
    assert list(AuditEvent.objects.filter(object_type="organisations.closureday").values_list("verb", flat=True)) == [
        "removed_closure_day",
        "added_closure_day",
    ]


def test_bank_holidays_follow_the_organisations_nation(tree):
    # St Andrew's Day, Monday 30 November 2026, is a bank holiday in Scotland only.
    monday = datetime.date(2026, 11, 30)
    assert not selectors.calendar_for(tree["sibling"]).is_working_day(monday)
    assert selectors.calendar_for(tree["agency"]).is_working_day(monday)


def test_membership_is_granted_once_and_audited(tree, make_user):
    user = make_user()
    first = services.add_membership(actor=None, user=user, organisation=tree["agency"], role="investigator")
    again = services.add_membership(actor=None, user=user, organisation=tree["agency"], role="investigator")
    assert first.pk == again.pk
    assert AuditEvent.objects.filter(verb="granted_role", object_id=str(first.pk)).count() == 1


def test_organisations_added_in_the_admin_get_their_tree_path_and_an_audit_event(admin_client, tree):
    from django.urls import reverse

    response = admin_client.post(
        reverse("admin:organisations_organisation_add"),
        {
            "slug": "new-team",
            "name": "New Team",
            "kind": "team",
            "parent": tree["agency"].pk,
            "nation": "wales",
            "acknowledge_days": 3,
            "stage1_response_days": 5,
            "stage2_response_days": 20,
            "closure_days-TOTAL_FORMS": 0,
            "closure_days-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    team = Organisation.objects.get(slug="new-team")
    assert team.path == f"{tree['agency'].path}{team.pk}/"
    assert AuditEvent.objects.filter(verb="created", object_id=str(team.pk)).exists()
