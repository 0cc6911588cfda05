"""Reads of organisations, already scoped to what the user may see."""

from __future__ import annotations

import datetime

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
