"""The work queue: tabs, filters, sorting and full-text search over complaints a colleague may see.

`filter_queue(queryset, params, user)` takes request-style parameters (a dict of strings) and returns the
filtered, sorted queryset; the staff queue page and the API both use it. `search(queryset, text)` is
PostgreSQL full-text search over `Complaint.search_text` (with a GIN expression index, migration 0002)
and a word-by-word `icontains` fallback elsewhere.

Deadline tags are computed without a query per complaint: `deadline_tags` builds one working-day
calendar per organisation from a single query of closure days.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from candour.complaints.models import Channel, Complaint
from candour.complaints.states import AWAITING_RESPONSE, FINISHED_STATES, OPEN_STATES, Status
from candour.core.calendar import DeadlineStatus, WorkingCalendar
from candour.organisations.models import BODY_KINDS, ClosureDay, Organisation
from candour.organisations.selectors import _holidays

# Must match the expression of the GIN index in migration 0002 exactly, or PostgreSQL will not use it.
SEARCH_CONFIG = "english"
DUE_SOON_WORKING_DAYS = 2

TABS = [
    ("mine", "My cases"),
    ("team", "Team cases"),
    ("unassigned", "Unassigned"),
    ("due_soon", "Due soon"),
    ("overdue", "Overdue"),
    ("all", "All cases"),
]
TAB_KEYS = [key for key, _label in TABS]
SORTS = [
    ("due", "Due date (soonest first)"),
    ("received", "Date received (newest first)"),
    ("oldest", "Date received (oldest first)"),
]
STATUS_CHOICES = [("open", "Open"), ("finished", "Finished"), ("any", "Any status")] + [
    (s.value, s.label) for s in Status
]
DEADLINE_TAGS = {
    DeadlineStatus.OVERDUE: ("Overdue", "govuk-tag--red"),
    DeadlineStatus.DUE_SOON: ("Due soon", "govuk-tag--yellow"),
    DeadlineStatus.ON_TRACK: ("On track", "govuk-tag--green"),
}


def today() -> datetime.date:
    return timezone.localdate()


@dataclass
class QueueParams:
    """The cleaned parameters of a queue request. Anything unrecognised falls back to the default."""

    tab: str = "mine"
    status: str = "open"
    stage: int | None = None
    organisation: int | None = None
    service_area: int | None = None
    channel: str = ""
    received_from: datetime.date | None = None
    received_to: datetime.date | None = None
    sort: str = "due"
    q: str = ""

    def as_query(self, **overrides) -> str:
        """The query string for this view of the queue (for tabs, sorting and pagination links)."""
        from urllib.parse import urlencode

        values = {
            "tab": self.tab,
            "status": self.status,
            "stage": self.stage or "",
            "organisation": self.organisation or "",
            "service_area": self.service_area or "",
            "channel": self.channel,
            "received_from": self.received_from.isoformat() if self.received_from else "",
            "received_to": self.received_to.isoformat() if self.received_to else "",
            "sort": self.sort,
            "q": self.q,
        }
        values.update(overrides)
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def _int(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        return None


def clean_params(params) -> QueueParams:
    """Request parameters (a dict or QueryDict of strings) to QueueParams, ignoring anything invalid."""
    get = params.get
    tab = get("tab") or "mine"
    status = get("status") or "open"
    sort = get("sort") or "due"
    stage = _int(get("stage"))
    channel = get("channel") or ""
    return QueueParams(
        tab=tab if tab in TAB_KEYS else "mine",
        status=status if status in dict(STATUS_CHOICES) else "open",
        stage=stage if stage in (1, 2) else None,
        organisation=_int(get("organisation")),
        service_area=_int(get("service_area")),
        channel=channel if channel in Channel.values else "",
        received_from=_date(get("received_from")),
        received_to=_date(get("received_to")),
        sort=sort if sort in dict(SORTS) else "due",
        q=(get("q") or "").strip()[:200],
    )


def search(queryset: QuerySet[Complaint], text: str) -> QuerySet[Complaint]:
    """Complaints whose reference, names or text match every word of `text`."""
    text = (text or "").strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        vector = SearchVector("search_text", config=SEARCH_CONFIG)
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        return queryset.annotate(search_vector=vector).filter(Q(search_vector=query) | Q(reference=text.upper()))
    condition = Q()
    for word in text.split():
        condition &= Q(search_text__icontains=word)
    return queryset.filter(condition | Q(reference=text.upper()))


def _handled_by(user) -> Q:
    return Q(stage=1, stage1_handler=user) | Q(stage=2, stage2_handler=user)


def _team_condition(user) -> Q:
    """Cases of the user's teams: the teams (and their parts) they belong to; for a member of a whole
    organisation, that organisation's cases."""
    memberships = list(user.memberships.select_related("organisation"))
    condition = Q(pk__in=[])
    for membership in memberships:
        org = membership.organisation
        if org.kind in BODY_KINDS:
            condition |= Q(organisation_id=org.pk)
        else:
            condition |= Q(team__path__startswith=org.path)
    return condition


def _due_thresholds(organisation_ids, on: datetime.date) -> dict[datetime.date, list[int]]:
    """For each organisation, the first date that is no longer 'due soon' (grouped by that date)."""
    calendars = calendars_for(organisation_ids, on)
    grouped: dict[datetime.date, list[int]] = {}
    for org_id, calendar in calendars.items():
        limit = calendar.add_working_days(on, DUE_SOON_WORKING_DAYS + 1)
        grouped.setdefault(limit, []).append(org_id)
    return grouped


