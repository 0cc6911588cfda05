"""Every read for the annual report.

`annual_report_figures(organisation_ids, year)` is the report's figures from aggregate queries only: a fixed
number of queries whatever the number of complaints (the benchmark suite measures it on 100,000). `year` is
the financial year starting 1 April of that year. What each figure counts:

- received: complaints received in the year (triaged as anything but a service request or another route);
- acknowledgement: of those received, how many were acknowledged and how many by the due date;
- each stage: responses issued in the year at that stage: how many by the due date, average working days
  taken, how many extended;
- escalated to stage 2: of those received, how many went to stage 2;
- outcomes: responses issued in the year, by stage and outcome;
- remedies: remedies for complaints received in the year, by type, with the financial redress paid;
- Ombudsman: referrals made (through an MP) in the year, by the Ombudsman's decision;
- learning: learning records for complaints received in the year; improvement actions completed in the
  year, with their evidence and whether they were verified effective;
- themes: complaints received in the year per learning theme;
- the same headline figures for the year before, for comparison, and a per-organisation table.

Callers pass organisation ids they have already scoped (see `report_scope`).
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Case, Count, F, IntegerField, Q, Sum, Value, When
from django.shortcuts import get_object_or_404

from candour.complaints.models import (
    Channel,
    Complaint,
    OmbudsmanReferral,
    Outcome,
    PhsoDecision,
    Remedy,
    RemedyType,
    Response,
)
from candour.learning.models import ImprovementAction, LearningRecord, LearningRecordTheme
from candour.learning.states import ActionStatus
from candour.organisations.models import BODY_KINDS, Organisation
from candour.organisations.roles import Cap
from candour.permissions import organisation_ids_with
from candour.reporting.anonymise import anonymise
from candour.reporting.models import CaseStudy, CaseStudyStatus, PublishedReport, ReportDetails

BODY_KIND_VALUES = frozenset(k.value for k in BODY_KINDS)
EXCLUDED_TRIAGE = ("service_request", "other_route")
DONE = (ActionStatus.DONE, ActionStatus.VERIFIED_EFFECTIVE, ActionStatus.VERIFIED_NOT_EFFECTIVE)


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """1 April `year` and 1 April the year after (exclusive)."""
    return datetime.date(year, 4, 1), datetime.date(year + 1, 4, 1)


def year_label(year: int) -> str:
    return f"April {year} to March {year + 1}"


def financial_year(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def percent(part, whole) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _stage(row: dict, n: int) -> dict:
    responded = row[f"s{n}_responded"]
    return {
        "responded": responded,
        "on_time": row[f"s{n}_on_time"],
        "percent_on_time": percent(row[f"s{n}_on_time"], responded),
        "average_days": round(row[f"s{n}_avg"], 1) if row[f"s{n}_avg"] is not None else None,
        "extended": row[f"s{n}_extended"],
        "percent_extended": percent(row[f"s{n}_extended"], responded),
    }


def _year_of(field: str, years: list[int]) -> Case:
    """The financial year (of `years`) a date field falls in, as an SQL expression (NULL outside them)."""
    return Case(
        *[
            When(**{f"{field}__gte": year_bounds(y)[0], f"{field}__lt": year_bounds(y)[1]}, then=Value(y))
            for y in years
        ],
        default=None,
        output_field=IntegerField(),
    )


def _core_years(ids, years: list[int]) -> dict[int, dict]:
    """The headline figures for several years at once: each aggregate query reads the rows once for all of the
    years (grouped or filtered by year) instead of once per year; six queries whatever the number of years."""
    windows = {year: year_bounds(year) for year in years}
    first, last = min(windows.values())[0], max(windows.values())[1]
    complaints = Complaint.objects.filter(organisation_id__in=ids).exclude(triage__in=EXCLUDED_TRIAGE)
    aggregates, relevant = {}, Q(pk__in=[])
    for year, (start, end) in windows.items():
        in_year = Q(received_on__gte=start, received_on__lt=end)
        s1 = Q(stage1_responded_on__gte=start, stage1_responded_on__lt=end)
        s2 = Q(stage2_responded_on__gte=start, stage2_responded_on__lt=end)
        relevant |= in_year | s1 | s2
        aggregates |= {
            f"{key}_{year}": value
            for key, value in {
                "received": Count("id", filter=in_year),
                "acknowledged": Count("id", filter=in_year & Q(acknowledged_on__isnull=False)),
                "ack_on_time": Count("id", filter=in_year & Q(acknowledged_on__lte=F("acknowledgement_due"))),
                "escalated": Count("id", filter=in_year & Q(escalated_to_stage2=True)),
                "upheld": Count("id", filter=in_year & Q(outcome__in=[Outcome.UPHELD, Outcome.PARTLY_UPHELD])),
                "s1_responded": Count("id", filter=s1),
                "s1_on_time": Count("id", filter=s1 & Q(stage1_responded_on__lte=F("stage1_due"))),
                "s1_avg": Avg("stage1_working_days", filter=s1),
                "s1_extended": Count("id", filter=s1 & Q(stage1_extended=True)),
                "s2_responded": Count("id", filter=s2),
                "s2_on_time": Count("id", filter=s2 & Q(stage2_responded_on__lte=F("stage2_due"))),
                "s2_avg": Avg("stage2_working_days", filter=s2),
                "s2_extended": Count("id", filter=s2 & Q(stage2_extended=True)),
            }.items()
        }
    all_rows = complaints.filter(relevant).aggregate(**aggregates)
    channels: dict[int, dict] = {year: {} for year in years}
    for year, channel, n in (
        complaints.filter(received_on__gte=first, received_on__lt=last)
        .annotate(fy=_year_of("received_on", years))
        .values_list("fy", "channel")
        .annotate(n=Count("id"))
        .values_list("fy", "channel", "n")
        .order_by()
    ):
        if year is not None:
            channels[year][channel] = n
    outcomes: dict[int, dict] = {year: {} for year in years}
    for year, stage, outcome, n in (
        Response.objects.filter(organisation_id__in=ids, status="issued", issued_on__gte=first, issued_on__lt=last)
        .exclude(outcome="")
        .annotate(fy=_year_of("issued_on", years))
        .values_list("fy", "stage", "outcome")
        .annotate(n=Count("id"))
        .values_list("fy", "stage", "outcome", "n")
        .order_by()
    ):
        if year is not None:
            outcomes[year][(stage, outcome)] = n
    remedies: dict[int, dict] = {year: {} for year in years}
    for year, kind, n, amount in (
        Remedy.objects.filter(organisation_id__in=ids, complaint_received_on__gte=first, complaint_received_on__lt=last)
        .annotate(fy=_year_of("complaint_received_on", years))
        .values_list("fy", "type")
        .annotate(n=Count("id"), amount=Sum("amount"))
        .values_list("fy", "type", "n", "amount")
        .order_by()
    ):
        if year is not None:
            remedies[year][kind] = (n, amount or Decimal("0"))
    referrals: dict[int, dict] = {year: {} for year in years}
    for year, decision, n in (
        OmbudsmanReferral.objects.filter(
            complaint__organisation_id__in=ids, mp_referral_date__gte=first, mp_referral_date__lt=last
        )
        .annotate(fy=_year_of("mp_referral_date", years))
        .values_list("fy", "decision")
        .annotate(n=Count("id"))
        .values_list("fy", "decision", "n")
        .order_by()
    ):
        if year is not None:
            referrals[year][decision] = n
    learning = LearningRecord.objects.filter(
        organisation_id__in=ids, complaint_received_on__gte=first, complaint_received_on__lt=last
    ).aggregate(
        **{
            f"records_{year}": Count("id", filter=Q(complaint_received_on__gte=start, complaint_received_on__lt=end))
            for year, (start, end) in windows.items()
        }
    )
    actions = ImprovementAction.objects.filter(organisation_id__in=ids, done_on__gte=first, done_on__lt=last).aggregate(
        **{
            f"{key}_{year}": Count("id", filter=Q(done_on__gte=start, done_on__lt=end) & condition)
            for year, (start, end) in windows.items()
            for key, condition in (
                ("completed", Q()),
                ("verified_effective", Q(status=ActionStatus.VERIFIED_EFFECTIVE)),
            )
        }
    )
    result = {}
    for year in years:
        start, end = windows[year]
        row = {key[: -len(f"_{year}")]: value for key, value in all_rows.items() if key.endswith(f"_{year}")}
        result[year] = _core_figures(
            year, start, end, row, channels[year], outcomes[year], remedies[year], referrals[year],
            learning[f"records_{year}"],
            {"completed": actions[f"completed_{year}"], "verified_effective": actions[f"verified_effective_{year}"]},
        )  # fmt: skip
    return result


def _core_figures(year, start, end, row, channels, outcomes, remedies, referrals, records, actions) -> dict:
    received = row["received"]
    referred = sum(referrals.values())
    return {
        "year": year,
        "label": year_label(year),
        "start": start,
        "end": end - datetime.timedelta(days=1),
        "received": received,
        "acknowledgement": {
            "acknowledged": row["acknowledged"],
            "on_time": row["ack_on_time"],
            "percent_on_time": percent(row["ack_on_time"], received),
        },
        "stage1": _stage(row, 1),
        "stage2": _stage(row, 2),
        "escalated_to_stage2": row["escalated"],
        "percent_escalated_to_stage2": percent(row["escalated"], received),
        "upheld_or_partly": row["upheld"],
        "by_channel": [
            {
                "key": c.value,
                "label": str(c.label),
                "count": channels.get(c.value, 0),
                "percent": percent(channels.get(c.value, 0), received),
            }
            for c in Channel
        ],  # fmt: skip
        "outcomes": [
            {"stage": stage, "outcome": o.value, "label": str(o.label), "count": outcomes.get((stage, o.value), 0)}
            for stage in (1, 2)
            for o in Outcome
        ],
        "remedies": [
            {
                "type": t.value,
                "label": str(t.label),
                "count": remedies.get(t.value, (0, 0))[0],
                "amount": remedies.get(t.value, (0, Decimal("0")))[1],
            }
            for t in RemedyType
        ],  # fmt: skip
        "redress_paid": remedies.get(RemedyType.FINANCIAL.value, (0, Decimal("0")))[1],
        "ombudsman": {
            "referred": referred,
            "percent_of_received": percent(referred, received),
            "decisions": [
                {"decision": d.value, "label": str(d.label), "count": referrals.get(d.value, 0)} for d in PhsoDecision
            ],
        },
        "learning_records": records,
        "actions_completed": actions["completed"],
        "actions_verified_effective": actions["verified_effective"],
    }


def annual_report_figures(organisation_ids, year: int) -> dict:
    """Every figure in the annual report for these organisations and financial year, and the year before.

    Aggregate queries only, a fixed number of them (see the module docstring for what each figure counts).
    """
    ids = list(organisation_ids)
    both = _core_years(ids, [year, year - 1])
    figures = both[year]
    start, end = year_bounds(year)
    in_year = Q(received_on__gte=start, received_on__lt=end)
    complaints = Complaint.objects.filter(organisation_id__in=ids).exclude(triage__in=EXCLUDED_TRIAGE)
    figures["by_service_area"] = [
        {"name": name or "Not recorded", "count": n}
        for name, n in complaints.filter(in_year)
        .values_list("service_area__name")
        .annotate(n=Count("id"))
        .order_by("-n", "service_area__name")
        .values_list("service_area__name", "n")
    ]
    figures["by_theme"] = [
        {"name": name, "count": n}
        for name, n in LearningRecordTheme.objects.filter(  # links carry their record's keys (ADR 10)
            organisation_id__in=ids,
            complaint_received_on__gte=start,
            complaint_received_on__lt=end,
        )
        .values_list("theme__name")
        .annotate(n=Count("id"))  # a record is one complaint and has each theme once (unique): no distinct count
        .order_by("-n", "theme__name")
        .values_list("theme__name", "n")
    ]
    interactions = ReportDetails.objects.filter(organisation_id__in=ids, year=year).aggregate(
        total=Sum("interactions"), known=Count("id", filter=Q(interactions__isnull=False))
    )
    figures["interactions"] = interactions["total"] if interactions["known"] else None
    figures["per_thousand_interactions"] = (
        round(1000 * figures["received"] / figures["interactions"], 2) if figures["interactions"] else None
    )
    figures["improvements"] = [
        {
            "organisation": a["organisation__name"],
            "description": anonymise(a["we_did"] or a["description"]),
            "evidence": anonymise(a["evidence"]),
            "expected_impact": anonymise(a["expected_impact"]),
            "done_on": a["done_on"],
            "status": str(ActionStatus(a["status"]).label),
            "effective": a["status"] == ActionStatus.VERIFIED_EFFECTIVE,
        }
        for a in ImprovementAction.objects.filter(organisation_id__in=ids, done_on__gte=start, done_on__lt=end)
        .order_by("done_on", "id")
        .values("organisation__name", "description", "we_did", "evidence", "expected_impact", "done_on", "status")[:50]
    ]
    figures["case_studies"] = list(
        CaseStudy.objects.filter(organisation_id__in=ids, year=year, status=CaseStudyStatus.APPROVED)
        .order_by("title", "id")
        .values("title", "anonymised_text")
    )
    rows = (
        complaints.filter(in_year | Q(stage1_responded_on__gte=start, stage1_responded_on__lt=end))
        .values("organisation_id", "organisation__name")
        .annotate(
            received=Count("id", filter=in_year),
            s1_responded=Count("id", filter=Q(stage1_responded_on__gte=start, stage1_responded_on__lt=end)),
            s1_on_time=Count(
                "id",
                filter=Q(stage1_responded_on__gte=start, stage1_responded_on__lt=end)
                & Q(stage1_responded_on__lte=F("stage1_due")),
            ),
            escalated=Count("id", filter=in_year & Q(escalated_to_stage2=True)),
        )
        .order_by("organisation__name")
    )
    figures["by_organisation"] = [
        {
            "organisation": r["organisation__name"],
            "received": r["received"],
            "stage1_percent_on_time": percent(r["s1_on_time"], r["s1_responded"]),
            "percent_escalated_to_stage2": percent(r["escalated"], r["received"]),
        }
        for r in rows
    ]
    figures["previous"] = both[year - 1]
    return figures


# ---- sections from other apps, when they are installed ---------------------------------------------


def _optional(module: str, function: str):
    if importlib.util.find_spec(module.rsplit(".", 1)[0]) is None:
        return None
    try:
        return getattr(importlib.import_module(module), function, None)
    except ImportError:
        return None


def other_sections(organisation_ids, year: int) -> dict:
    """Survey results, self-assessment, training and governance reviews: None where not yet recorded."""
    start, end = year_bounds(year)
    ids = list(organisation_ids)
    sections = {}
    calls = {
        "surveys": ("candour.feedback.selectors", "survey_summary", (ids, start, end)),
        "self_assessment": ("candour.feedback.selectors", "self_assessment_rows", (ids,)),
        "training": ("candour.people.selectors", "compliance_summary", (ids, end - datetime.timedelta(days=1))),
        "governance": ("candour.governance.selectors", "reviews_held", (ids, start, end)),
    }
    for key, (module, function, args) in calls.items():
        fn = _optional(module, function)
        sections[key] = _tabulate(fn(*args)) if fn else None
    return sections


def _tabulate(value) -> dict | None:
    """Any list of dicts (or a dict) from another app as a table: headings and rows of text."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = [value]
    rows = [dict(row) if not isinstance(row, dict) else row for row in value]
    if not rows:
        return {"head": [], "rows": []}
    head = [key for key in rows[0] if not str(key).endswith("_id")]
    return {"head": [str(h).replace("_", " ").capitalize() for h in head],
            "rows": [["" if row.get(h) is None else str(row.get(h)) for h in head] for row in rows]}  # fmt: skip


