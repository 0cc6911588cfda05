"""Demo learning: records for upheld complaints (what went wrong in the system, never who), improvement
actions in every status, published "You said, we did" summaries, and a theme that spikes last month
(Vehicle Licensing Agency, "Payment page failures") so the emerging-theme flag and weekly e-mail show it.
Added to `candour.demo.data.EXTENDERS` from LearningConfig.ready(); safe to run again."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from candour.complaints.models import Complaint
from candour.learning import services, trends
from candour.learning.models import ImprovementAction, LearningRecord, RootCause
from candour.organisations.models import ServiceArea

# Opening words of a demo point of complaint -> (theme, root cause, what went wrong in the system).
PATTERNS = [
    ("My application has been waiting", "Processing delays", "Resourcing",
     "Applications waited in a queue that had no owner and no daily check, so nothing flagged the delay."),
    ("I was told two different things", "Inconsistent advice", "Staff knowledge or training",
     "Two versions of the guidance were in use; the older one had not been withdrawn from the intranet."),
    ("Nobody called me back", "Missed call backs", "Process",
     "Call-back requests were written in a shared inbox with no tracking, so some were never picked up."),
    ("The online form kept failing", "Online form failures", "IT system",
     "The upload step timed out for files over 5MB and showed a generic error without saying why."),
    ("I was charged twice", "Duplicate payments", "Third-party provider",
     "The payment provider retried a timed-out card payment without checking the first had succeeded."),
    ("The letter about", "Out-of-date addresses", "Process",
     "A change of address made by phone was not copied to the letters system, which kept the old address."),
    ("The adviser was dismissive", "Reasonable adjustments", "Staff knowledge or training",
     "There was no prompt to ask about reasonable adjustments, and the training did not cover it."),
    ("My documents were lost", "Lost documents", "Process",
     "Posted documents were scanned in one building and stored in another with no tracking between them."),
]  # fmt: skip
SPIKE_THEME = "Payment page failures"
SPIKE_TEXT = "A supplier update to the payment page failed card payments on some browsers for three weeks."


def _pattern(summary: str):
    for opening, theme, cause, text in PATTERNS:
        if summary.startswith(opening):
            return theme, cause, text
    return None


def build(orgs: dict, people: dict, out=None) -> int:
    if (
        LearningRecord.objects.filter(organisation__in=orgs.values()).exists()
        or ImprovementAction.objects.filter(organisation__in=orgs.values()).exists()
    ):
        return 0
    rng = random.Random(2026)
    today = timezone.localdate()
    causes = {c.name: c for c in RootCause.objects.filter(organisation__isnull=True)}
    created = 0
    with transaction.atomic():
        complaints = (
            Complaint.objects.filter(organisation__in=orgs.values(), outcome__in=services.UPHELD)
            .select_related("organisation", "stage1_handler", "stage2_handler")
            .prefetch_related("points")
            .order_by("pk")
        )
        for complaint in complaints:
            points = list(complaint.points.all())
            found = _pattern(points[0].summary) if points else None
            if found is None or rng.random() < 0.15:  # a few upheld complaints still await their learning
                continue
            theme, cause, text = found
            services.save_learning_record(
                actor=None, complaint=complaint, what_went_wrong=text, root_cause=causes[cause],
                service_area=complaint.service_area, themes=[theme],
            )  # fmt: skip
            created += 1
        created += _spike(orgs["vla"], today, causes)
        _actions(orgs, people, today)
    if out is not None:
        out.write(f"Created {created} learning records and {ImprovementAction.objects.count()} actions.\n")
    return created


def _spike(vla, today, causes) -> int:
    """Last month, the agency's payment page failed: nine complaints share a new theme."""
    last_month = trends.add_months(trends.month_start(today), -1)
    vehicle_tax = ServiceArea.objects.filter(organisation=vla, name="Vehicle tax").first()
    candidates = Complaint.objects.filter(
        organisation=vla, received_on__gte=last_month, received_on__lt=trends.month_start(today),
        learning_record__isnull=True,
    ).order_by("pk")[:9]  # fmt: skip
    for complaint in candidates:
        services.save_learning_record(
            actor=None, complaint=complaint, what_went_wrong=SPIKE_TEXT, root_cause=causes["Third-party provider"],
            service_area=vehicle_tax, themes=[SPIKE_THEME],
        )  # fmt: skip
    return len(candidates)


def _related(org, theme: str, n: int = 3):
    return list(
        Complaint.objects.filter(organisation=org, learning_record__themes__name=theme).order_by("-received_on")[:n]
    )


