"""Reads for feedback, scoped by the caller (views pass `organisation_ids_with(user, ...)`).

Scores are computed in the database: per statement, section, stage, outcome, organisation and month, one
GROUP BY each, counting answers, answers of 4 or 5, and the mean. Every breakdown goes through
`suppression.figures`, so fewer than 5 responses never shows a number. `survey_results` and
`latest_self_assessments` return plain dicts for the governance dashboard and the annual report.
"""

from __future__ import annotations

import datetime
import importlib
from collections import defaultdict

from django.db.models import Avg, Count, Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from candour.complaints.models import Complaint, Outcome
from candour.feedback import suppression
from candour.feedback.models import (
    Answer,
    Expectation,
    ExpectationRating,
    Rating,
    SelfAssessment,
    SurveyInvitation,
    SurveyResponse,
)
from candour.feedback.services import SurveyUnavailable, hash_token
from candour.feedback.statements import AGREE_FROM, STATEMENTS, Kind, Section
from candour.organisations.models import BODY_KIND_VALUES, Organisation

AGREE = Q(score__gte=AGREE_FROM)


# ---- the public link -------------------------------------------------------------------------------------


def invitation_for_token(token: str) -> SurveyInvitation:
    """The complainant's invitation behind a link, or SurveyUnavailable("unknown" | "expired" | "used")."""
    invitation = (
        SurveyInvitation.objects.select_related("complaint")
        .filter(kind=Kind.COMPLAINANT, token_hash=hash_token(token or ""))
        .first()
    )
    if invitation is None:
        raise SurveyUnavailable("unknown")
    if invitation.used_at is not None:
        raise SurveyUnavailable("used")
    if invitation.expires_at <= timezone.now():
        raise SurveyUnavailable("expired")
    return invitation


def colleague_invitations_for(user):
    """The colleague surveys `user` has been invited to, newest first (answered ones included)."""
    return (
        SurveyInvitation.objects.filter(kind=Kind.COLLEAGUE, colleague=user)
        .select_related("complaint", "organisation")
        .order_by("-created_at", "-id")
    )


# ---- results ----------------------------------------------------------------------------------------------


def _day_range(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The instants from the start of `start` to the start of the day after `end`, in local time: the same rows
    as `__date__gte=start, __date__lte=end` but able to use an index on the timestamp (a `__date` lookup casts
    every row's timestamp, so PostgreSQL read every survey row of the organisation)."""
    return (
        timezone.make_aware(datetime.datetime.combine(start, datetime.time.min)),
        timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)),
    )


def _answers(kind: str, organisation_ids, start: datetime.date, end: datetime.date):
    since, until = _day_range(start, end)
    # The answers' own copies of their response's kind, organisation and time (one covering index, no join).
    return Answer.objects.filter(
        kind=kind,
        organisation_id__in=list(organisation_ids),
        submitted_at__gte=since,
        submitted_at__lt=until,
    )


def _grouped(queryset, field: str) -> dict:
    """field value -> (responses, agreeing, mean). Respondents answer each statement once (a unique
    constraint), so for one statement answers are respondents and need no distinct count (no sort); across
    statements, responses are counted distinctly."""
    rows = queryset.values(field).annotate(
        responses=Count("id") if field == "statement" else Count("response", distinct=True),
        answers=Count("id"),
        agree=Count("id", filter=AGREE),
        mean=Avg("score"),
    )
    return {row[field]: row for row in rows}


def _figures(row: dict | None) -> dict:
    """Published figures from a grouped row: suppressed by respondents, % agreeing over answers given."""
    if not row:
        return suppression.figures(0, 0, None)
    published = suppression.figures(row["responses"], 0, row["mean"])
    if not published["suppressed"]:
        published["percent_agree"] = suppression.percent(row["agree"], row["answers"])
    return published


def _response_rate(kind: str, organisation_ids, start, end) -> dict:
    since, until = _day_range(start, end)
    row = SurveyInvitation.objects.filter(
        kind=kind,
        organisation_id__in=list(organisation_ids),
        created_at__gte=since,
        created_at__lt=until,
    ).aggregate(invited=Count("id"), answered=Count("id", filter=Q(used_at__isnull=False)))
    return {**row, "percent": suppression.percent(row["answered"], row["invited"])}


