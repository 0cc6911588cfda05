"""A colleague's records are visible to them, their managers and trainers only; debriefs to them and their
managers only."""

import datetime

import pytest
from django.urls import reverse

from candour.organisations.roles import Role
from candour.people import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree, agency, member, make_user, complete):
    from candour.organisations import services as org_services

    line_manager = make_user("line-manager")
    org_services.add_membership(
        actor=None, user=line_manager, organisation=tree["sibling"], role=Role.COMPLAINT_HANDLER
    )
    colleague = make_user("colleague", first_name="Ffion", last_name="Jones", line_manager=line_manager)
    org_services.add_membership(actor=None, user=colleague, organisation=tree["team"], role=Role.COMPLAINT_HANDLER)
    complete(colleague, "early-resolution", datetime.date(2026, 1, 5))
    services.record_example(
        actor=colleague,
        organisation=agency,
        title="Raised a pattern of late letters",
        what_happened="Letters were late.",
        what_i_did="Raised it.",
        occurred_on=datetime.date(2026, 2, 1),
    )
    manager = member(Role.COMPLAINTS_MANAGER, agency)
    services.record_support(
        actor=manager,
        colleague=colleague,
        interaction_on=datetime.date(2026, 2, 2),
        debriefed_on=datetime.date(2026, 2, 3),
        interaction_kind="challenging_conversation",
        notes="Talked it through.",
        support_offered=["debrief"],
    )
    return {
        "colleague": colleague,
        "line_manager": line_manager,
        "manager": manager,
        "leader": member(Role.SENIOR_LEADER, agency),
        "trainer": member(Role.TRAINER, agency),
        "peer": member(Role.COMPLAINT_HANDLER, agency),
        "sibling_manager": member(Role.COMPLAINTS_MANAGER, tree["sibling"]),
        "sibling_trainer": member(Role.TRAINER, tree["sibling"]),
        "dept_leader": member(Role.SENIOR_LEADER, tree["dept"]),
    }


@pytest.mark.parametrize(
    "viewer, sees_training_and_examples, sees_debriefs",
    [
        ("colleague", True, True),
        ("line_manager", True, True),
        ("manager", True, True),
        ("leader", True, True),
        ("trainer", True, False),
        ("peer", False, False),
        ("sibling_manager", False, False),
        ("sibling_trainer", False, False),
        ("dept_leader", False, False),
    ],
)
def test_who_sees_a_colleagues_records(client, world, viewer, sees_training_and_examples, sees_debriefs):
    client.force_login(world[viewer])
    response = client.get(reverse("people:colleague", args=[world["colleague"].pk]))
    if not sees_training_and_examples:
        assert response.status_code == 403
        return
    page = response.content.decode()
    assert "Early resolution" in page and "Raised a pattern of late letters" in page
    assert ("Talked it through." in page) is sees_debriefs


@pytest.mark.parametrize(
    "viewer, listed", [("manager", True), ("line_manager", True), ("trainer", True), ("peer", False)]
)
def test_the_colleagues_list_shows_only_people_the_viewer_may_see(client, world, viewer, listed):
    client.force_login(world[viewer])
    response = client.get(reverse("people:colleagues"))
    assert (response.status_code == 200 and "Ffion Jones" in response.content.decode()) is listed


@pytest.mark.parametrize(
    "viewer, allowed", [("manager", True), ("line_manager", True), ("trainer", False), ("colleague", False)]
)
def test_only_managers_record_a_debrief(client, world, viewer, allowed):
    client.force_login(world[viewer])
    response = client.get(reverse("people:support-new", args=[world["colleague"].pk]))
    assert (response.status_code == 200) is allowed


def test_the_support_list_shows_debriefs_of_the_managers_colleagues_only(client, world):
    client.force_login(world["manager"])
    assert "Ffion Jones" in client.get(reverse("people:support-list")).content.decode()
    client.force_login(world["sibling_manager"])
    assert "Ffion Jones" not in client.get(reverse("people:support-list")).content.decode()


def test_support_counts_for_governance_have_no_names(world, agency):
    from candour.people.selectors import support_counts

    counts = support_counts([agency.pk], datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert counts == [
        {
            "organisation_id": agency.pk,
            "organisation": "Agency",
            "debriefs": 1,
            "colleagues_supported": 1,
            "by_interaction": {"challenging_conversation": 1},
            "by_support": {"debrief": 1},
        }
    ]
    assert support_counts([agency.pk], datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)) == []
