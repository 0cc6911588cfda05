"""Governance selectors, aggregates in SQL, and who sees what: the organisation sees its actions, its
parent department only in aggregate."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from candour.learning import selectors, services
from candour.learning.models import ImprovementAction
from candour.organisations.roles import Cap
from candour.permissions import organisation_ids_with

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def action(people, tree):
    return services.create_action(
        actor=people["manager"], organisation=tree["agency"], description="Fix the payment page.",
        senior_owner=people["leader"], delivery_owner=people["handler"], due_date=D(2026, 1, 31),
    )  # fmt: skip


def test_action_summary_counts_by_status_and_overdue(action, people, tree):
    services.create_action(actor=people["manager"], organisation=tree["agency"], description="Later.",
                           due_date=D(2026, 12, 31))  # fmt: skip
    summary = selectors.action_summary([tree["agency"].pk, tree["sibling"].pk], D(2026, 2, 10))
    assert summary == [{
        "organisation_id": tree["agency"].pk, "organisation": "Agency", "open": 2, "overdue": 1, "done": 0,
        "verified_effective": 0, "verified_not_effective": 0, "total": 2,
    }]  # fmt: skip
    assert list(selectors.overdue_actions([tree["agency"].pk], D(2026, 2, 10))) == [action]
    assert list(selectors.overdue_actions([tree["agency"].pk], D(2026, 1, 31))) == []


def test_parent_oversight_sees_actions_in_aggregate_only(action, people, tree, client):
    oversight = people["oversight"]
    ids = selectors.learning_organisation_ids(oversight)
    assert tree["agency"].pk in ids and tree["sibling"].pk in ids
    assert selectors.action_summary(ids, D(2026, 2, 10))[0]["open"] == 1
    assert not selectors.actions_visible_to(oversight).exists()
    with pytest.raises(PermissionDenied):
        selectors.action_for_user(oversight, action.pk)
    client.force_login(oversight)
    assert client.get(f"/staff/learning/actions/{action.pk}/").status_code == 403
    page = client.get("/staff/learning/").content.decode()
    assert "Agency" in page and "Fix the payment page." not in page


def test_the_organisation_sees_its_actions_and_other_bodies_do_not(action, people, tree):
    assert selectors.action_for_user(people["manager"], action.pk) == action
    assert selectors.action_for_user(people["handler"], action.pk) == action  # the delivery owner
    for outsider in ("dept_manager", "sibling_manager"):
        with pytest.raises(PermissionDenied):
            selectors.action_for_user(people[outsider], action.pk)
        assert not selectors.actions_visible_to(people[outsider]).exists()
    assert tree["agency"].pk not in organisation_ids_with(people["dept_manager"], Cap.VIEW_AGGREGATES)


def _tag(make_complaint, people, cause, received_on, theme, n, **kwargs):
    for _ in range(n):
        complaint = make_complaint(received_on=received_on, **kwargs)
        services.save_learning_record(
            actor=people["handler"], complaint=complaint, what_went_wrong="Supplier change.", root_cause=cause,
            themes=[theme],
        )  # fmt: skip


def test_trends_and_an_emerging_theme_come_from_aggregate_queries(
    make_complaint, people, cause, tree, django_assert_num_queries
):
    _tag(make_complaint, people, cause, D(2025, 10, 6), "Payment page failures", 1)
    _tag(make_complaint, people, cause, D(2026, 1, 5), "Payment page failures", 6)
    _tag(make_complaint, people, cause, D(2026, 1, 7), "Letters", 2)
    ids = [tree["agency"].pk]
    rows = selectors.theme_trends(ids, D(2025, 7, 1), D(2026, 2, 1), dimensions=("theme",))
    assert [(r["name"], r["month"], r["count"]) for r in rows] == [
        ("Payment page failures", D(2025, 10, 1), 1), ("Letters", D(2026, 1, 1), 2),
        ("Payment page failures", D(2026, 1, 1), 6),
    ]  # fmt: skip
    with django_assert_num_queries(3):  # one aggregate query per dimension
        emerging = selectors.emerging_themes(ids, D(2026, 1, 20))
    # Theme and root cause ("Process": 9 this month vs 1 before) and service area (9 vs 1) all spiked.
    found = {(e["dimension"], e["name"]): (e["count"], e["previous"]) for e in emerging}
    assert found[("theme", "Payment page failures")] == (6, [0, 0, 0, 1, 0, 0])
    assert found[("root_cause", "Process")] == (8, [0, 0, 0, 1, 0, 0])
    assert ("theme", "Letters") not in found  # 2 is under the minimum of 5
    assert selectors.emerging_themes([tree["sibling"].pk], D(2026, 1, 20)) == []


@pytest.mark.parametrize(
    "received, before, after",
    [
        # change on 15 Jul 2025; today 1 Mar 2026 -> all six months after have passed
        ([D(2025, 1, 14)], 0, 0),  # before the window
        ([D(2025, 1, 15), D(2025, 7, 14)], 2, 0),  # the first and last days before the change
        ([D(2025, 7, 15), D(2026, 1, 14)], 0, 2),  # the change day and the last day after
        ([D(2026, 1, 15)], 0, 0),  # after the window
    ],
)
def test_impact_counts_complaints_before_and_after_in_sql(make_complaint, people, tree, area, received, before, after):
    other = make_complaint(received_on=D(2025, 3, 3), service_area=None)  # another service area: never counted
    assert other.service_area is None
    for day in received:
        make_complaint(received_on=day)
    action = services.create_action(
        actor=people["manager"], organisation=tree["agency"], description="Fix.", service_area=area,
        evidence="Released.",
    )  # fmt: skip
    for name in ("agree", "start"):
        ImprovementAction.objects.filter(pk=action.pk).update(
            senior_owner=people["leader"], delivery_owner=people["handler"], due_date=D(2025, 8, 1)
        )
        services.transition_action(actor=people["manager"], action=action, name=name)
    action = services.transition_action(actor=people["manager"], action=action, name="complete", on=D(2025, 7, 15))
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)):
        figures = selectors.impact(action, D(2026, 3, 1))
    assert (figures["before"], figures["after"], figures["months_after"]) == (before, after, 6)
    assert figures["before_rate"] == round(before / 6, 1) and figures["after_rate"] == round(after / 6, 1)


def test_impact_by_theme_counts_each_complaint_once_and_waits_for_whole_months(make_complaint, people, cause, tree):
    _tag(make_complaint, people, cause, D(2025, 12, 1), "Payment page failures", 3)
    _tag(make_complaint, people, cause, D(2026, 1, 20), "Payment page failures", 2)
    action = services.create_action(
        actor=people["manager"], organisation=tree["agency"], description="Fix.", themes=["Payment page failures"],
        senior_owner=people["leader"], delivery_owner=people["handler"], due_date=D(2026, 1, 1), evidence="Done.",
    )  # fmt: skip
    for name in ("agree", "start"):
        services.transition_action(actor=people["manager"], action=action, name=name)
    action = services.transition_action(actor=people["manager"], action=action, name="complete", on=D(2026, 1, 10))
    figures = selectors.impact(action, D(2026, 2, 5))
    assert (figures["before"], figures["before_rate"]) == (3, 0.5)
    assert (figures["after"], figures["months_after"], figures["after_rate"]) == (0, 0, None)  # too early to tell
    figures = selectors.impact(action, D(2026, 2, 10))
    assert (figures["after"], figures["months_after"], figures["after_rate"]) == (2, 1, 2.0)
