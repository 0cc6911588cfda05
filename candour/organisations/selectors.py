"""Reads of organisations, already scoped to what the user may see."""

from __future__ import annotations

import datetime
import time

from django.db.models import QuerySet

from candour.core.calendar import WorkingCalendar
from candour.organisations.models import BODY_KINDS, Organisation
from candour.permissions import organisation_ids_with


def complaint_accepting_organisations() -> QuerySet[Organisation]:
    """Public: the organisations a member of the public can complain to."""
    return Organisation.objects.filter(accepts_complaints=True).select_related("parent").order_by("name")


def organisation_by_slug(slug: str) -> Organisation:
    return Organisation.objects.select_related("parent").get(slug=slug)


def subtree(organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(path__startswith=organisation.path)


def bodies_in_subtree(organisation: Organisation) -> QuerySet[Organisation]:
    return subtree(organisation).filter(kind__in=[k.value for k in BODY_KINDS])


def organisations_for(user, capability: str) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=organisation_ids_with(user, capability)).order_by("path")


def body_of(organisation: Organisation) -> Organisation:
    """The organisation in its own right that a directorate or team belongs to (itself if it is one)."""
    if organisation.is_body:
        return organisation
    ancestors = Organisation.objects.filter(pk__in=organisation.ancestor_ids, kind__in=[k.value for k in BODY_KINDS])
    return max(ancestors, key=lambda o: len(o.path))


# Public intake's organisation and calendar, remembered per process: slug -> (expires, organisation, calendar).
# A change saved in this process clears it at once (signals in apps.py); other processes see it within
# INTAKE_CACHE_SECONDS. It saves two queries of every public submission (ADR 10, docs/performance.md).
INTAKE_CACHE_SECONDS = 30
_INTAKE_CACHE: dict[str, tuple[float, Organisation, WorkingCalendar]] = {}


def intake_target(slug: str) -> tuple[Organisation, WorkingCalendar] | None:
    """The organisation taking complaints at `slug` with its working-day calendar, or None if none does."""
    cached = _INTAKE_CACHE.get(slug)
    now = time.monotonic()
    if cached is not None and cached[0] > now:
        return cached[1], cached[2]
    organisation = Organisation.objects.filter(slug=slug, accepts_complaints=True).first()
    if organisation is None:
        _INTAKE_CACHE.pop(slug, None)
        return None
    calendar = calendar_for(organisation)
    _INTAKE_CACHE[slug] = (now + INTAKE_CACHE_SECONDS, organisation, calendar)
    return organisation, calendar


def forget_intake_targets(**_signal) -> None:
    _INTAKE_CACHE.clear()


def calendar_for(organisation: Organisation) -> WorkingCalendar:
    """The working-day calendar of an organisation: its nation's bank holidays and its closure days."""
    closure_days = frozenset(organisation.closure_days.values_list("date", flat=True))
    return WorkingCalendar(organisation.nation, closure_days=closure_days, holidays=_holidays())


_HOLIDAYS_CACHE: dict[str, object] = {}


def _holidays():
    from django.conf import settings

    from candour.core.calendar import load_bank_holidays

    if "data" not in _HOLIDAYS_CACHE:
        _HOLIDAYS_CACHE["data"] = load_bank_holidays(settings.CANDOUR_BANK_HOLIDAYS_FILE)
    return _HOLIDAYS_CACHE["data"]


def reset_holiday_cache() -> None:
    _HOLIDAYS_CACHE.clear()


def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()
