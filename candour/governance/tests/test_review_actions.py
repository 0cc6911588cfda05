"""A governance review's actions are learning improvement actions (issue 6): created through learning's service
with the named accountable owner and date, audited, tracked through learning's status machine, shown with that
status in the next pack, and counted once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from candour.audit.models import AuditEvent
from candour.governance import selectors
from candour.governance import services as gov
from candour.governance.models import ReviewAction
from candour.learning import services as learning
from candour.learning.models import ActionStatusLog, ImprovementAction
from candour.organisations.roles import Role

pytestmark = pytest.mark.django_db
D = datetime.date


HELD_ON, DUE_ON = D(2026, 1, 15), D(2026, 3, 1)


def _review(actor, organisation, owner, delivery=None, *, held_on=HELD_ON, due_on=DUE_ON):
    return gov.record_review(
        actor=actor,
        organisation=organisation,
        period_start=D(2025, 10, 1),
        period_end=D(2025, 12, 31),
        held_on=held_on,
        attendees="Chair",
        discussion="Delays discussed",
        decisions=["Fix call-backs"],
        actions=[gov.ActionInput("Build a call-back tracker", owner, due_on, delivery_owner=delivery)],
    )


def test_recording_a_review_creates_exactly_one_improvement_action_with_the_named_owner_and_date(tree, member):
    # A governance board member governs but does not manage learning: the review's own Cap.GOVERN check is
    # what authorises the improvement action.
    board = member(Role.GOVERNANCE_MEMBER, tree["agency"])
    leader = member(Role.SENIOR_LEADER, tree["agency"])
    manager = member(Role.COMPLAINTS_MANAGER, tree["team"])
    review = _review(board, tree["agency"], leader, manager)

    improvement = ImprovementAction.objects.get()
    assert improvement.organisation == tree["agency"]
    assert improvement.description == "Build a call-back tracker"
    assert (improvement.senior_owner, improvement.delivery_owner, improvement.due_date) == (
        leader,
        manager,
        D(2026, 3, 1),
    )
    assert improvement.status == "proposed"
    assert review.actions.get().improvement_action == improvement
    # Audited and logged as the person who recorded the review, not "system".
    created = AuditEvent.objects.get(verb="created_action")
    assert created.actor == board and created.object_id == str(improvement.pk)
    assert ActionStatusLog.objects.get(action=improvement).actor == board
    assert AuditEvent.objects.filter(verb="recorded_review", actor=board).exists()


def test_an_owner_from_outside_the_organisation_creates_nothing(tree, member):
    board = member(Role.GOVERNANCE_MEMBER, tree["agency"])
    outsider = member(Role.SENIOR_LEADER, tree["sibling"])
    with pytest.raises(ValidationError):
        _review(board, tree["agency"], outsider)
    assert not ImprovementAction.objects.exists() and not ReviewAction.objects.exists()


def test_the_next_pack_shows_the_actions_status_as_it_moves_through_learning(client, tree, member):
    board = member(Role.SENIOR_LEADER, tree["agency"])
    leader = member(Role.SENIOR_LEADER, tree["agency"], username="second-leader")
    manager = member(Role.COMPLAINTS_MANAGER, tree["team"])
    _review(board, tree["agency"], leader, manager, due_on=timezone.localdate() + datetime.timedelta(days=30))
    improvement = ImprovementAction.objects.get()
    client.force_login(board)

    def pack_row():
        html = client.get("/staff/governance/agency/pack/?start=2026-01-01&end=2026-03-31").content.decode()
        section = html[html.index("Actions agreed at earlier reviews") :]
        row = section[section.index("Build a call-back tracker") :]
        return row[: row.index("</tr>")]

    assert "Proposed" in pack_row()
    learning.transition_action(actor=leader, action=improvement, name="agree")
    learning.transition_action(actor=manager, action=improvement, name="start")
    assert "In progress" in pack_row()
    learning.record_evidence(actor=manager, action=improvement, evidence="Tracker live in every team")
    learning.transition_action(actor=manager, action=improvement, name="complete")
    learning.transition_action(actor=leader, action=improvement, name="verify_effective", reason="Fewer chases")
    assert "Verified effective" in pack_row()
    review_page = client.get(f"/staff/governance/agency/reviews/{ReviewAction.objects.get().review_id}/")
    assert "Verified effective" in review_page.content.decode()


def test_review_actions_are_counted_once_on_the_dashboard_and_side_by_side(tree, member):
    board = member(Role.SENIOR_LEADER, tree["agency"])
    manager = member(Role.COMPLAINTS_MANAGER, tree["team"])
    today = timezone.localdate()
    # One overdue action from a review, and one improvement action proposed in learning directly.
    _review(board, tree["agency"], board, manager, held_on=today, due_on=today - datetime.timedelta(days=1))
    learning.create_action(
        actor=board, organisation=tree["agency"], description="Shorter letters", senior_owner=board, due_date=today
    )
    assert ImprovementAction.objects.count() == 2

    figures = selectors.dashboard_figures([tree["agency"].pk], D(2025, 10, 1), today, today=today)
    assert (figures["improvement_actions"]["open"], figures["improvement_actions"]["overdue"]) == (2, 1)
    assert (figures["review_actions"]["open"], figures["review_actions"]["overdue"]) == (1, 1)  # a part, not more
    [row] = selectors.organisation_comparison([tree["agency"]], D(2025, 10, 1), today, today=today)
    assert (row["actions_open"], row["actions_overdue"]) == (1, 1)

    # Once delivered in learning it is no longer open anywhere.
    improvement = ReviewAction.objects.get().improvement_action
    learning.transition_action(actor=board, action=improvement, name="agree")
    learning.transition_action(actor=board, action=improvement, name="start")
    learning.record_evidence(actor=board, action=improvement, evidence="Done")
    learning.transition_action(actor=board, action=improvement, name="complete")
    figures = selectors.dashboard_figures([tree["agency"].pk], D(2025, 10, 1), today, today=today)
    assert (figures["improvement_actions"]["open"], figures["improvement_actions"]["done"]) == (1, 1)
    assert figures["review_actions"] == {"open": 0, "overdue": 0}
