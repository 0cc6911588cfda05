"""Making closed complaints through the real services, as a handler would."""

from __future__ import annotations

import datetime

from candour.complaints import services
from candour.complaints.models import Channel, PointOfComplaint
from candour.complaints.services import PointInput

ELEMENTS = {
    "understanding": "You told us your licence was late and you wanted an apology.",
    "what_was_investigated": "How long the licence took.",
    "how_it_was_investigated": "We read the case records.",
    "decision_reasoning": "Our service standard is 10 working days; it took 30.",
    "impact": "You could not drive to work.",
    "what_will_happen": "We have changed how applications are checked.",
}


def close_complaint(
    organisation,
    handler,
    *,
    closed_on: datetime.date,
    outcome: str = "upheld",
    email: str = "alex@example.com",
    **fields,
):
    """A complaint received a fortnight before `closed_on`, answered at stage 1 and closed on `closed_on`."""
    received = closed_on - datetime.timedelta(days=14)
    complaint, _ = services.create_complaint(
        actor=handler,
        organisation=organisation,
        channel=Channel.EMAIL,
        description="My licence was late.",
        received_on=received,
        complainant_name="" if fields.get("is_anonymous") else "Alex Example",
        complainant_email="" if fields.get("is_anonymous") else email,
        points=[PointInput("The licence was late", "An apology")],
        **fields,
    )
    services.assign(actor=handler, complaint=complaint, user=handler, stage=1)
    services.transition(actor=handler, complaint=complaint, name="start_early_resolution", on=received)
    PointOfComplaint.objects.filter(complaint=complaint).update(outcome=outcome)
    response = services.save_response(
        actor=handler, complaint=complaint, outcome=outcome, apology="We are sorry.", **ELEMENTS
    )
    responded = closed_on - datetime.timedelta(days=3)
    services.issue_response(
        actor=handler, response=response, delivery_method="email", letter_html="<p>Letter</p>", on=responded
    )
    services.transition(actor=handler, complaint=complaint, name="close", on=closed_on)
    complaint.refresh_from_db()
    return complaint
