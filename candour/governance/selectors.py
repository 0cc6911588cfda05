"""Every read for governance: the dashboard's figures, the side-by-side view of related organisations,
governance bodies, reviews and their decisions.

All figures are computed in the database with aggregate queries (conditional COUNT/AVG/SUM, GROUP BY):
no complaint is ever loaded into Python, so a dashboard over any number of complaints takes the same
fixed number of queries. Indicators read the deadline and working-day fields stored on `Complaint`.

Cohort: the figures for a period are about the complaints *received* in it (so every figure links to
exactly the cases behind it in the work queue, filtered by the same received dates). Timeliness counts a
complaint once its deadline has passed or it has been met: "on time" is done on or before the due date
(an agreed extension moves the due date); "late" is done after it, or not done and past due while still
open. Complaints not yet due are in neither.
"""

from __future__ import annotations

import datetime
import importlib
from decimal import Decimal

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from candour.complaints.models import (
    Channel,
    Complaint,
    ComplianceStatus,
    OmbudsmanReferral,
    Outcome,
    PhsoDecision,
    Remedy,
    RemedyType,
    Response,
    ResponseStatus,
)
from candour.complaints.states import AWAITING_RESPONSE, OPEN_STATES
from candour.governance.models import (
    GRACE,
    Decision,
    GovernanceBody,
    GovernanceReview,
    InteractionVolume,
    ReviewAction,
    Threshold,
)
from candour.governance.periods import Period, add_months
from candour.learning import selectors as learning
from candour.learning.states import OPEN_STATUSES
from candour.organisations.models import BODY_KIND_VALUES, Organisation
from candour.organisations.roles import Cap
from candour.permissions import organisation_ids_with

STAGES = (1, 2)


def _optional(module: str, name: str):
    """A selector another app provides, or None until that app exists (learning, people, feedback)."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


# ---- scope ------------------------------------------------------------------------------------------


def bodies_visible_to(user):
    """Organisations in their own right whose aggregates the user may see."""
    ids = organisation_ids_with(user, Cap.VIEW_AGGREGATES)
    return Organisation.objects.filter(pk__in=ids, kind__in=BODY_KIND_VALUES).order_by("path")


def subtree_bodies_visible_to(user, department: Organisation) -> list[Organisation]:
    """The department and the related organisations beneath it, limited to what the user may see."""
    ids = organisation_ids_with(user, Cap.VIEW_AGGREGATES)
    return list(
        Organisation.objects.filter(pk__in=ids, kind__in=BODY_KIND_VALUES, path__startswith=department.path).order_by(
            "path"
        )
    )


# ---- the dashboard ----------------------------------------------------------------------------------


def _stage_conditions(stage: int, today: datetime.date) -> dict[str, Q]:
    responded = f"stage{stage}_responded_on"
    due = f"stage{stage}_due"
    overdue = Q(
        **{f"{responded}__isnull": True, f"{due}__lt": today},
        stage=stage,
        status__in=AWAITING_RESPONSE,
        clock_stopped=False,
    )
    return {
        "started": Q(**{f"stage{stage}_started_on__isnull": False}),
        "responded": Q(**{f"{responded}__isnull": False}),
        "on_time": Q(**{f"{responded}__lte": F(due)}),
        "late": Q(**{f"{responded}__gt": F(due)}) | overdue,
        "overdue": overdue,
        "extended": Q(**{f"stage{stage}_extended": True}),
    }


def _scalar_aggregates(today: datetime.date) -> dict:
    """The per-cohort counts every indicator is derived from, as one SELECT of conditional aggregates."""
    aggregates = {
        "received": Count("pk"),
        "ack_on_time": Count("pk", filter=Q(acknowledged_on__lte=F("acknowledgement_due"))),
        "ack_late": Count(
            "pk",
            filter=Q(acknowledged_on__gt=F("acknowledgement_due"))
            | Q(acknowledged_on__isnull=True, acknowledgement_due__lt=today, status__in=OPEN_STATES),
        ),
        "escalated": Count("pk", filter=Q(escalated_to_stage2=True)),
        "open": Count("pk", filter=Q(status__in=OPEN_STATES)),
        "overdue": Count("pk", filter=Q(status__in=AWAITING_RESPONSE, response_due__lt=today, clock_stopped=False)),
    }
    for stage in STAGES:
        for name, condition in _stage_conditions(stage, today).items():
            aggregates[f"stage{stage}_{name}"] = Count("pk", filter=condition)
        # The average as its sum and count, so that organisations' figures add up to their consolidated figures.
        aggregates[f"stage{stage}_days_total"] = Sum(f"stage{stage}_working_days")
        aggregates[f"stage{stage}_days_counted"] = Count(f"stage{stage}_working_days")
    return aggregates


def _add_up(rows) -> dict:
    """The consolidated counts of several organisations' `_scalar_aggregates` rows (None, an empty sum, is 0)."""
    total: dict = {}
    for row in rows:
        for key, value in row.items():
            total[key] = total.get(key, 0) + (value or 0)
    return total


