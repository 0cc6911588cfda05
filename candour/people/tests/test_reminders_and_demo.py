"""The daily sweep reminds people about training that is about to expire or overdue, once each; the demo
data builds and rebuilds without duplicates."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from candour import scheduling
from candour.organisations.models import Membership
from candour.organisations.roles import Role
from candour.people import services
from candour.people.models import PracticalExample, SupportRecord, TrainingCompletion, TrainingReminder

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def reminders():
    return set(TrainingReminder.objects.values_list("user__username", "module__code", "due_on", "kind"))


def test_the_sweep_records_expiring_and_overdue_training_once(agency, member, complete):
    handler = member(Role.COMPLAINT_HANDLER, agency, "handler")
    complete(handler, "challenging-conversations", datetime.date(2025, 3, 20))  # expires 20 March 2026: soon
    complete(handler, "early-resolution", datetime.date(2024, 2, 1))  # expired 1 February 2026: overdue
    complete(handler, "final-responses", datetime.date(2025, 6, 1))  # June 2027: nothing to say
    services.record_training_reminders(TODAY)
    assert reminders() == {
        ("handler", "challenging-conversations", datetime.date(2026, 3, 20), "expiring"),
        ("handler", "early-resolution", datetime.date(2026, 2, 1), "overdue"),
    }
    assert services.record_training_reminders(TODAY) == {"expiring": 0, "overdue": 0}
    assert TrainingReminder.objects.count() == 2


def test_each_reminder_is_queued_as_an_email_once(agency, member, complete):
    from candour.notifications.models import Message

    handler = member(Role.COMPLAINT_HANDLER, agency, "handler")
    handler.email = "handler@agency.gov.uk"
    handler.save()
    complete(handler, "early-resolution", datetime.date(2024, 2, 1))
    services.record_training_reminders(TODAY)
    services.record_training_reminders(TODAY)
    [message] = Message.objects.all()
    assert message.recipient == "handler@agency.gov.uk"
    assert message.subject == "Your Early resolution training has expired"
    assert "expired on 1 February 2026" in message.body_text


def test_renewed_training_and_training_no_longer_required_are_left_alone(agency, member, complete):
    handler = member(Role.COMPLAINT_HANDLER, agency, "handler")
    complete(handler, "early-resolution", datetime.date(2024, 2, 1))
    complete(handler, "early-resolution", datetime.date(2026, 1, 20))  # renewed
    complete(handler, "governance-senior-leaders", datetime.date(2023, 1, 1))  # not required of a handler
    services.record_training_reminders(TODAY)
    assert reminders() == set()


def test_the_sweep_is_registered_to_run_daily(agency, member, complete):
    sweep = scheduling.REGISTRY["people.training_reminders"]
    assert sweep.every == scheduling.DAILY
    complete(member(Role.COMPLAINT_HANDLER, agency), "early-resolution", datetime.date(2024, 1, 1))
    assert sweep.function() == "0 expiring, 1 overdue"


def test_the_demo_has_people_data_and_can_be_built_twice(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", "--complaints", "40", stdout=StringIO())
    counts = (TrainingCompletion.objects.count(), PracticalExample.objects.count(), SupportRecord.objects.count())
    call_command("seed_demo", "--complaints", "40", stdout=StringIO())
    assert counts == (
        TrainingCompletion.objects.count(),
        PracticalExample.objects.count(),
        SupportRecord.objects.count(),
    )
    assert counts[0] > 10 and counts[1] == 2 and counts[2] == 1
    assert PracticalExample.objects.filter(approved_for_reports=True).count() == 1
    vla_investigator = Membership.objects.get(user__username="vla.investigator").user
    from django.utils import timezone

    gate = services.check_investigator_training(
        organisation=Membership.objects.get(user__username="vla.investigator").organisation,
        user=vla_investigator,
        on_date=timezone.localdate(),
    )
    assert gate.allowed and gate.warning is None