def calendars_for(organisation_ids, on: datetime.date | None = None) -> dict[int, WorkingCalendar]:
    """Working-day calendars for several organisations in two queries."""
    organisation_ids = set(organisation_ids)
    if not organisation_ids:
        return {}
    nations = dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "nation"))
    closures: dict[int, set] = {}
    for org_id, day in ClosureDay.objects.filter(organisation_id__in=organisation_ids).values_list(
        "organisation_id", "date"
    ):
        closures.setdefault(org_id, set()).add(day)
    holidays = _holidays()
    shared: dict[tuple, WorkingCalendar] = {}
    calendars = {}
    for org_id, nation in nations.items():
        key = (nation, frozenset(closures.get(org_id, ())))
        if key not in shared:
            shared[key] = WorkingCalendar(nation, closure_days=key[1], holidays=holidays)
        calendars[org_id] = shared[key]
    return calendars


def _deadline_condition(queryset: QuerySet[Complaint], kind: str, on: datetime.date) -> Q:
    owed = Q(response_due__isnull=False, status__in=list(AWAITING_RESPONSE))
    if kind == "overdue":
        return owed & Q(response_due__lt=on)
    organisation_ids = set(queryset.values_list("organisation_id", flat=True).distinct())
    condition = Q(pk__in=[])
    for limit, org_ids in _due_thresholds(organisation_ids, on).items():
        condition |= Q(organisation_id__in=org_ids, response_due__gte=on, response_due__lt=limit)
    return owed & condition


def filter_queue(
    queryset: QuerySet[Complaint], params, user, *, on: datetime.date | None = None
) -> QuerySet[Complaint]:
    """Apply a queue's tab, filters, search and sort to `queryset` (already scoped to the user)."""
    p = params if isinstance(params, QueueParams) else clean_params(params)
    on = on or today()
    qs = queryset
    if p.tab == "mine":
        qs = qs.filter(_handled_by(user))
    elif p.tab == "team":
        qs = qs.filter(_team_condition(user))
    elif p.tab == "unassigned":
        qs = qs.filter(Q(stage=1, stage1_handler__isnull=True) | Q(stage=2, stage2_handler__isnull=True))
    elif p.tab in ("due_soon", "overdue"):
        qs = qs.filter(_deadline_condition(qs, p.tab, on))
    if p.status == "open":
        qs = qs.filter(status__in=list(OPEN_STATES))
    elif p.status == "finished":
        qs = qs.filter(status__in=list(FINISHED_STATES))
    elif p.status != "any":
        qs = qs.filter(status=p.status)
    if p.stage:
        qs = qs.filter(stage=p.stage)
    if p.organisation:
        qs = qs.filter(organisation_id=p.organisation)
    if p.service_area:
        qs = qs.filter(service_area_id=p.service_area)
    if p.channel:
        qs = qs.filter(channel=p.channel)
    if p.received_from:
        qs = qs.filter(received_on__gte=p.received_from)
    if p.received_to:
        qs = qs.filter(received_on__lte=p.received_to)
    qs = search(qs, p.q)
    if p.sort == "received":
        return qs.order_by("-received_on", "-id")
    if p.sort == "oldest":
        return qs.order_by("received_on", "id")
    return qs.order_by(F("response_due").asc(nulls_last=True), "received_on", "id")


def for_listing(queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """What a list row shows, fetched in the same query and nothing more: building 50 full complaints with four
    full related rows cost more than the query itself (the benchmark). A field the row does not list here would
    be fetched one query per row: `test_a_page_of_the_queue_takes_a_fixed_number_of_queries` catches that."""
    return queryset.select_related("organisation", "service_area", "stage1_handler", "stage2_handler").only(
        *LISTING_FIELDS
    )


_PERSON = ("username", "first_name", "last_name")  # get_full_name() or get_username()
LISTING_FIELDS = (
    "reference", "organisation", "complainant_name", "is_anonymous", "stage", "status", "received_on",
    "response_due", "clock_stopped", "organisation__name", "service_area__name",
    *(f"{handler}__{field}" for handler in ("stage1_handler", "stage2_handler") for field in _PERSON),
)  # fmt: skip


def deadline_tags(complaints, on: datetime.date | None = None) -> dict[int, dict]:
    """complaint pk -> {"text", "classes", "status"} for the response owed now, in one query."""
    on = on or today()
    complaints = list(complaints)
    calendars = calendars_for({c.organisation_id for c in complaints if c.response_due}, on)
    tags = {}
    for complaint in complaints:
        if complaint.response_due is None or complaint.status not in AWAITING_RESPONSE:
            continue
        status = calendars[complaint.organisation_id].status(
            complaint.response_due, on, due_soon_days=DUE_SOON_WORKING_DAYS
        )
        text, classes = DEADLINE_TAGS.get(status, (status.replace("_", " ").capitalize(), "govuk-tag--grey"))
        tags[complaint.pk] = {"text": text, "classes": classes, "status": str(status)}
    return tags


def deadline_tag(complaint: Complaint, on: datetime.date | None = None) -> dict | None:
    return deadline_tags([complaint], on).get(complaint.pk)