def _derive(row: dict) -> dict:
    """Percentages and rounded averages from the counts (arithmetic on a handful of numbers, not on cases)."""
    figures = dict(row)
    figures["ack_pct_on_time"] = pct(row["ack_on_time"], row["ack_on_time"] + row["ack_late"])
    figures["escalated_pct"] = pct(row["escalated"], row["received"])
    for stage in STAGES:
        s = f"stage{stage}"
        figures[f"{s}_pct_on_time"] = pct(row[f"{s}_on_time"], row[f"{s}_on_time"] + row[f"{s}_late"])
        figures[f"{s}_pct_extended"] = pct(row[f"{s}_extended"], row[f"{s}_started"])
        counted = row[f"{s}_days_counted"]
        figures[f"{s}_avg_days"] = (
            (Decimal(row[f"{s}_days_total"]) / counted).quantize(Decimal("0.1")) if counted else None
        )
    return figures


def _volumes(organisation_ids, period: Period):
    months = (period.start.replace(day=1), period.end)
    return InteractionVolume.objects.filter(organisation_id__in=organisation_ids, month__range=months)


def dashboard_figures(
    organisation_ids, start: datetime.date, end: datetime.date, today=None, *, per_organisation=None, by_month=None
) -> dict:
    """Every dashboard figure for complaints received by `organisation_ids` between `start` and `end`.

    The caller has already scoped `organisation_ids` to what the user may see. A fixed number of queries
    whatever the number of complaints. A caller that has already counted each organisation's complaints passes
    those counts (`per_organisation`: `_per_organisation_counts`; `by_month`: `_monthly_counts`) and their
    totals are used instead of counting the same complaints again (the parent-department view).
    """
    today = today or timezone.localdate()
    period = Period(start, end)
    organisation_ids = list(organisation_ids)
    cohort = Complaint.objects.filter(organisation_id__in=organisation_ids, received_on__range=(start, end))

    # Interaction volumes: which organisations record them, and the total over the period's months.
    volume_rows = list(_volumes(organisation_ids, period).values("organisation_id").annotate(total=Sum("count")))
    with_volumes = [row["organisation_id"] for row in volume_rows]
    interactions = sum(row["total"] for row in volume_rows) if volume_rows else None

    if per_organisation is None:
        aggregates = _scalar_aggregates(today)
        aggregates["received_with_volumes"] = Count("pk", filter=Q(organisation_id__in=with_volumes))
        figures = _derive(cohort.aggregate(**aggregates))
    else:
        zero = dict.fromkeys(_scalar_aggregates(today), 0)
        counts = _add_up([zero, *(per_organisation[pk] for pk in organisation_ids if pk in per_organisation)])
        counts["received_with_volumes"] = sum(
            per_organisation[pk]["received"] for pk in with_volumes if pk in per_organisation
        )
        figures = _derive(counts)
    figures["period"] = period
    figures["interactions"] = interactions
    figures["per_thousand"] = (
        (Decimal(1000) * figures["received_with_volumes"] / interactions).quantize(Decimal("0.01"))
        if interactions
        else None
    )

    channel_labels = dict(Channel.choices)
    figures["by_channel"] = [
        {"channel": row["channel"], "label": str(channel_labels.get(row["channel"], row["channel"])), "count": row["n"]}
        for row in cohort.values("channel").annotate(n=Count("pk")).order_by("-n", "channel")
    ]
    figures["by_service_area"] = [
        {"id": row["service_area_id"], "label": row["service_area__name"] or "Not recorded", "count": row["n"]}
        for row in cohort.values("service_area_id", "service_area__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "service_area__name")
    ]
    if by_month is None:
        by_month = {
            _month(row["month"]): row
            for row in cohort.annotate(month=TruncMonth("received_on"))
            .values("month")
            .annotate(**_monthly_aggregates(today))
            .order_by("month")
        }
    figures["by_month"] = []
    for month in period.months():
        row = by_month.get(month) or {}
        figures["by_month"].append(
            {
                "month": month,
                "received": row.get("received", 0),
                "stage1_pct_on_time": pct(
                    row.get("stage1_on_time", 0), row.get("stage1_on_time", 0) + row.get("stage1_late", 0)
                ),
            }
        )

    # Outcomes of the responses issued at each stage, for the cohort (responses and remedies carry their complaint's
    # organisation and received date: ADR 10). `.order_by()` here and below: the models' default ordering is by
    # complaint, which would join the complaint table into a GROUP BY that does not need it.
    outcome_labels = dict(Outcome.choices)
    outcomes = {stage: dict.fromkeys(Outcome.values, 0) for stage in STAGES}
    for row in (
        Response.objects.filter(
            organisation_id__in=organisation_ids,
            complaint_received_on__range=(start, end),
            status=ResponseStatus.ISSUED,
        )
        .order_by()
        .exclude(outcome="")
        .values("stage", "outcome")
        .annotate(n=Count("pk"))
    ):
        outcomes.setdefault(row["stage"], {})[row["outcome"]] = row["n"]
    figures["outcomes"] = {
        stage: [{"outcome": k, "label": str(outcome_labels.get(k, k)), "count": v} for k, v in counts.items()]
        for stage, counts in outcomes.items()
    }

    # The Ombudsman: referrals of complaints in the cohort, its decisions and compliance with them.
    decision_labels, compliance_labels = dict(PhsoDecision.choices), dict(ComplianceStatus.choices)
    referrals = OmbudsmanReferral.objects.filter(complaint__in=cohort).order_by()
    rows = list(referrals.values("decision", "compliance").annotate(n=Count("pk")))
    decisions, compliance = {}, {}
    for row in rows:
        decisions[row["decision"]] = decisions.get(row["decision"], 0) + row["n"]
        compliance[row["compliance"]] = compliance.get(row["compliance"], 0) + row["n"]
    figures["ombudsman_referred"] = sum(decisions.values())
    figures["ombudsman_pct"] = pct(figures["ombudsman_referred"], figures["received"])
    figures["ombudsman_decisions"] = [
        {"decision": k, "label": str(decision_labels[k]), "count": decisions.get(k, 0)} for k in PhsoDecision.values
    ]
    figures["ombudsman_compliance"] = [
        {"compliance": k, "label": str(compliance_labels[k]), "count": compliance.get(k, 0)}
        for k in ComplianceStatus.values
        if compliance.get(k)
    ]

    # Remedies and redress.
    remedy_labels = dict(RemedyType.choices)
    remedies = {
        row["type"]: row
        for row in Remedy.objects.filter(
            organisation_id__in=organisation_ids, complaint_received_on__range=(start, end)
        )
        .order_by()
        .values("type")
        .annotate(n=Count("pk"), complaints=Count("complaint", distinct=True), amount=Sum("amount"))
    }
    figures["remedies"] = [
        {
            "type": k,
            "label": str(remedy_labels[k]),
            "count": remedies.get(k, {}).get("n", 0),
            "complaints": remedies.get(k, {}).get("complaints", 0),
            "amount": remedies.get(k, {}).get("amount") or Decimal("0.00"),
        }
        for k in RemedyType.values
    ]
    figures["redress_total"] = sum((r["amount"] for r in figures["remedies"]), Decimal("0.00"))

    # Actions agreed at governance reviews: improvement actions, so already in "improvement_actions" below. This
    # is the part of those figures that came from reviews (status and due date are the improvement action's).
    actions = ReviewAction.objects.filter(
        review__organisation_id__in=organisation_ids, improvement_action__status__in=OPEN_STATUSES
    )
    figures["review_actions"] = actions.aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(improvement_action__due_date__lt=today))
    )

    # Learning: complaints per theme (learning's selector takes an exclusive end) and improvement actions.
    theme_totals: dict[str, int] = {}
    for row in learning.theme_trends(organisation_ids, start, end + datetime.timedelta(days=1), ("theme",)):
        theme_totals[row["name"]] = theme_totals.get(row["name"], 0) + row["count"]
    figures["themes"] = [
        {"theme": name, "complaints": count}
        for name, count in sorted(theme_totals.items(), key=lambda item: (-item[1], item[0]))
    ]
    action_keys = ("open", "overdue", "done", "verified_effective", "verified_not_effective", "total")
    summary = learning.action_summary(organisation_ids, today)
    figures["improvement_actions"] = {key: sum(row[key] for row in summary) for key in action_keys}
    # Sections that appear once the app that owns them exists.
    figures["training"] = _call_optional("candour.people.selectors", "compliance_summary", organisation_ids, end)
    figures["surveys"] = _call_optional("candour.feedback.selectors", "survey_summary", organisation_ids, start, end)
    return figures