# ---- scope -------------------------------------------------------------------------------------------


def report_scope(organisation: Organisation, consolidated: bool) -> list[int]:
    """The organisations a report covers: a body and its own directorates and teams, or (consolidated) the
    whole subtree beneath a department, related bodies included. One query."""
    rows = list(Organisation.objects.filter(path__startswith=organisation.path).values_list("pk", "path", "kind"))
    if consolidated:
        return sorted(pk for pk, _path, _kind in rows)
    bodies = [path for _pk, path, kind in rows if kind in BODY_KIND_VALUES and path != organisation.path]
    return sorted(pk for pk, path, _kind in rows if not any(path.startswith(b) for b in bodies))


def organisation_for_report(user, slug: str, consolidated: bool = False) -> tuple[Organisation, list[int]]:
    """The organisation and the ids its report covers, if the user may see every one of them in aggregate."""
    organisation = get_object_or_404(Organisation, slug=slug)
    ids = report_scope(organisation, consolidated)
    if not set(ids) <= organisation_ids_with(user, Cap.VIEW_AGGREGATES):
        raise PermissionDenied
    return organisation, ids


def reportable_organisations(user):
    ids = organisation_ids_with(user, Cap.VIEW_AGGREGATES)
    return Organisation.objects.filter(pk__in=ids, kind__in=BODY_KIND_VALUES).order_by("path")


def details_for(organisation: Organisation, year: int) -> ReportDetails:
    return ReportDetails.objects.filter(organisation=organisation, year=year).first() or ReportDetails(
        organisation=organisation, year=year
    )


def published_versions(organisation: Organisation, year: int, consolidated: bool = False):
    return PublishedReport.objects.filter(organisation=organisation, year=year, consolidated=consolidated).order_by(
        "-version"
    )


def case_studies_visible_to(user):
    ids = organisation_ids_with(user, Cap.MANAGE_CASES) | organisation_ids_with(user, Cap.GOVERN)
    return CaseStudy.objects.filter(organisation_id__in=ids).select_related("organisation", "complaint")


def public_reports():
    """Every published report's latest version per organisation, year and kind (public)."""
    return PublishedReport.objects.select_related("organisation").defer("html", "pdf", "csv", "ods")
