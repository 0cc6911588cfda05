"""Complaints in every state, made through the complaint services, for the privacy tests."""

import datetime
import hashlib
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from candour.complaints import services
from candour.complaints.models import Attachment
from candour.complaints.services import SEVEN_ELEMENTS, PointInput

PERSON = {
    "complainant_name": "Ada Lovelace",
    "complainant_email": "ada@example.com",
    "complainant_phone": "07700 900123",
    "complainant_address": "1 Analytical Street, London",
    "reasonable_adjustments": "Large print, please: I have a visual impairment.",
}


def complaint(organisation, *, received_on, channel="online", person=None, points=2, **fields):
    made, _ = services.create_complaint(
        actor=None,
        organisation=organisation,
        channel=channel,
        received_on=received_on,
        description="Ada Lovelace's licence letter went to 2 Other Road; she missed her appointment.",
        summary="Ada's licence letter was lost",
        points=[PointInput(f"Point {n} about Ada's letter", "An apology") for n in range(1, points + 1)],
        **(PERSON if person is None else person),
        **fields,
    )
    return made


def attach(complaint, content=b"scan of Ada's letter", name="ada-letter.pdf"):
    stored = f"attachments/{complaint.pk}-{hashlib.sha256(content).hexdigest()[:16]}"
    default_storage.save(stored, ContentFile(content))
    return Attachment.objects.create(
        complaint=complaint,
        stored_name=stored,
        original_name=name,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        from_complainant=True,
    )


def responded(complaint, *, on, outcome="upheld", remedy_amount=None, close_on=None):
    """Early resolution with a complete response issued on `on`, optionally closed on `close_on`."""
    services.transition(actor=None, complaint=complaint, name="acknowledge", on=complaint.received_on)
    services.transition(actor=None, complaint=complaint, name="start_early_resolution", on=complaint.received_on)
    for point in complaint.points.all():
        services.update_point(actor=None, point=point, outcome=outcome, finding="Ada's letter was misaddressed.")
    response = services.save_response(
        actor=None,
        complaint=complaint,
        outcome=outcome,
        apology="We are sorry, Ms Lovelace.",
        **{name: f"{name} for Ada Lovelace" for name, _ in SEVEN_ELEMENTS if name != "next_steps"},
    )
    if remedy_amount:
        services.add_remedy(
            actor=None,
            complaint=complaint,
            type="financial",
            description="For Ada's costs",
            amount=Decimal(remedy_amount),
        )
    services.add_remedy(actor=None, complaint=complaint, type="apology", description="Apology to Ada")
    services.issue_response(
        actor=None, response=response, delivery_method="email", letter_html="<p>Dear Ada</p>", on=on
    )
    complaint.refresh_from_db()
    if close_on:
        services.transition(actor=None, complaint=complaint, name="close", on=close_on)
        complaint.refresh_from_db()
    return complaint


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)
