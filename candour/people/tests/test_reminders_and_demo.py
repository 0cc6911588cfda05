"""The daily sweep reminds people about required training that is about to expire, overdue or never completed,
once each (never completed: once per reminder period), telling the line manager about training the colleague
does not hold; the demo data builds and rebuilds without duplicates."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from candour import scheduling
from candour.organisations.models import Membership
from candour.organisations.roles import Role
from candour.people import services
from candour.people.models import (
    PeopleSettings,
    PracticalExample,
    SupportRecord,
    TrainingCompletion,
    TrainingModule,
    TrainingReminder,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


EXPIRY_KINDS = ("expiring", "overdue")


def reminders(kinds=EXPIRY_KINDS):
    return set(
        TrainingReminder.objects.filter(kind__in=kinds).values_list("user__username", "module__code", "due_on", "kind")
    )


def missing_reminders(username=None):
    """(username, module code, sent on) of each reminder about training never completed."""
    rows = TrainingReminder.objects.filter(kind="missing")
    if username:
        rows = rows.filter(user__username=username)
    return sorted(rows.values_list("user__username", "module__code", "due_on"))


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
    assert services.record_training_reminders(TODAY) == {"expiring": 0, "overdue": 0, "missing": 0}
    assert len(reminders()) == 2


def test_each_reminder_is_queued_as_an_email_once(agency, member, complete):
    from candour.notifications.models import Message

    handler = member(Role.COMPLAINT_HANDLER, agency, "handler")
    handler.email = "handler@agency.gov.uk"
    handler.save()
    complete(handler, "early-resolution", datetime.date(2024, 2, 1))
    services.record_training_reminders(TODAY)
    services.record_training_reminders(TODAY)
    [message] = Message.objects.filter(subject__contains="expired")
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
    handler = member(Role.COMPLAINT_HANDLER, agency)
    complete(handler, "early-resolution", datetime.date(2024, 1, 1))
    never_done = TrainingModule.objects.filter(organisation=agency).exclude(code="early-resolution")
    never_done = [m for m in never_done if Role.COMPLAINT_HANDLER in m.required_for_roles]
    assert sweep.function() == f"0 expiring, 1 overdue, {len(never_done)} not completed"
    assert sweep.function() == "0 expiring, 0 overdue, 0 not completed"


def test_required_training_never_completed_is_reminded_once_across_sweeps(agency, member, make_user):
    from candour.notifications.models import Message

    manager = make_user("manager", email="manager@agency.gov.uk", first_name="Gwen", last_name="Price")
    handler = member(Role.COMPLAINT_HANDLER, agency, "handler")
    handler.email, handler.first_name, handler.last_name, handler.line_manager = (
        "h@agency.gov.uk",
        "Ifan",
        "Hughes",
        manager,
    )
    handler.save()
    services.record_training_reminders(TODAY)
    services.record_training_reminders(TODAY + datetime.timedelta(days=1))
    sent = [code for _user, code, _on in missing_reminders("handler")]
    assert sorted(sent) == sorted(set(sent))  # one reminder per module, not one per sweep
    assert "early-resolution" in sent and "investigating-complaints" not in sent  # only what the role requires
    to_colleague = Message.objects.filter(
        recipient="h@agency.gov.uk", subject="You have not completed Early resolution training"
    )
    to_manager = Message.objects.filter(
        recipient="manager@agency.gov.uk", subject="Ifan Hughes has not completed Early resolution training"
    )
    assert to_colleague.count() == 1 and to_manager.count() == 1
    assert "you have not completed it yet" in to_colleague.get().body_text
    assert "because you are their line manager" in to_manager.get().body_text
    assert f"/staff/people/colleagues/{handler.pk}/" in to_manager.get().body_text


def test_a_reminder_about_training_never_completed_is_repeated_once_each_reminder_period(agency, member):
    PeopleSettings.objects.filter(organisation=agency).update(reminder_days=14)
    member(Role.COMPLAINT_HANDLER, agency, "handler")
    for day in range(0, 29):  # a sweep every day for four weeks
        services.record_training_reminders(TODAY + datetime.timedelta(days=day))
    assert [on for _u, code, on in missing_reminders("handler") if code == "early-resolution"] == [
        TODAY,
        TODAY + datetime.timedelta(days=14),
        TODAY + datetime.timedelta(days=28),
    ]


def test_a_colleague_who_has_completed_the_training_is_not_reminded(agency, member, complete):
    handler = member(Role.COMPLAINT_HANDLER, agency, "handler")
    complete(handler, "early-resolution", TODAY - datetime.timedelta(days=10))
    services.record_training_reminders(TODAY)
    assert "early-resolution" not in [code for _u, code, _on in missing_reminders("handler")]
    other = member(Role.COMPLAINT_HANDLER, agency, "other")
    services.record_training_reminders(TODAY)
    complete(other, "final-responses", TODAY)  # completed after the first reminder: no second one
    services.record_training_reminders(TODAY + datetime.timedelta(days=60))
    assert [on for _u, code, on in missing_reminders("other") if code == "final-responses"] == [TODAY]


def test_a_new_role_that_requires_more_training_brings_one_reminder_for_each_new_module(tree, agency, member):
    from candour.organisations import services as org_services

    handler = member(Role.COMPLAINT_HANDLER, agency, "handler")
    services.record_training_reminders(TODAY)
    before = set(missing_reminders("handler"))
    org_services.add_membership(actor=None, user=handler, organisation=tree["team"], role=Role.INVESTIGATOR)
    services.record_training_reminders(TODAY + datetime.timedelta(days=1))
    services.record_training_reminders(TODAY + datetime.timedelta(days=2))
    added = set(missing_reminders("handler")) - before
    assert added == {
        ("handler", "investigating-complaints", TODAY + datetime.timedelta(days=1)),
        ("handler", "remedies", TODAY + datetime.timedelta(days=1)),
    }


def test_inactive_modules_and_former_colleagues_get_no_reminders(agency, member, module):
    handler = member(Role.COMPLAINT_HANDLER, agency, "handler")
    TrainingModule.objects.filter(pk=module("early-resolution").pk).update(active=False)
    leaver = member(Role.COMPLAINT_HANDLER, agency, "leaver")
    leaver.is_active = False
    leaver.save()
    services.record_training_reminders(TODAY)
    assert "early-resolution" not in [code for _u, code, _on in missing_reminders(handler.username)]
    assert missing_reminders("leaver") == []


def test_the_line_manager_hears_about_expired_training_but_not_training_that_expires_soon(
    agency, member, make_user, complete
):
    from candour.notifications.models import Message

    manager = make_user("manager", email="manager@agency.gov.uk")
    handler = member(Role.COMPLAINT_HANDLER, agency, "handler")
    handler.line_manager = manager
    handler.save()
    complete(handler, "challenging-conversations", datetime.date(2025, 3, 20))  # expires soon
    complete(handler, "early-resolution", datetime.date(2024, 2, 1))  # expired
    services.record_training_reminders(TODAY)
    subjects = set(Message.objects.filter(recipient="manager@agency.gov.uk").values_list("subject", flat=True))
    assert "handler’s Early resolution training has expired" in subjects
    assert not any("Managing challenging" in subject for subject in subjects)


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
