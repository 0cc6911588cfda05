"""Demo feedback: survey answers across the demo organisations and one self-assessment each.

Idempotent: surveys are added only if no demo organisation has a survey response yet, and a self-assessment
only for an organisation that has none. Invitations are made through the services with complaint e-mails
switched off (historical demo cases send nothing); answers are dated a few days after each closure.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from candour.complaints import notify
from candour.complaints.models import Complaint
from candour.complaints.states import Status
from candour.feedback import selectors, services
from candour.feedback.models import Rating, SelfAssessment, SurveyInvitation, SurveyResponse
from candour.feedback.statements import STATEMENTS, Kind
from candour.organisations.roles import Role

DEMO_ORGS = ("dps", "vla", "sgb", "nirs")
# How kindly each organisation's complainants score it (the chance of a 4 or 5), so breakdowns differ.
LEANING = {"dps": 0.55, "vla": 0.7, "sgb": 0.45, "nirs": 0.6}
COMMENTS = [
    "I had to chase for updates.",
    "The person who called me was helpful and explained everything.",
    "The letter was hard to follow.",
    "I was glad to get an apology.",
    "It took too long to hear anything.",
]


def _score(rng: random.Random, leaning: float) -> int:
    return rng.choice([4, 5]) if rng.random() < leaning else rng.choice([1, 2, 3])


def _answer(rng, kind, leaning):
    return {s.key: _score(rng, leaning) for s in STATEMENTS[kind]}


def build(orgs: dict, people: dict, out=None, seed: int = 8) -> None:
    rng = random.Random(seed)
    demo_orgs = [orgs[slug] for slug in DEMO_ORGS if slug in orgs]
    if not SurveyResponse.objects.filter(organisation__in=demo_orgs).exists():
        _surveys(rng, demo_orgs)
    for org in demo_orgs:
        if not SelfAssessment.objects.filter(organisation=org).exists():
            _self_assessment(rng, org, people)
    if out is not None:
        out.write("Feedback: survey answers and self-assessments ready\n")


def _surveys(rng: random.Random, demo_orgs) -> None:
    today = timezone.localdate()
    for org in demo_orgs:
        leaning = LEANING.get(org.slug, 0.6)
        closed = list(
            Complaint.objects.filter(organisation=org, status=Status.CLOSED, is_anonymous=False, contact_opt_out=False)
            .exclude(complainant_email="")
            .order_by("closed_on", "id")[:80]
        )
        with transaction.atomic(), notify.suppressed():
            for complaint in closed:
                token = services.invite_complainant(complaint=complaint)
                if token is None or rng.random() > 0.45:
                    continue
                comments = rng.choice(COMMENTS) if rng.random() < 0.3 else ""
                response = services.submit_complainant_response(
                    token=token, answers=_answer(rng, Kind.COMPLAINANT, leaning), comments=comments
                )
                _backdate(response, complaint.closed_on, today, rng)
            colleague_invitations = SurveyInvitation.objects.filter(
                organisation=org, kind=Kind.COLLEAGUE, used_at__isnull=True
            ).select_related("complaint", "colleague")[:120]
            for invitation in colleague_invitations:
                if rng.random() > 0.5:
                    continue
                response = services.submit_colleague_response(
                    actor=invitation.colleague,
                    complaint=invitation.complaint,
                    answers=_answer(rng, Kind.COLLEAGUE, leaning),
                )
                _backdate(response, invitation.complaint.closed_on, today, rng)


def _backdate(response, closed_on, today, rng) -> None:
    day = min((closed_on or today) + datetime.timedelta(days=rng.randint(12, 30)), today)
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))
    SurveyResponse.objects.filter(pk=response.pk).update(submitted_at=when)
    SurveyInvitation.objects.filter(pk=response.invitation_id).update(
        used_at=when, created_at=min(when, response.invitation.created_at)
    )


def _self_assessment(rng: random.Random, org, people) -> None:
    actor = next(
        (
            u
            for u in people.values()
            for m in u.memberships.all()
            if m.organisation_id == org.pk and m.role == Role.COMPLAINTS_MANAGER
        ),
        None,
    )
    today = timezone.localdate()
    ratings = {}
    for expectation in selectors.expectations_for(org):
        rating = rng.choices([Rating.MET, Rating.PARTLY_MET, Rating.NOT_MET], weights=[6, 3, 1])[0]
        ratings[expectation.pk] = {
            "rating": rating,
            "evidence": "Described in the published complaints procedure and checked in quarterly case audits.",
            "improvement_plan": ""
            if rating == Rating.MET
            else "Agree an action with the governance board at its next review.",
        }
    services.record_self_assessment(
        actor=actor,
        organisation=org,
        assessed_on=today,
        ratings=ratings,
        evidence=selectors.live_evidence(org, today - datetime.timedelta(days=365), today),
    )
