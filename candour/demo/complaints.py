"""Demo complaints: about 2,000 over two financial years, in every state, made through the real services
(so deadlines, logs and the audit trail are what the product itself would record)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from candour.complaints import notify, services
from candour.complaints.models import Channel, Complaint, RemedyType
from candour.complaints.services import PointInput
from candour.organisations.models import ServiceArea
from candour.organisations.roles import Role

DEMO_ORGS = ("dps", "vla", "sgb", "nirs")
SERVICE_AREAS = {
    "dps": ["Grants policy", "Correspondence", "Website"],
    "vla": ["Driving licences", "Vehicle tax", "Refunds", "Medical checks"],
    "sgb": ["Grant applications", "Payments", "Appeals"],
    "nirs": ["Birth and death records", "Online ordering", "Searches"],
}
FIRST = [
    "Sam",
    "Priya",
    "Gareth",
    "Aileen",
    "Tomasz",
    "Fatima",
    "Ciara",
    "Owain",
    "Grace",
    "Mohammed",
    "Eilidh",
    "Jack",
]
LAST = ["Jones", "Patel", "MacDonald", "O'Neill", "Nowak", "Ahmed", "Williams", "Evans", "Campbell", "Hughes", "Kaur"]
PROBLEMS = [
    ("My application has been waiting for {n} weeks with no update", "A decision on my application"),
    ("I was told two different things by two advisers about {thing}", "A clear explanation"),
    ("Nobody called me back after I was promised a call about {thing}", "An apology and a call back"),
    ("The online form kept failing when I tried to {verb}", "To be able to {verb} online"),
    ("I was charged twice for {thing}", "A refund of the second payment"),
    ("The letter about {thing} was sent to my old address", "My address updated and the letter resent"),
    ("The adviser was dismissive when I explained my disability", "Reasonable adjustments and an apology"),
    ("My documents were lost after I posted them about {thing}", "My documents found or replaced at no cost"),
]
THINGS = ["my licence renewal", "my grant", "a certificate", "my refund", "the medical form", "a records search"]
VERBS = ["upload my evidence", "pay the fee", "change my address", "book an appointment"]


def _text(rng: random.Random, template: str) -> str:
    return template.format(n=rng.randint(3, 16), thing=rng.choice(THINGS), verb=rng.choice(VERBS))


def build(orgs: dict, people: dict, out=None, *, count: int = 2000, seed: int = 2025) -> int:
    """Create the demo complaints unless they already exist. Returns how many were created."""
    if Complaint.objects.filter(organisation__slug__in=DEMO_ORGS).exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    start = datetime.date(today.year - 1 if today.month >= 4 else today.year - 2, 4, 1)
    span = (today - start).days
    handlers = {slug: [] for slug in DEMO_ORGS}
    investigators = {slug: [] for slug in DEMO_ORGS}
    for user in people.values():
        for membership in user.memberships.all():
            slug = membership.organisation.slug
            if slug in handlers and membership.role in (Role.COMPLAINT_HANDLER, Role.COMPLAINTS_MANAGER):
                handlers[slug].append(user)
            if slug in investigators and membership.role in (Role.INVESTIGATOR, Role.SENIOR_LEADER):
                investigators[slug].append(user)
    areas = {}
    for slug, names in SERVICE_AREAS.items():
        areas[slug] = [ServiceArea.objects.get_or_create(organisation=orgs[slug], name=name)[0] for name in names]
    weights = {"vla": 5, "dps": 2, "sgb": 2, "nirs": 1}
    created = 0
    with transaction.atomic(), notify.suppressed():  # historical demo cases send no e-mails
        for _ in range(count):
            slug = rng.choices(list(weights), weights=list(weights.values()))[0]
            received = start + datetime.timedelta(days=int(rng.random() * span))
            if received.weekday() >= 5:
                received -= datetime.timedelta(days=received.weekday() - 4)
            _one(rng, orgs[slug], received, today, handlers[slug], investigators[slug], areas[slug])
            created += 1
    if out is not None:
        out.write(f"Created {created} demo complaints.\n")
    return created


def _one(rng, organisation, received, today, handlers, investigators, areas):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    problems = rng.sample(PROBLEMS, rng.randint(1, 3))
    points = [PointInput(_text(rng, p), _text(rng, o)) for p, o in problems]
    anonymous = rng.random() < 0.02
    channel = rng.choices(
        [Channel.ONLINE, Channel.EMAIL, Channel.PHONE, Channel.LETTER, Channel.IN_PERSON, Channel.MP],
        weights=[45, 20, 18, 10, 4, 3],
    )[0]
    complaint, _ = services.create_complaint(
        actor=None,
        organisation=organisation,
        channel=channel,
        received_on=received,
        description=" ".join(p.summary + "." for p in points),
        summary=points[0].summary[:200],
        points=points,
        service_area=rng.choice(areas),
        is_anonymous=anonymous,
        complainant_name="" if anonymous else f"{first} {last}",
        complainant_email="" if anonymous else f"{first.lower()}.{last.lower().replace(chr(39), '')}@example.com",
        reasonable_adjustments="Large print letters, please." if rng.random() < 0.08 else "",
        mp_name="Rt Hon A Member MP" if channel == Channel.MP else "",
        language="cy" if organisation.welsh_language_service and rng.random() < 0.15 else "en",
    )
    age = (today - received).days
    handler = rng.choice(handlers)
    complaint = services.assign(actor=None, complaint=complaint, user=handler, stage=1)
    if channel != Channel.ONLINE:
        if rng.random() < 0.06:
            services.triage(
                actor=handler,
                complaint=complaint,
                decision="other_route",
                other_route=rng.choice(["appeal", "foi_sar", "tribunal"]),
                signposting="Explained the right route and passed the request on.",
            )
            return
        complaint = services.triage(actor=handler, complaint=complaint, decision="complaint")
    if age < 2:
        return
    ack_day = min(received + datetime.timedelta(days=rng.choice([1, 2, 3, 4, 6])), today)
    services.transition(actor=handler, complaint=complaint, name="acknowledge", on=ack_day)
    if age < 5:
        return
    services.transition(actor=handler, complaint=complaint, name="start_early_resolution", on=ack_day)
    if rng.random() < 0.04:
        services.transition(
            actor=handler, complaint=complaint, name="withdraw", reason="Resolved informally", on=ack_day
        )
        return
    if rng.random() < 0.07:
        services.extend(
            actor=handler,
            complaint=complaint,
            new_due=_next_working(complaint, complaint.response_due + datetime.timedelta(days=7)),
            reason="Waiting for records from another team",
            complainant_agreed=True,
        )
        complaint.refresh_from_db()
    stage1_days = rng.choice([3, 5, 6, 8, 10, 14, 20])
    if age < stage1_days + 2:
        return  # still in early resolution (some will be overdue)
    responded = _issue(rng, complaint, handler, received + datetime.timedelta(days=stage1_days), today)
    if responded is None:
        return
    if rng.random() < 0.11 and age > stage1_days + 10 and investigators:
        investigator = rng.choice([i for i in investigators if i.pk != handler.pk] or investigators)
        escalated_on = min(responded + datetime.timedelta(days=rng.randint(3, 20)), today)
        complaint = services.transition(
            actor=handler,
            complaint=complaint,
            name="escalate",
            reason="The complainant was not satisfied with the early resolution response",
            investigator=investigator,
            declaration=services.Declaration(has_conflict=False),  # recorded with the escalation
            on=escalated_on,
        )
        stage2_days = rng.choice([15, 20, 26, 30, 40])
        if (today - escalated_on).days < stage2_days + 2:
            return
        _issue(rng, complaint, investigator, escalated_on + datetime.timedelta(days=stage2_days), today)
        complaint.refresh_from_db()
        if rng.random() < 0.15 and complaint.status == "response_issued":
            services.record_ombudsman_referral(
                actor=None,
                complaint=complaint,
                mp_referral_date=min(complaint.stage2_responded_on + datetime.timedelta(days=40), today),
                decision=rng.choice(["pending", "not_investigated", "partly_upheld", "not_upheld"]),
            )
    complaint.refresh_from_db()
    if complaint.status in ("resolved", "response_issued") and (today - responded).days > 14 and rng.random() < 0.85:
        services.transition(
            actor=handler, complaint=complaint, name="close", on=min(responded + datetime.timedelta(days=14), today)
        )


def _next_working(complaint, day):
    from candour.organisations.selectors import calendar_for

    calendar = calendar_for(complaint.organisation)
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def _issue(rng, complaint, author, on, today):
    on = min(on, today)
    outcome = rng.choices(["upheld", "partly_upheld", "not_upheld"], weights=[30, 30, 40])[0]
    for point in complaint.points.all():
        point_outcome = outcome if outcome != "partly_upheld" else rng.choice(["upheld", "not_upheld"])
        services.update_point(
            actor=author,
            point=point,
            outcome=point_outcome,
            should_have_happened="Our service standard says applications are decided within 15 working days.",
            what_happened="The application waited in a queue that nobody was monitoring.",
        )
    response = services.save_response(
        actor=author,
        complaint=complaint,
        outcome=outcome,
        understanding="You told us about the problems listed below and what you would like us to do.",
        what_was_investigated="Each point of your complaint.",
        how_it_was_investigated="We read your case file, our guidance and spoke to the team involved.",
        decision_reasoning="We compared what happened with our published service standards and guidance.",
        impact="We understand the delay caused you worry and extra cost.",
        what_will_happen="We have shared what we learned with the team and will check the change works.",
        apology="We are sorry. We did not meet our standards and we accept responsibility."
        if outcome != "not_upheld"
        else "",
    )
    if outcome != "not_upheld":
        services.add_remedy(
            actor=author, complaint=complaint, type=RemedyType.APOLOGY, description="Written apology", response=response
        )
        if rng.random() < 0.2:
            services.add_remedy(
                actor=author,
                complaint=complaint,
                type=RemedyType.FINANCIAL,
                description="For worry and distress",
                amount=Decimal(rng.choice([50, 100, 150, 250, 500])),
                response=response,
            )
    services.issue_response(
        actor=author, response=response, delivery_method="email", letter_html="<p>Response letter</p>", on=on
    )
    return on