def _call_optional(module, name, *args):
    function = _optional(module, name)
    return None if function is None else function(*args)


# ---- side by side: a department's related organisations ---------------------------------------------


def _per_organisation_counts(ids, start, end, today) -> dict[int, dict]:
    """organisation id -> its `_scalar_aggregates` counts (one GROUP BY query); no row where none were received."""
    rows = (
        Complaint.objects.filter(organisation_id__in=ids, received_on__range=(start, end))
        .values("organisation_id")
        .annotate(**_scalar_aggregates(today))
    )
    return {row.pop("organisation_id"): row for row in rows}


def _monthly_aggregates(today) -> dict:
    stage1 = _stage_conditions(1, today)
    return {
        "received": Count("pk"),
        "stage1_on_time": Count("pk", filter=stage1["on_time"]),
        "stage1_late": Count("pk", filter=stage1["late"]),
    }


def _monthly_counts(ids, start, end, today) -> dict[tuple[int, datetime.date], dict]:
    """(organisation id, first of month) -> complaints received and stage 1 on time and late (one GROUP BY)."""
    rows = (
        Complaint.objects.filter(organisation_id__in=ids, received_on__range=(start, end))
        .annotate(month=TruncMonth("received_on"))
        .values("organisation_id", "month")
        .annotate(**_monthly_aggregates(today))
        .order_by()
    )
    return {(row.pop("organisation_id"), _month(row.pop("month"))): row for row in rows}