def _statement_rows(kind: str, by_statement: dict) -> list[dict]:
    """Published figures per statement of the survey, in the survey's order."""
    return [
        {"statement": s.key, "text": str(s.text), "section": int(s.section), **_figures(by_statement.get(s.key))}
        for s in STATEMENTS[kind]
    ]


def _results_for(kind: str, organisation_ids, start, end) -> dict:
    answers = _answers(kind, organisation_ids, start, end)
    by_statement = _grouped(answers, "statement")
    by_section = _grouped(answers, "section")
    overall = answers.aggregate(
        responses=Count("response", distinct=True),
        answers=Count("id"),
        agree=Count("id", filter=AGREE),
        mean=Avg("score"),
    )
    organisations = dict(Organisation.objects.filter(pk__in=list(organisation_ids)).values_list("pk", "name"))
    outcome_labels = dict(Outcome.choices)
    statements = _statement_rows(kind, by_statement)
    sections = []
    for section in Section:
        if any(s.section == section for s in STATEMENTS[kind]):
            sections.append(
                {"section": int(section), "title": str(section.label), **_figures(by_section.get(int(section)))}
            )
    by_stage = _grouped(answers, "response__stage")
    by_outcome = _grouped(answers, "response__outcome")
    by_org = _grouped(answers, "organisation_id")
    trend = (
        answers.annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(
            responses=Count("response", distinct=True),
            answers=Count("id"),
            agree=Count("id", filter=AGREE),
            mean=Avg("score"),
        )
        .order_by("month")
    )
    return {
        "response_rate": _response_rate(kind, organisation_ids, start, end),
        "overall": _figures(overall if overall["responses"] else None),
        "statements": statements,
        "sections": sections,
        "by_stage": [{"stage": stage, **_figures(row)} for stage, row in sorted(by_stage.items())],
        "by_outcome": [
            {"outcome": outcome, "label": str(outcome_labels.get(outcome, "No outcome recorded")), **_figures(row)}
            for outcome, row in sorted(by_outcome.items())
        ],
        "by_organisation": sorted(
            (
                {"organisation_id": pk, "organisation": organisations.get(pk, ""), **_figures(row)}
                for pk, row in by_org.items()
            ),
            key=lambda r: r["organisation"],
        ),
        "trend": [{"month": _as_date(row["month"]), **_figures(row)} for row in trend],
    }


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def survey_results(organisation_ids, start: datetime.date, end: datetime.date) -> dict:
    """Complainant and colleague survey results for surveys answered `start <= day <= end` (plain dicts).

    {"complainant": {...}, "colleague": {...}, "minimum_responses": 5}, each with response_rate (invited,
    answered, percent), overall, statements, sections, by_stage, by_outcome, by_organisation and trend (per
    month); every figure row has responses, suppressed, percent_agree and mean (None when suppressed).
    """
    return {
        "complainant": _results_for(Kind.COMPLAINANT, organisation_ids, start, end),
        "colleague": _results_for(Kind.COLLEAGUE, organisation_ids, start, end),
        "minimum_responses": suppression.MINIMUM_RESPONSES,
    }


def survey_summary(organisation_ids, start: datetime.date, end: datetime.date) -> list[dict]:
    """One flat row per complainant statement (for the governance pack's table): suppressed figures are None.

    One grouped query: the dashboards and the parent view call this, and the full results (by section, stage,
    outcome, organisation and month) cost six more passes over the answers (2 s at department scale)."""
    by_statement = _grouped(_answers(Kind.COMPLAINANT, organisation_ids, start, end), "statement")
    return [
        {
            "statement": row["text"],
            "responses": row["responses"] if not row["suppressed"] else "fewer than 5",
            "percent_agree": row["percent_agree"],
            "mean": row["mean"],
        }
        for row in _statement_rows(Kind.COMPLAINANT, by_statement)
    ]


