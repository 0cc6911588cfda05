"""Every read of learning, scoped to what the user may see.

For governance (aggregates, no personal data, safe for a parent department's oversight):

- `action_summary(organisation_ids, on_date)` -> list of dicts, one per organisation with actions:
  {"organisation_id", "organisation", "open", "overdue", "done", "verified_effective",
   "verified_not_effective", "total"}
- `theme_trends(organisation_ids, start, end)` -> list of dicts
  {"dimension": "theme" | "root_cause" | "service_area", "key": id, "name", "organisation_id",
   "month": date (first of month), "count"}; themes and root causes come from learning records,
  service areas from every complaint received; months with no complaints are absent.
- `emerging_themes(organisation_ids, month)` -> list of dicts
  {"dimension", "key", "name", "organisation_id", "month", "count", "previous": [6 counts, oldest first],
   "threshold": float}
- `overdue_actions(organisation_ids, on_date)` -> queryset of ImprovementAction (organisation, owners
  selected) that are open and past their due date, oldest due first. Owners are named: accountability for
  an action is not blame for a complaint.

Callers pass organisation ids they have already scoped, e.g.
`organisation_ids_with(user, Cap.VIEW_AGGREGATES)`; `*_for_user` helpers below do that.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth

from candour.complaints.models import Complaint
from candour.learning import trends
from candour.learning.models import ImprovementAction, LearningRecord, LearningRecordTheme, Publication, RootCause
from candour.learning.states import DELIVERED_STATUSES, OPEN_STATUSES, ActionStatus
from candour.organisations.models import Organisation
from candour.organisations.roles import Cap
from candour.permissions import organisation_ids_with

OPEN = [s.value for s in OPEN_STATUSES]


# ---- governance selectors (aggregate) ---------------------------------------------------------------


def action_summary(organisation_ids, on_date: datetime.date) -> list[dict]:
    """Counts of actions per organisation by status, and how many open ones are overdue. One query."""
    rows = (
        ImprovementAction.objects.filter(organisation_id__in=organisation_ids)
        .values("organisation_id", "organisation__name")
        .annotate(
            open=Count("id", filter=Q(status__in=OPEN)),
            overdue=Count("id", filter=Q(status__in=OPEN, due_date__lt=on_date)),
            done=Count("id", filter=Q(status=ActionStatus.DONE)),
            verified_effective=Count("id", filter=Q(status=ActionStatus.VERIFIED_EFFECTIVE)),
            verified_not_effective=Count("id", filter=Q(status=ActionStatus.VERIFIED_NOT_EFFECTIVE)),
            total=Count("id"),
        )
        .order_by("organisation__name")
    )
    return [{**{k: v for k, v in row.items() if k != "organisation__name"}, "organisation": row["organisation__name"]}
            for row in rows]  # fmt: skip


# dimension -> (the rows counted, their received date, the key and its name, any further condition). Each row is one
# complaint (a complaint has one learning record, a record each theme once, and theme links carry their record's
# keys, ADR 10), so the counts need no DISTINCT and PostgreSQL no sort of a year's rows.
_SOURCES = {
    "service_area": (Complaint, "received_on", "service_area_id", "service_area__name", Q(service_area__isnull=False)),
    "root_cause": (LearningRecord, "complaint_received_on", "root_cause_id", "root_cause__name", Q()),
    "theme": (LearningRecordTheme, "complaint_received_on", "theme_id", "theme__name", Q()),
}


def _monthly(dimension: str, organisation_ids, start: datetime.date, end: datetime.date) -> list[dict]:
    """One aggregate query: complaints per month (received) for one dimension."""
    if dimension not in _SOURCES:
        raise ValueError(dimension)
    model, received, key, name, condition = _SOURCES[dimension]
    qs = (
        model.objects.filter(
            condition, organisation_id__in=organisation_ids, **{f"{received}__gte": start, f"{received}__lt": end}
        )
        .values(key=F(key), name=F(name), org=F("organisation_id"))
        .annotate(month=TruncMonth(received))
        .values("key", "name", "org", "month")
        .annotate(count=Count("id"))
    )
    return [
        {
            "dimension": dimension,
            "key": row["key"],
            "name": row["name"],
            "organisation_id": row["org"],
            "month": row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"],
            "count": row["count"],
        }
        for row in qs.order_by("month", "name")
    ]


DIMENSIONS = ("theme", "root_cause", "service_area")


def theme_trends(organisation_ids, start: datetime.date, end: datetime.date, dimensions=DIMENSIONS) -> list[dict]:
    """Complaints per theme, root cause and service area per month received, `start <= received < end`."""
    return [row for dimension in dimensions for row in _monthly(dimension, organisation_ids, start, end)]


def emerging_themes(organisation_ids, month: datetime.date, dimensions=DIMENSIONS) -> list[dict]:
    """Themes, root causes and service areas whose count in `month` is emerging (see `trends.is_emerging`):
    one aggregate query per dimension over the month and the six before it."""
    month = trends.month_start(month)
    history_months = trends.previous_months(month)
    end = trends.add_months(month, 1)
    rows = theme_trends(organisation_ids, history_months[0], end, dimensions)
    counts: dict[tuple, dict[datetime.date, int]] = defaultdict(dict)
    names = {}
    for row in rows:
        ident = (row["dimension"], row["key"], row["organisation_id"])
        counts[ident][row["month"]] = row["count"]
        names[ident] = row["name"]
    emerging = []
    for ident, by_month in counts.items():
        count = by_month.get(month, 0)
        previous = [by_month.get(m, 0) for m in history_months]
        if trends.is_emerging(previous, count):
            dimension, key, org = ident
            emerging.append({
                "dimension": dimension, "key": key, "name": names[ident], "organisation_id": org, "month": month,
                "count": count, "previous": previous, "threshold": round(trends.threshold(previous), 1),
            })  # fmt: skip
    return sorted(emerging, key=lambda e: (-e["count"], e["name"]))


def overdue_actions(organisation_ids, on_date: datetime.date) -> QuerySet[ImprovementAction]:
    return (
        ImprovementAction.objects.filter(organisation_id__in=organisation_ids, status__in=OPEN, due_date__lt=on_date)
        .select_related("organisation", "senior_owner", "delivery_owner")
        .order_by("due_date", "id")
    )


# ---- impact ------------------------------------------------------------------------------------------


def impact(action: ImprovementAction, today: datetime.date) -> dict | None:
    """Complaints in the action's themes or service area in the six months before and after the change.

    Counted in SQL (one aggregate query). The after window counts only whole months that have passed, so
    its monthly rate compares like with like. None for an action that is not done or verified.
    """
    if action.status not in DELIVERED_STATUSES or action.done_on is None:
        return None
    window = trends.impact_window(action.done_on, today)
    theme_ids = [t.pk for t in action.themes.all()]
    scope = Q(pk__in=[])
    if action.service_area_id:
        scope |= Q(service_area_id=action.service_area_id)
    if theme_ids:
        scope |= Q(pk__in=LearningRecord.objects.filter(themes__in=theme_ids).values("complaint_id"))
    after_end = trends.add_months(window.change_on, window.months_after)
    figures = Complaint.objects.filter(scope, organisation_id=action.organisation_id).aggregate(
        before=Count("id", filter=Q(received_on__gte=window.before_start, received_on__lt=window.change_on)),
        after=Count("id", filter=Q(received_on__gte=window.change_on, received_on__lt=after_end)),
    )
    return {
        "before": figures["before"],
        "after": figures["after"],
        "before_rate": trends.monthly_rate(figures["before"], trends.WINDOW),
        "after_rate": trends.monthly_rate(figures["after"], window.months_after),
        "months_after": window.months_after,
        "before_start": window.before_start,
        "change_on": window.change_on,
        "after_end": after_end,
        "has_scope": bool(theme_ids or action.service_area_id),
    }


# ---- scoped reads for pages --------------------------------------------------------------------------


def actions_visible_to(user) -> QuerySet[ImprovementAction]:
    ids = organisation_ids_with(user, Cap.MANAGE_LEARNING) | organisation_ids_with(user, Cap.GOVERN)
    return ImprovementAction.objects.filter(
        Q(organisation_id__in=ids) | Q(senior_owner_id=user.pk) | Q(delivery_owner_id=user.pk)
    ).select_related("organisation", "senior_owner", "delivery_owner")


def action_for_user(user, pk: int) -> ImprovementAction:
    action = (
        ImprovementAction.objects.select_related(
            "organisation", "service_area", "senior_owner", "delivery_owner", "verified_by"
        )
        .filter(pk=pk)
        .first()
    )
    if action is None or not user.has_perm("learning.view_action", action):
        raise PermissionDenied
    return action


def learning_organisation_ids(user) -> frozenset[int]:
    """Organisations whose themes and trends the user may see (aggregates)."""
    return organisation_ids_with(user, Cap.VIEW_AGGREGATES) | organisation_ids_with(user, Cap.MANAGE_LEARNING)


def root_causes_for(organisation) -> QuerySet[RootCause]:
    return RootCause.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation), active=True)


def published_changes(language: str = "en") -> list[dict]:
    """Approved "You said, we did" summaries, newest first, grouped by organisation (public, anonymised)."""
    actions = (
        ImprovementAction.objects.filter(publication=Publication.APPROVED)
        .select_related("organisation")
        .order_by("organisation__name", "-published_on", "-id")
    )
    groups: dict[int, dict] = {}
    for action in actions:
        org: Organisation = action.organisation
        group = groups.setdefault(org.pk, {"organisation": org.display_name(language), "changes": []})
        welsh = language == "cy" and action.you_said_cy and action.we_did_cy
        group["changes"].append({
            "you_said": action.you_said_cy if welsh else action.you_said,
            "we_did": action.we_did_cy if welsh else action.we_did,
            "lang": "cy" if welsh else "en",
            "published_on": action.published_on,
        })  # fmt: skip
    return list(groups.values())
