"""Periodic learning work: overdue escalation (daily) and the weekly themes e-mail to complaints managers.

E-mails go through `notifications.services.queue_email(template="generic")` with idempotency keys, so
running a sweep twice in a day (or a week) sends nothing twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from candour.learning import selectors
from candour.learning.models import ImprovementAction
from candour.notifications.services import queue_email
from candour.organisations.models import Organisation
from candour.organisations.roles import Cap, Role
from candour.permissions import has_capability
from candour.scheduling import DAILY, WEEKLY, sweep

# An action is "repeatedly overdue" once it has missed two due dates, or one by more than four weeks.
REPEATED_TIMES = 2
LONG_OVERDUE_DAYS = 28


def _link(name: str, *args) -> str:
    return settings.CANDOUR_BASE_URL.rstrip("/") + reverse(name, args=args)


def complaints_managers(organisation: Organisation) -> list:
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role=Role.COMPLAINTS_MANAGER,
            memberships__organisation__path__startswith=organisation.path,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    return [u for u in users if has_capability(u, Cap.MANAGE_LEARNING, organisation.pk)]


def is_repeatedly_overdue(action: ImprovementAction, today) -> bool:
    return action.times_overdue >= REPEATED_TIMES or (today - action.due_date).days > LONG_OVERDUE_DAYS


def escalate_overdue_actions(today=None) -> int:
    """E-mail both owners of every overdue action once a week; repeatedly overdue ones also go to the
    organisation's complaints managers. Returns how many e-mails were queued (or found already queued)."""
    today = today or timezone.localdate()
    week = today.isocalendar()
    sent = 0
    for action in selectors.overdue_actions(Organisation.objects.values("pk"), today):
        with transaction.atomic():
            if action.overdue_counted_for != action.due_date:
                ImprovementAction.objects.filter(pk=action.pk).update(
                    times_overdue=F("times_overdue") + 1, overdue_counted_for=action.due_date
                )
                action.refresh_from_db(fields=["times_overdue", "overdue_counted_for"])
            days = (today - action.due_date).days
            paragraphs = [
                f"Improvement action {action.pk} for {action.organisation.name} was due on "
                f"{action.due_date:%-d %B %Y} and is {days} day{'s' if days != 1 else ''} overdue.",
                f"The action: {action.description}",
                "Please update its status, or agree a new due date with the accountable senior owner.",
            ]
            recipients = {u for u in (action.senior_owner, action.delivery_owner) if u is not None and u.email}
            key_base = f"learning:action:{action.pk}:overdue:{action.due_date:%Y%m%d}:{week.year}-W{week.week:02d}"
            for user in sorted(recipients, key=lambda u: u.pk):
                queue_email(
                    to=user.email,
                    template="generic",
                    context={
                        "subject": f"Improvement action {action.pk} is overdue",
                        "paragraphs": paragraphs,
                        "action_url": _link("learning:action", action.pk),
                    },  # fmt: skip
                    organisation=action.organisation,
                    obj=action,
                    idempotency_key=f"{key_base}:owner:{user.pk}",
                )
                sent += 1
            if is_repeatedly_overdue(action, today):
                for manager in complaints_managers(action.organisation):
                    queue_email(
                        to=manager.email,
                        template="generic",
                        context={
                            "subject": f"Improvement action {action.pk} is repeatedly overdue",
                            "paragraphs": [
                                *paragraphs[:2],
                                f"It has missed {action.times_overdue} due date(s). Please review it with its "
                                "owners at your next governance meeting.",
                            ],
                            "action_url": _link("learning:action", action.pk),
                        },
                        organisation=action.organisation,
                        obj=action,
                        idempotency_key=f"{key_base}:manager:{manager.pk}",
                    )
                    sent += 1
    return sent


DIMENSION_LABELS = {"theme": "Theme", "root_cause": "Root cause", "service_area": "Service area"}


def weekly_themes_email(today=None) -> int:
    """Each complaints manager gets, once a week per organisation, the emerging themes for last month and
    this month so far, and the number of overdue actions."""
    from candour.learning import trends

    today = today or timezone.localdate()
    week = today.isocalendar()
    this_month = trends.month_start(today)
    last_month = trends.add_months(this_month, -1)
    sent = 0
    for organisation in Organisation.objects.filter(accepts_complaints=True).order_by("pk"):
        managers = complaints_managers(organisation)
        if not managers:
            continue
        paragraphs = []
        for month in (last_month, this_month):
            emerging = selectors.emerging_themes([organisation.pk], month)
            label = f"{month:%B %Y}" + (" so far" if month == this_month else "")
            if emerging:
                items = "; ".join(
                    f"{DIMENSION_LABELS[e['dimension']]} “{e['name']}”: {e['count']} complaints "
                    f"(usually up to {e['threshold']:.0f})"
                    for e in emerging
                )
                paragraphs.append(f"Emerging in {label}: {items}.")
            else:
                paragraphs.append(f"No emerging themes in {label}.")
        overdue = selectors.overdue_actions([organisation.pk], today).count()
        paragraphs.append(f"Overdue improvement actions: {overdue}.")
        for manager in managers:
            with transaction.atomic():
                queue_email(
                    to=manager.email,
                    template="generic",
                    context={
                        "subject": f"Complaint themes this week: {organisation.name}",
                        "paragraphs": paragraphs,
                        "action_url": _link("learning:dashboard"),
                    },  # fmt: skip
                    organisation=organisation,
                    idempotency_key=f"learning:weekly:{organisation.pk}:{manager.pk}:{week.year}-W{week.week:02d}",
                )
            sent += 1
    return sent


@sweep("learning.overdue_actions", every=DAILY)
def overdue_actions_sweep():
    return f"{escalate_overdue_actions()} overdue action e-mail(s)"


@sweep("learning.weekly_themes", every=WEEKLY)
def weekly_themes_sweep():
    return f"{weekly_themes_email()} weekly themes e-mail(s)"