ACTIONS = [
    # org, theme, description, status, months since done (or due offset in days), delivery owner, published
    ("vla", "Online form failures", "Raise the upload limit to 20MB and show a clear message when a file is too big.",
     "verified_effective", 8, "vla.investigator", True),
    ("vla", "Missed call backs", "Send a text message the day before a promised call back.",
     "verified_not_effective", 7, "vla.handler2", False),
    ("vla", "Duplicate payments", "Ask the payment provider to check for a successful payment before retrying.",
     "done", 2, "vla.investigator", True),
    ("vla", "Out-of-date addresses", "Copy phone changes of address to the letters system the same day.",
     "in_progress", -20, "vla.handler2", False),
    ("vla", SPIKE_THEME, "Roll back the payment page update and add browser testing to the supplier contract.",
     "in_progress", 14, "vla.investigator", False),
    ("vla", "Inconsistent advice", "Withdraw the old medical-check guidance and publish one version.",
     "agreed", 30, "vla.handler2", False),
    ("vla", "Missed call backs", "Move call-back requests into a tracked queue with a daily check.",
     "proposed", 45, "vla.handler2", False),
    ("dps", "Processing delays", "Give every grant application queue a named owner and a daily check.",
     "done", 1, "dps.handler", True),
    ("sgb", "Reasonable adjustments", "Add a reasonable-adjustments prompt to the first call script.",
     "in_progress", -45, "sgb.investigator", False),
    ("nirs", "Lost documents", "Track posted documents between scanning and storage.", "agreed", 20,
     "nirs.investigator", False),
]  # fmt: skip
PATH = {
    "agreed": ["agree"], "in_progress": ["agree", "start"], "done": ["agree", "start", "complete"],
    "verified_effective": ["agree", "start", "complete", "verify_effective"],
    "verified_not_effective": ["agree", "start", "complete", "verify_not_effective"], "proposed": [],
}  # fmt: skip
WELSH = {
    "Online form failures": ("Dywedoch nad oedd y ffurflen ar-lein yn derbyn ffeiliau mawr.",
                             "Rydym wedi codi'r terfyn i 20MB ac yn dweud yn glir pan fo ffeil yn rhy fawr."),
    "Duplicate payments": ("Dywedoch eich bod wedi talu ddwywaith.",
                           "Mae ein darparwr taliadau nawr yn gwirio am daliad llwyddiannus cyn ceisio eto."),
}  # fmt: skip


def _actions(orgs, people, today) -> None:
    for slug, theme, description, status, offset, delivery, published in ACTIONS:
        org = orgs[slug]
        leader, manager = people[f"{slug}.leader"], people[f"{slug}.manager"]
        related = _related(org, theme)
        delivered = status in ("done", "verified_effective", "verified_not_effective")
        done_on = trends.add_months(today, -offset) if delivered else None
        due = (done_on - datetime.timedelta(days=10)) if delivered else today + datetime.timedelta(days=offset)
        area = related[0].service_area if related else None
        action = services.create_action(
            actor=None, organisation=org, description=description, complaints=related, themes=[theme],
            service_area=area, senior_owner=leader, delivery_owner=people[delivery], due_date=due,
            expected_impact=f"Fewer complaints about {theme.lower()}.",
            how_measured=f"Complaints tagged “{theme}” per month, six months before and after.",
        )  # fmt: skip
        for name in PATH[status]:
            if name == "complete":
                services.record_evidence(
                    actor=None, action=action,
                    evidence="Change released; the team's guidance and the service's release note are attached.",
                )  # fmt: skip
            actor = manager if name.startswith("verify") else None
            reason = "Complaints about this fell in the months after the change." if name == "verify_effective" else (
                "Complaints about missed call backs did not fall: texts were sent but calls still missed."
                if name == "verify_not_effective" else "")  # fmt: skip
            on = done_on if name == "complete" else (trends.add_months(done_on, 6) if name.startswith("verify")
                                                       else None)  # fmt: skip
            if on is not None and on > today:
                on = today
            services.transition_action(actor=actor, action=action, name=name, reason=reason, on=on)
        if published:
            you_said_cy, we_did_cy = WELSH.get(theme, ("", ""))
            services.publish_summary(
                actor=None, action=action, you_said=f"You told us about {theme.lower()}.", we_did=description,
                you_said_cy=you_said_cy, we_did_cy=we_did_cy,
            )  # fmt: skip