def oversight_figures(organisations: list[Organisation], start, end, today=None) -> tuple[list[dict], dict, dict]:
    """The parent-department view: (organisation_comparison rows, consolidated dashboard_figures,
    monthly_by_organisation). Each organisation's complaints are counted once, by organisation and by month, and the
    consolidated figures are their totals, instead of counting the whole cohort again."""
    today = today or timezone.localdate()
    ids = [org.pk for org in organisations]
    counts = _per_organisation_counts(ids, start, end, today)
    monthly = _monthly_counts(ids, start, end, today)
    rows = organisation_comparison(organisations, start, end, today, counts=counts)
    by_month: dict[datetime.date, dict] = {}
    for (_org, month), row in monthly.items():
        by_month[month] = _add_up([by_month.get(month, {}), row])
    consolidated = dashboard_figures(ids, start, end, today, per_organisation=counts, by_month=by_month)
    return rows, consolidated, monthly_by_organisation(organisations, start, end, counts=monthly)


def organisation_comparison(organisations: list[Organisation], start, end, today=None, *, counts=None) -> list[dict]:
    """The key indicators per organisation, one GROUP BY query for all of them (`counts`, when the caller has
    them: `_per_organisation_counts`), plus governance rhythm."""
    today = today or timezone.localdate()
    ids = [org.pk for org in organisations]
    if counts is None:
        counts = _per_organisation_counts(ids, start, end, today)
    rows = {pk: _derive(row) for pk, row in counts.items()}
    volumes = {
        row["organisation_id"]: row["total"]
        for row in _volumes(ids, Period(start, end)).values("organisation_id").annotate(total=Sum("count"))
    }
    rhythm = review_rhythm(ids, today)
    actions = {
        row["review__organisation_id"]: row
        for row in ReviewAction.objects.filter(
            review__organisation_id__in=ids, improvement_action__status__in=OPEN_STATUSES
        )
        .values("review__organisation_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(improvement_action__due_date__lt=today)))
    }
    # Standards self-assessment status per organisation, once the feedback app provides it.
    self_assessment = _call_optional("candour.feedback.selectors", "self_assessment_status", ids)
    empty = _derive(dict.fromkeys(_scalar_aggregates(today), 0))
    result = []
    for org in organisations:
        figures = dict(rows.get(org.pk, empty))
        volume = volumes.get(org.pk)
        figures["interactions"] = volume
        figures["per_thousand"] = (
            (Decimal(1000) * figures["received"] / volume).quantize(Decimal("0.01")) if volume else None
        )
        figures["organisation"] = org
        figures["rhythm"] = rhythm.get(org.pk)
        figures["actions_open"] = actions.get(org.pk, {}).get("open", 0)
        figures["actions_overdue"] = actions.get(org.pk, {}).get("overdue", 0)
        figures["self_assessment"] = (self_assessment or {}).get(org.pk)
        result.append(figures)
    return result


def monthly_by_organisation(organisations: list[Organisation], start, end, *, counts=None) -> dict:
    """Complaints received per organisation per month (one GROUP BY query, or the caller's `_monthly_counts`): the
    trend side by side."""
    period = Period(start, end)
    if counts is None:
        counts = _monthly_counts([org.pk for org in organisations], start, end, timezone.localdate())
    months = period.months()
    return {
        "months": months,
        "series": {
            org.name: [counts.get((org.pk, month), {}).get("received", 0) for month in months]
            for org in organisations
        },
    }


def _month(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def thresholds_for(department: Organisation) -> list[Threshold]:
    return list(Threshold.objects.filter(department=department))


def shortfalls(row: dict, thresholds: list[Threshold]) -> list[Threshold]:
    return [t for t in thresholds if t.falls_short(row.get(t.indicator))]


# ---- governance bodies and reviews ------------------------------------------------------------------


def review_rhythm(organisation_ids, today=None) -> dict[int, dict]:
    """Per organisation: its governance body, the last review held, when the next is due, and whether
    it has been missed (two queries whatever the number of organisations)."""
    today = today or timezone.localdate()
    last_held = dict(
        GovernanceReview.objects.filter(organisation_id__in=organisation_ids)
        .values("organisation_id")
        .annotate(last=Max("held_on"))
        .values_list("organisation_id", "last")
    )
    result = {}
    for body in GovernanceBody.objects.filter(organisation_id__in=organisation_ids).select_related(
        "accountable_leader"
    ):
        last = last_held.get(body.organisation_id)
        next_due = add_months(last or body.since, body.interval_months)
        result[body.organisation_id] = {
            "body": body,
            "last_held": last,
            "next_due": next_due,
            "missed": today > next_due + GRACE,
        }
    return result


def reviews_for(organisation: Organisation):
    return (
        GovernanceReview.objects.filter(organisation=organisation)
        .annotate(decision_count=Count("decisions", distinct=True), action_count=Count("actions", distinct=True))
        .order_by("-held_on", "-id")
    )


def earlier_decisions(organisation: Organisation, before: datetime.date | None = None):
    """Every decision from earlier reviews, with its current status (what the next pack reports on)."""
    decisions = Decision.objects.filter(review__organisation=organisation).select_related("review")
    if before is not None:
        decisions = decisions.filter(review__held_on__lt=before)
    return decisions.order_by("review__held_on", "id")


def open_review_actions(organisation: Organisation):
    """Actions agreed at reviews whose improvement action is still open (proposed, agreed or in progress)."""
    return (
        ReviewAction.objects.filter(review__organisation=organisation, improvement_action__status__in=OPEN_STATUSES)
        .select_related("owner", "review", "improvement_action")
        .order_by("improvement_action__due_date", "id")
    )


def earlier_review_actions(organisation: Organisation, before: datetime.date | None = None):
    """Every action from earlier reviews with its improvement action's current status (for the next pack)."""
    actions = ReviewAction.objects.filter(review__organisation=organisation).select_related(
        "owner", "review", "improvement_action__senior_owner"
    )
    if before is not None:
        actions = actions.filter(review__held_on__lt=before)
    return actions.order_by("review__held_on", "id")


def ombudsman_cases(organisation_ids, start, end):
    """Referrals made, or decided, in the period (references and decisions only: no personal data)."""
    return (
        OmbudsmanReferral.objects.filter(complaint__organisation_id__in=organisation_ids)
        .filter(
            Q(mp_referral_date__range=(start, end))
            | Q(decision_date__range=(start, end))
            | Q(decision=PhsoDecision.PENDING)
        )
        .select_related("complaint", "complaint__service_area")
        .only(
            "mp_referral_date",
            "decision",
            "decision_date",
            "compliance",
            "phso_reference",
            "complaint__id",
            "complaint__reference",
            "complaint__organisation_id",
            "complaint__service_area__name",
        )
        .order_by("mp_referral_date", "id")
    )


def notable_cases(organisation_ids, start, end, limit: int = 20):
    """Complaints received in the period worth the board's attention: upheld at stage 2, with financial
    redress, or still open past their response date. References, service areas and figures only."""
    today = timezone.localdate()
    financial = Remedy.objects.filter(complaint=OuterRef("pk"), type=RemedyType.FINANCIAL)
    redress = financial.order_by().values("complaint").annotate(total=Sum("amount")).values("total")
    return (
        Complaint.objects.filter(organisation_id__in=organisation_ids, received_on__range=(start, end))
        .annotate(has_redress=Exists(financial), redress=Subquery(redress))
        .filter(
            Q(stage=2, outcome__in=[Outcome.UPHELD, Outcome.PARTLY_UPHELD])
            | Q(has_redress=True)
            | Q(status__in=AWAITING_RESPONSE, response_due__lt=today, clock_stopped=False)
        )
        .select_related("service_area")
        .only(
            "reference",
            "organisation_id",
            "stage",
            "status",
            "outcome",
            "received_on",
            "response_due",
            "service_area__name",
        )
        .order_by("-stage", "received_on", "id")[:limit]
    )


def reviews_held(organisation_ids, start: datetime.date, end: datetime.date) -> list[dict]:
    """Governance reviews held in [start, end) per organisation, with the decisions made (annual report)."""
    from candour.governance.models import Decision, GovernanceReview

    held = {
        row["organisation_id"]: row
        for row in GovernanceReview.objects.filter(
            organisation_id__in=list(organisation_ids), held_on__gte=start, held_on__lt=end
        )
        .values("organisation_id", "organisation__name")
        .annotate(reviews=Count("pk"))
    }
    decisions = dict(
        Decision.objects.filter(
            review__organisation_id__in=list(held), review__held_on__gte=start, review__held_on__lt=end
        )
        .values_list("review__organisation_id")
        .annotate(n=Count("pk"))
    )
    return [
        {"organisation": row["organisation__name"], "reviews_held": row["reviews"], "decisions": decisions.get(pk, 0)}
        for pk, row in sorted(held.items(), key=lambda item: item[1]["organisation__name"])
    ]
