"""E-mails to the complainant: acknowledgement, extension, the response letter — once each, never for
anonymous complaints or those without an address, and never blocking the change they are about."""

import datetime

import pytest
import time_machine
from django.db import transaction

from candour.complaints import notify, services, signals
from candour.complaints.models import Channel, Complaint
from candour.complaints.services import PointInput
from candour.complaints.tests.outbox import Outbox
from candour.organisations.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def outbox():
    return Outbox()


def make(tree, **fields):
    fields.setdefault("complainant_name", "Alex Example")
    fields.setdefault("complainant_email", "alex@example.com")
    complaint, _ = services.create_complaint(
        actor=None,
        organisation=tree["agency"],
        channel=Channel.ONLINE,
        description="Licence delayed",
        points=[PointInput("The delay", "An apology")],
        **fields,
    )
    return complaint


def acknowledge(complaint, actor=None, name="acknowledge"):
    """Acknowledge through the service and send the signal as `services.transition` will (see the report)."""
    with transaction.atomic():
        moved = services.transition(actor=actor, complaint=complaint, name=name)
        signals.complaint_transitioned.send(
            sender=Complaint, complaint=moved, name=name, from_status="received", to_status=moved.status, actor=actor
        )
    return moved


def test_the_complainant_is_acknowledged_once(tree, outbox):
    complaint = make(tree)
    moved = acknowledge(complaint)
    # The same signal again (a retry, or services.transition sending it too) queues nothing more.
    signals.complaint_transitioned.send(
        sender=Complaint, complaint=moved, name="acknowledge", from_status="received", to_status="acknowledged",
        actor=None,
    )  # fmt: skip
    [message] = outbox.all()
    assert message.to == "alex@example.com" and message.template == "acknowledgement"
    assert message.key == f"complaint:{complaint.pk}:acknowledgement"
    assert complaint.reference in message.text and "Agency" in message.text


def test_going_straight_to_early_resolution_acknowledges_too(tree, outbox):
    acknowledge(make(tree), name="start_early_resolution")
    assert [m.template for m in outbox.all()] == ["acknowledgement"]


def test_a_welsh_complaint_is_written_to_in_welsh(tree, outbox):
    complaint = make(tree, language="cy")
    acknowledge(complaint)
    services.extend(
        actor=None, complaint=complaint, new_due=datetime.date(2026, 3, 24), reason="Records", complainant_agreed=True
    )
    acknowledgement, extension = outbox.all()
    assert acknowledgement.language == extension.language == "cy"
    assert "Rydym wedi cael eich cwyn" in acknowledgement.text and "17 Mawrth 2026" in acknowledgement.text
    assert "24 Mawrth 2026" in extension.text and "Annwyl Alex Example" in extension.text


def test_anonymous_complaints_and_those_without_an_address_get_no_email(tree, outbox):
    acknowledge(make(tree, is_anonymous=True, complainant_name="", complainant_email=""))
    acknowledge(make(tree, complainant_email="", preferred_contact="phone", complainant_phone="0123"))
    assert outbox.all() == []


def test_an_address_that_cannot_be_sent_to_does_not_stop_the_extension(tree, outbox, caplog):
    complaint = make(tree)
    # An address imported before validation existed: the outbox refuses it.
    Complaint.objects.filter(pk=complaint.pk).update(complainant_email="not an address")
    complaint.refresh_from_db()
    services.extend(
        actor=None, complaint=complaint, new_due=datetime.date(2026, 3, 24), reason="Records", complainant_agreed=True
    )
    assert Complaint.objects.get(pk=complaint.pk).stage1_extended
    assert complaint.extensions.count() == 1
    assert outbox.all() == [] and "Could not queue" in caplog.text


def test_an_extension_tells_the_complainant_the_new_date_and_at_stage_2_the_ombudsman(tree, outbox, member):
    handler = member(Role.COMPLAINT_HANDLER, tree["agency"])
    investigator = member(Role.INVESTIGATOR, tree["agency"])
    complaint = make(tree)
    services.extend(
        actor=handler, complaint=complaint, new_due=datetime.date(2026, 3, 24), reason="We are waiting for records",
        complainant_agreed=True,
    )  # fmt: skip
    services.assign(actor=handler, complaint=complaint, user=handler, stage=1)
    services.transition(actor=handler, complaint=complaint, name="acknowledge")
    services.transition(
        actor=handler,
        complaint=complaint,
        name="escalate",
        reason="Unhappy",
        investigator=investigator,
        declaration=services.Declaration(has_conflict=False),
    )
    complaint.refresh_from_db()
    services.extend(
        actor=investigator, complaint=complaint, new_due=complaint.stage2_due + datetime.timedelta(days=7),
        reason="A witness is away", complainant_agreed=True,
    )  # fmt: skip
    stage1, stage2 = [m for m in outbox.all() if ":extension:" in m.key]
    assert "24 March 2026" in stage1.text and "waiting for records" in stage1.text
    assert "Ombudsman" not in stage1.text
    assert "Ombudsman" in stage2.text and "Member of Parliament" in stage2.text


def issue(complaint, delivery_method):
    services.transition(actor=None, complaint=complaint, name="start_early_resolution")
    services.update_point(actor=None, point=complaint.points.get(), outcome="not_upheld")
    response = services.save_response(
        actor=None,
        complaint=complaint,
        outcome="not_upheld",
        understanding="u",
        what_was_investigated="w",
        how_it_was_investigated="h",
        decision_reasoning="d",
        impact="i",
        what_will_happen="n",
    )
    return services.issue_response(
        actor=None,
        response=response,
        delivery_method=delivery_method,
        letter_html="<p>Dear Alex,</p><p>We looked into your complaint &amp; found no fault.</p>",
    )


def test_an_emailed_response_sends_the_letter(tree, outbox):
    complaint = make(tree)
    response = issue(complaint, "email")
    [message] = [m for m in outbox.all() if ":response:" in m.key]
    assert message.key == f"complaint:{complaint.pk}:response:{response.pk}"
    assert "We looked into your complaint & found no fault." in message.text
    assert "<p>" not in message.text


def test_a_posted_response_is_not_emailed(tree, outbox):
    issue(make(tree), "post")
    assert [m for m in outbox.all() if ":response:" in m.key] == []


def test_letters_become_paragraphs():
    assert notify.letter_paragraphs("<h1>Our response</h1><p>One<br>two</p>\n<ul><li>a</li><li>b</li></ul>") == [
        "Our response", "One\ntwo", "a", "b",
    ]  # fmt: skip


def test_the_hooks_are_wired_at_start_up():
    assert notify.extension in services.EXTENSION_HOOKS and notify.response in services.RESPONSE_HOOKS
    assert signals.complaint_transitioned.has_listeners(Complaint)


def test_bulk_work_can_suppress_complaint_emails(tree, outbox):
    with notify.suppressed():
        acknowledge(make(tree))
    assert outbox.all() == []
    acknowledge(make(tree))
    assert len(outbox.all()) == 1
