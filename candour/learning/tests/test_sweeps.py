"""Overdue escalation and the weekly themes e-mail, through the real outbox."""

import datetime

import pytest

from candour.learning import services, sweeps
from candour.learning.models import ImprovementAction
from candour.notifications.models import Message
from candour.scheduling import REGISTRY

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def overdue(people, tree):
    return services.create_action(
        actor=people["manager"], organisation=tree["agency"], description="Fix the payment page.",
        senior_owner=people["leader"], delivery_owner=people["handler"], due_date=D(2026, 1, 31),
    )  # fmt: skip


def _to(**filters):
    return sorted(Message.objects.filter(**filters).values_list("recipient", flat=True))


def test_sweeps_are_registered():
    assert {"learning.overdue_actions", "learning.weekly_themes"} <= set(REGISTRY)


def test_an_overdue_action_is_escalated_to_both_owners_once_a_week(overdue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        sweeps.escalate_overdue_actions(today=D(2026, 2, 2))
        sweeps.escalate_overdue_actions(today=D(2026, 2, 3))  # same week: nothing more
    assert _to() == ["handler@agency.example.gov.uk", "leader@agency.example.gov.uk"]
    message = Message.objects.first()
    assert "Improvement action" in message.subject and "2 days overdue" in message.body_text
    assert "Alex" not in message.body_text  # no complainant details
    sweeps.escalate_overdue_actions(today=D(2026, 2, 9))  # a week later: reminded again
    assert Message.objects.count() == 4
    assert ImprovementAction.objects.get(pk=overdue.pk).times_overdue == 1


def test_a_repeatedly_overdue_action_also_goes_to_the_complaints_manager(overdue, people):
    sweeps.escalate_overdue_actions(today=D(2026, 2, 2))
    assert _to(subject__contains="repeatedly") == []
    # Its owners set a new date, and miss that too.
    services.update_action(actor=people["manager"], action=overdue, due_date=D(2026, 2, 20))
    sweeps.escalate_overdue_actions(today=D(2026, 2, 23))
    assert _to(subject__contains="repeatedly") == ["manager@agency.example.gov.uk"]  # not other bodies' managers


def test_long_overdue_counts_as_repeatedly_overdue(overdue):
    sweeps.escalate_overdue_actions(today=D(2026, 3, 10))
    assert _to(subject__contains="repeatedly") == ["manager@agency.example.gov.uk"]


def test_weekly_email_tells_complaints_managers_about_emerging_themes(make_complaint, people, cause, overdue):
    for _ in range(6):
        services.save_learning_record(
            actor=people["handler"], complaint=make_complaint(received_on=D(2026, 1, 5)),
            what_went_wrong="Supplier change.", root_cause=cause, themes=["Payment page failures"],
        )  # fmt: skip
    sweeps.weekly_themes_email(today=D(2026, 2, 4))
    sweeps.weekly_themes_email(today=D(2026, 2, 5))  # same week
    message = Message.objects.get(recipient="manager@agency.example.gov.uk")
    assert "Emerging in January 2026" in message.body_text
    assert "Theme “Payment page failures”: 6 complaints" in message.body_text
    assert "Overdue improvement actions: 1." in message.body_text
    # Other bodies' managers hear about their own organisation only.
    sibling = Message.objects.get(recipient="sibling_manager@agency.example.gov.uk")
    assert "Payment page" not in sibling.body_text