def comments_for(organisation_ids, start: datetime.date, end: datetime.date, kind: str | None = None):
    """Free text (complaints managers only: the view checks `feedback.read_comments`)."""
    since, until = _day_range(start, end)
    queryset = (
        SurveyResponse.objects.filter(
            organisation_id__in=list(organisation_ids),
            submitted_at__gte=since,
            submitted_at__lt=until,
        )
        .exclude(comments="")
        .select_related("organisation")
        .order_by("-submitted_at", "-id")
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


# ---- live evidence for the self-assessment ------------------------------------------------------------------


def _optional(module: str, name: str):
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def on_time(organisation_ids, start: datetime.date, end: datetime.date) -> dict:
    """% of stage responses issued by their due date, for responses issued in the period (one query)."""
    row = Complaint.objects.filter(organisation_id__in=list(organisation_ids)).aggregate(
        stage1=Count("id", filter=Q(stage1_responded_on__range=(start, end))),
        stage1_on_time=Count(
            "id", filter=Q(stage1_responded_on__range=(start, end), stage1_responded_on__lte=F("stage1_due"))
        ),
        stage2=Count("id", filter=Q(stage2_responded_on__range=(start, end))),
        stage2_on_time=Count(
            "id", filter=Q(stage2_responded_on__range=(start, end), stage2_responded_on__lte=F("stage2_due"))
        ),
        acknowledged=Count("id", filter=Q(acknowledged_on__range=(start, end))),
        acknowledged_on_time=Count(
            "id", filter=Q(acknowledged_on__range=(start, end), acknowledged_on__lte=F("acknowledgement_due"))
        ),
    )
    return {
        **row,
        "acknowledged_percent": suppression.percent(row["acknowledged_on_time"], row["acknowledged"]),
        "stage1_percent": suppression.percent(row["stage1_on_time"], row["stage1"]),
        "stage2_percent": suppression.percent(row["stage2_on_time"], row["stage2"]),
    }


def _first(rows, organisation_id):
    for row in rows or []:
        if row.get("organisation_id") == organisation_id:
            return row
    return None


def parts_of(organisation: Organisation) -> list[int]:
    """A body and its own directorates and teams (not the related bodies beneath it, nor their parts)."""
    candidates = list(Organisation.objects.filter(path__startswith=organisation.path).values_list("pk", "path", "kind"))
    nested = [path for _pk, path, kind in candidates if kind in BODY_KIND_VALUES and path != organisation.path]
    return [pk for pk, path, _kind in candidates if not any(path.startswith(body) for body in nested)]


def live_evidence(organisation: Organisation, start: datetime.date, end: datetime.date) -> dict:
    """What Candour holds about an organisation's performance against the Standards in the period.

    Figures from apps that are not installed yet are None ("not available yet" on the page). Plain values
    only, so the dict can be stored with a self-assessment version.
    """
    ids = parts_of(organisation)
    evidence: dict = {"start": start.isoformat(), "end": end.isoformat()}
    evidence["on_time"] = on_time(ids, start, end)
    surveys = _results_for(Kind.COMPLAINANT, ids, start, end)
    evidence["complainant_survey"] = {"response_rate": surveys["response_rate"], "overall": surveys["overall"]}
    colleagues = _results_for(Kind.COLLEAGUE, ids, start, end)
    evidence["colleague_survey"] = {"response_rate": colleagues["response_rate"], "overall": colleagues["overall"]}

    compliance = _optional("candour.people.selectors", "compliance_summary")
    row = _first(compliance([organisation.pk], end), organisation.pk) if compliance else None
    evidence["training"] = (
        {"people_required": row["people_required"], "compliant": row["compliant"], "percent": _plain(row["percent"])}
        if row
        else None
    )
    evidence["governance_reviews"] = _governance_reviews(organisation, start, end)
    actions = _optional("candour.learning.selectors", "action_summary")
    row = _first(actions([organisation.pk], end), organisation.pk) if actions else None
    if actions and row is None:
        row = {"total": 0, "done": 0, "verified_effective": 0, "overdue": 0}
    evidence["actions"] = (
        {
            "total": row.get("total", 0),
            "completed": row.get("done", 0) + row.get("verified_effective", 0) + row.get("verified_not_effective", 0),
            "overdue": row.get("overdue", 0),
        }
        if row
        else None
    )
    return evidence


def _plain(value):
    return None if value is None else float(value)


def _governance_reviews(organisation: Organisation, start, end) -> dict | None:
    """Governance reviews held in the period, from the governance app when it is installed."""
    try:
        models = importlib.import_module("candour.governance.models")
    except ImportError:
        return None
    review = getattr(models, "GovernanceReview", None)
    if review is None:
        return None
    held = review.objects.filter(organisation=organisation, held_on__range=(start, end)).count()
    return {"held": held}


# ---- self-assessments ----------------------------------------------------------------------------------------


def expectations(active_only: bool = True):
    """The Standards' shared wording (what organisations that have changed nothing rate themselves against)."""
    queryset = Expectation.objects.filter(organisation__isnull=True)
    return queryset.filter(active=True) if active_only else queryset


def expectations_for(organisation: Organisation, active_only: bool = True):
    """The expectations `organisation` rates itself against: its own copy once it has changed any, else the
    shared wording. One query."""
    own = Expectation.objects.filter(organisation=organisation)
    queryset = Expectation.objects.filter(Q(organisation=organisation) | Q(~Exists(own), organisation__isnull=True))
    return queryset.filter(active=True) if active_only else queryset


def assessments_for(organisation: Organisation):
    return SelfAssessment.objects.filter(organisation=organisation).select_related("created_by").order_by("-version")


def latest_self_assessments(organisation_ids) -> dict[int, dict]:
    """organisation id -> its latest self-assessment as a plain dict (organisations with none are left out).

    Two queries: the latest version of each with its rating counts (aggregates), then its ratings.
    """
    latest = SelfAssessment.objects.filter(organisation=OuterRef("organisation")).order_by("-version").values("pk")[:1]
    rows = (
        SelfAssessment.objects.filter(organisation_id__in=list(organisation_ids), pk=Subquery(latest))
        .values("pk", "organisation_id", "organisation__name", "version", "assessed_on", "evidence")
        .annotate(
            met=Count("ratings", filter=Q(ratings__rating=Rating.MET)),
            partly_met=Count("ratings", filter=Q(ratings__rating=Rating.PARTLY_MET)),
            not_met=Count("ratings", filter=Q(ratings__rating=Rating.NOT_MET)),
        )
    )
    result = {}
    by_pk = {}
    for row in rows:
        entry = {
            "organisation_id": row["organisation_id"],
            "organisation": row["organisation__name"],
            "version": row["version"],
            "assessed_on": row["assessed_on"],
            "counts": {"met": row["met"], "partly_met": row["partly_met"], "not_met": row["not_met"]},
            "evidence": row["evidence"],
            "ratings": [],
        }
        result[row["organisation_id"]] = entry
        by_pk[row["pk"]] = entry
    ratings = (
        ExpectationRating.objects.filter(assessment_id__in=list(by_pk))
        .values(
            "assessment_id",
            "expectation_id",
            "section",
            "expectation_text",
            "rating",
            "evidence",
            "improvement_plan",
            number=F("expectation__number"),
        )
        .order_by("section", "expectation__number")
    )
    for rating in ratings:
        by_pk[rating["assessment_id"]]["ratings"].append({k: v for k, v in rating.items() if k != "assessment_id"})
    return result


def bodies_among(organisation_ids):
    return Organisation.objects.filter(pk__in=list(organisation_ids), kind__in=BODY_KIND_VALUES).order_by("path")


def latest_version_numbers(organisation_ids) -> dict[int, int]:
    return dict(
        SelfAssessment.objects.filter(organisation_id__in=list(organisation_ids))
        .values("organisation_id")
        .annotate(v=Max("version"))
        .values_list("organisation_id", "v")
    )


def rating_counts_by_section(assessment: SelfAssessment) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Rating.values, 0))
    for row in assessment.ratings.values("section", "rating").annotate(n=Count("id")):
        counts[row["section"]][row["rating"]] = row["n"]
    return dict(counts)


def self_assessment_status(organisation_ids) -> dict[int, str]:
    """organisation id -> a one-line status of its latest self-assessment (for the oversight table)."""
    return {
        org_id: (
            f"Version {row['version']}, {row['assessed_on']:%-d %b %Y}: {row['counts']['met']} met, "
            f"{row['counts']['partly_met']} partly met, {row['counts']['not_met']} not met"
        )
        for org_id, row in latest_self_assessments(organisation_ids).items()
    }


def self_assessment_rows(organisation_ids) -> list[dict]:
    """One row per organisation's latest self-assessment (for the annual report's table)."""
    return [
        {"organisation": row["organisation"], "version": row["version"], "assessed_on": row["assessed_on"],
         "met": row["counts"]["met"], "partly_met": row["counts"]["partly_met"], "not_met": row["counts"]["not_met"]}
        for row in latest_self_assessments(organisation_ids).values()
    ]  # fmt: skip
