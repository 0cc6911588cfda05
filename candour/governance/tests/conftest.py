"""A hand-computed world for the governance figures: the Vehicle-Licensing-like agency (Wales, so England
and Wales bank holidays: Thu 25 and Fri 26 December 2025, Thu 1 January 2026) in the quarter
1 October to 31 December 2025, with today frozen at Tuesday 20 January 2026."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from candour.complaints import services
from candour.complaints.models import Channel
from candour.complaints.services import PointInput
from candour.governance import services as gov
from candour.organisations.models import ServiceArea
from candour.organisations.roles import Role

D = datetime.date
TODAY = D(2026, 1, 20)
Q3 = (D(2025, 10, 1), D(2025, 12, 31))


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 1, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def respond(complaint, on, outcome):
    for point in complaint.points.all():
        services.update_point(actor=None, point=point, outcome=outcome)
    response = services.save_response(
        actor=None,
        complaint=complaint,
        outcome=outcome,
        understanding="You told us about a delay.",
        what_was_investigated="The handling of the application.",
        how_it_was_investigated="We read the file.",
        decision_reasoning="The standard is 3 weeks; it took longer.",
        impact="You were inconvenienced.",
        what_will_happen="We will track applications.",
        apology="We are sorry.",
    )
    services.issue_response(actor=None, response=response, delivery_method="email", letter_html="<p>x</p>", on=on)
    complaint.refresh_from_db()
    return complaint


@pytest.fixture
def world(tree, member):
    agency, sibling = tree["agency"], tree["sibling"]
    licences = ServiceArea.objects.create(organisation=agency, name="Licences")
    refunds = ServiceArea.objects.create(organisation=agency, name="Refunds")
    investigator = member(Role.INVESTIGATOR, agency)

    def make(received, channel, area=None, org=agency, name="Alex Example"):
        c, _ = services.create_complaint(
            actor=None,
            organisation=org,
            channel=channel,
            description="About my licence",
            received_on=received,
            service_area=area,
            complainant_name=name,
            complainant_email="alex@example.com",
            points=[PointInput("A delay")],
        )
        return c

    # A: Fri 19 Dec; acknowledgement due Wed 24 Dec, acknowledged that day (on time). Stage 1 due Tue 30 Dec;
    # responded Thu 8 Jan (late): 22, 23, 24, 29, 30, 31 Dec, 2, 5, 6, 7, 8 Jan = 11 working days. Upheld,
    # with £150 redress and an apology.
    a = make(D(2025, 12, 19), Channel.PHONE, licences, name="Annie Apple")
    services.transition(actor=None, complaint=a, name="acknowledge", on=D(2025, 12, 24))
    services.transition(actor=None, complaint=a, name="start_early_resolution", on=D(2025, 12, 24))
    a = respond(a, D(2026, 1, 8), "upheld")
    services.add_remedy(actor=None, complaint=a, type="financial", description="Redress", amount=Decimal("150.00"))
    services.add_remedy(actor=None, complaint=a, type="apology", description="Apology")

    # B: Mon 22 Dec; acknowledgement due Mon 29 Dec (23, 24, 29: Christmas and Boxing Day skipped),
    # acknowledged that day (on time). Stage 1 due Wed 31 Dec; responded that day: 5 working days, not upheld.
    # Escalated Mon 5 Jan; stage 2 responded Mon 19 Jan: 10 working days, on time; partly upheld.
    # Then referred to the Ombudsman (decision pending).
    b = make(D(2025, 12, 22), Channel.EMAIL, licences)
    services.transition(actor=None, complaint=b, name="acknowledge", on=D(2025, 12, 29))
    services.transition(actor=None, complaint=b, name="start_early_resolution", on=D(2025, 12, 29))
    b = respond(b, D(2025, 12, 31), "not_upheld")
    services.transition(
        actor=None,
        complaint=b,
        name="escalate",
        reason="Unhappy",
        investigator=investigator,
        declaration=services.Declaration(has_conflict=False),
        on=D(2026, 1, 5),
    )
    b.refresh_from_db()
    b = respond(b, D(2026, 1, 19), "partly_upheld")
    services.record_ombudsman_referral(actor=None, complaint=b, mp_referral_date=D(2026, 1, 20))

    # C: Wed 3 Dec; acknowledgement due Mon 8 Dec, acknowledged Tue 9 Dec (late). Stage 1 due Wed 10 Dec,
    # extended to Wed 17 Dec; responded that day (on time): 10 working days. Partly upheld. No service area.
    c = make(D(2025, 12, 3), Channel.ONLINE)
    services.transition(actor=None, complaint=c, name="acknowledge", on=D(2025, 12, 9))
    services.transition(actor=None, complaint=c, name="start_early_resolution", on=D(2025, 12, 9))
    services.extend(actor=None, complaint=c, new_due=D(2025, 12, 17), reason="Records", complainant_agreed=True)
    c = respond(c, D(2025, 12, 17), "partly_upheld")

    # D: Mon 1 Dec; never acknowledged (due Thu 4 Dec: late) and no response (due Mon 8 Dec: overdue).
    d = make(D(2025, 12, 1), Channel.LETTER, refunds)

    # G: Wed 10 Dec; withdrawn the next day before acknowledgement: neither on time nor late.
    g = make(D(2025, 12, 10), Channel.EMAIL)
    services.transition(actor=None, complaint=g, name="withdraw", reason="Sorted", on=D(2025, 12, 11))

    # Outside the figures: the agency's January complaint, and the sibling's complaint in the quarter.
    make(D(2026, 1, 15), Channel.EMAIL)
    make(D(2025, 11, 3), Channel.EMAIL, org=sibling)

    for month, count in ((D(2025, 10, 1), 1000), (D(2025, 11, 1), 1000), (D(2025, 12, 1), 2000)):
        gov.record_interaction_volume(actor=None, organisation=agency, month=month, count=count)
    return {"a": a, "b": b, "c": c, "d": d, "g": g, "agency": agency, "sibling": sibling, "licences": licences}
