"""Daily complainant survey invitations (`feedback.invitations`).

Each organisation sets how many working days after closure its complainants are invited (default 10, see
`FeedbackSettings`). The sweep finds complaints closed at least that many working days ago, within the last
`LOOKBACK` calendar days, with no invitation yet, and invites each once (`services.invite_complainant`
checks who must never be surveyed). One failure does not stop the others.
"""

from __future__ import annotations

import datetime
import logging

from django.db.models import Exists, OuterRef
from django.utils import timezone

from candour.complaints.models import Complaint
from candour.complaints.states import Status
from candour.feedback import services
from candour.feedback.models import FeedbackSettings, SurveyInvitation
from candour.feedback.statements import Kind
from candour.organisations.models import Organisation
from candour.organisations.selectors import calendar_for
from candour.scheduling import DAILY, sweep

logger = logging.getLogger(__name__)

# Closures older than this are not surveyed: the experience is too far back to ask about.
LOOKBACK = datetime.timedelta(days=120)


def complaints_due_an_invitation(today: datetime.date) -> list[Complaint]:
    invited = SurveyInvitation.objects.filter(complaint=OuterRef("pk"), kind=Kind.COMPLAINANT)
    candidates = (
        Complaint.objects.filter(
            status=Status.CLOSED,
            closed_on__lte=today,
            closed_on__gte=today - LOOKBACK,
            is_anonymous=False,
            contact_opt_out=False,
            anonymised_at__isnull=True,
        )
        .exclude(complainant_email="")
        .exclude(Exists(invited))
        .select_related("organisation")
        .order_by("closed_on", "id")
    )
    delays = dict(FeedbackSettings.objects.values_list("organisation_id", "survey_delay_days"))
    calendars: dict[int, object] = {}
    due = []
    for complaint in candidates:
        org: Organisation = complaint.organisation
        if org.pk not in calendars:
            calendars[org.pk] = calendar_for(org)
        delay = delays.get(org.pk, services.DEFAULT_SURVEY_DELAY_DAYS)
        if calendars[org.pk].add_working_days(complaint.closed_on, delay) <= today:
            due.append(complaint)
    return due


@sweep("feedback.invitations", every=DAILY)
def send_invitations(today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    invited = skipped = failed = 0
    for complaint in complaints_due_an_invitation(today):
        try:
            if services.invite_complainant(complaint=complaint):
                invited += 1
            else:
                skipped += 1
        except Exception:
            logger.exception("Could not invite complaint %s to the survey", complaint.pk)
            failed += 1
    return f"{invited} survey invitations, {skipped} not surveyed, {failed} failed"
