"""Daily deadline reminders (`complaints.deadlines`).

Every open complaint whose response is owed, with the clock running, is classified by its organisation's
working-day calendar:
- due soon (due today or within 2 working days): its current handler is reminded; if no one handles it,
  the organisation's complaints managers are told instead;
- overdue: its handler is reminded, and the organisation's complaints managers are told (escalation).

Each e-mail's idempotency key holds the case, the person, the kind and the day, so running the sweep again
the same day sends nothing more; one failed e-mail does not stop the others.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from candour.complaints import notify, services
from candour.complaints.models import Complaint
from candour.complaints.states import AWAITING_RESPONSE
from candour.core.calendar import DeadlineStatus
from candour.organisations.models import Membership
from candour.organisations.roles import Role
from candour.organisations.selectors import body_of, calendar_for
from candour.scheduling import DAILY, sweep

logger = logging.getLogger(__name__)

# No complaint more than this many calendar days ahead can be within 2 working days (weekends, the
# Christmas and New Year holidays and a few closure days together stay well inside it).
LOOKAHEAD = datetime.timedelta(days=21)


@dataclass(frozen=True)
class Reminder:
    complaint: Complaint
    user: object
    kind: str  # "due_soon", "overdue" (to the handler), "escalation", "unassigned" (to complaints managers)


def complaints_needing_attention(today: datetime.date) -> list[tuple[Complaint, str]]:
    """(complaint, "due_soon" | "overdue") for every open complaint owed a response, with the clock running."""
    candidates = (
        Complaint.objects.filter(
            status__in=AWAITING_RESPONSE,
            response_due__isnull=False,
            response_due__lte=today + LOOKAHEAD,
            clock_stopped=False,
        )
        .select_related("organisation", "stage1_handler", "stage2_handler")
        .order_by("response_due", "id")
    )
    calendars = {}
    found = []
    for complaint in candidates:
        if complaint.organisation_id not in calendars:
            calendars[complaint.organisation_id] = calendar_for(complaint.organisation)
        status = calendars[complaint.organisation_id].status(complaint.response_due, today)
        if status == DeadlineStatus.OVERDUE:
            found.append((complaint, "overdue"))
        elif status == DeadlineStatus.DUE_SOON:
            found.append((complaint, "due_soon"))
    return found


def complaints_managers(organisation) -> list:
    """Active colleagues who are complaints managers of the organisation (in it or one of its teams)."""
    memberships = Membership.objects.filter(
        role=Role.COMPLAINTS_MANAGER, user__is_active=True, organisation__path__startswith=organisation.path
    ).select_related("user", "organisation")
    users = {}
    for membership in memberships:
        if body_of(membership.organisation).pk == organisation.pk:
            users[membership.user_id] = membership.user
    return sorted(users.values(), key=lambda user: user.pk)


def reminders(today: datetime.date) -> list[Reminder]:
    """Who is told about what today."""
    managers_of = defaultdict(list)
    result = []
    for complaint, status in complaints_needing_attention(today):
        handler = complaint.current_handler
        if handler is not None and handler.is_active:
            result.append(Reminder(complaint, handler, status))
        if status == "overdue" or handler is None or not handler.is_active:
            if complaint.organisation_id not in managers_of:
                managers_of[complaint.organisation_id] = complaints_managers(complaint.organisation)
            kind = "escalation" if status == "overdue" else "unassigned"
            for manager in managers_of[complaint.organisation_id]:
                if handler is None or manager.pk != handler.pk:
                    result.append(Reminder(complaint, manager, kind))
    return result


@sweep("complaints.deadlines", every=DAILY)
def deadline_reminders(today: datetime.date | None = None) -> str:
    today = today or services.today()
    queued = skipped = 0
    for reminder in reminders(today):
        with transaction.atomic():
            if notify.staff_reminder(complaint=reminder.complaint, user=reminder.user, kind=reminder.kind, on=today):
                queued += 1
            else:
                skipped += 1
    return f"{queued} reminders queued, {skipped} not sent"
