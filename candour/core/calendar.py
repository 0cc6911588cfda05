"""Working-day calendar for complaint deadlines.

This module is deliberately pure Python: it must not import Django, so it can be used
(and tested) without settings being configured.

Concepts
--------
* **Nation** - the UK nation an organisation sits in: ``"england"``, ``"wales"``,
  ``"scotland"`` or ``"northern-ireland"``.
* **Division** - the GOV.UK bank-holiday list that applies to a nation:
  ``"england-and-wales"``, ``"scotland"`` or ``"northern-ireland"``.
* **Bank holidays** - taken from the data bundled with the ``govuk-bank-holidays`` package
  (never downloaded implicitly). Years that data does not cover are generated from the
  statutory pattern by :func:`rule_based_bank_holidays`. An optional refreshed copy of
  https://www.gov.uk/bank-holidays.json can be fetched explicitly with
  :func:`refresh_bank_holidays` and used via :func:`load_bank_holidays`.
* **Working day** - Monday to Friday, not a bank holiday in the division, and not one of
  the organisation's own closure days.

Counting convention
-------------------
The day a complaint is received never counts. "n working days after ``start``" is the
n-th working day strictly after ``start``, whether or not ``start`` is itself a working day.
:meth:`WorkingCalendar.working_days_between` is the exact inverse: it counts working days
``d`` with ``start < d <= end``.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import tempfile
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from govuk_bank_holidays.bank_holidays import BankHolidays

__all__ = [
    "BUNDLED_SOURCE",
    "DIVISIONS",
    "GOVUK_BANK_HOLIDAYS_URL",
    "NATIONS",
    "BankHolidayTable",
    "DeadlineStatus",
    "Division",
    "InvalidBankHolidayData",
    "Nation",
    "WorkingCalendar",
    "bundled_bank_holidays",
    "division_for_nation",
    "easter_sunday",
    "load_bank_holidays",
    "refresh_bank_holidays",
    "rule_based_bank_holidays",
]

logger = logging.getLogger(__name__)

GOVUK_BANK_HOLIDAYS_URL = "https://www.gov.uk/bank-holidays.json"
BUNDLED_SOURCE = "bundled"

# A real bank-holidays.json is ~20 KB; refuse anything absurdly large.
_MAX_DOWNLOAD_BYTES = 1_000_000
_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


# --------------------------------------------------------------------------------------
# Nations and divisions
# --------------------------------------------------------------------------------------


class Nation(StrEnum):
    """UK nation of an organisation. Members are plain strings (``Nation.WALES == "wales"``)."""

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"


class Division(StrEnum):
    """GOV.UK bank-holiday division (the top-level keys of ``bank-holidays.json``)."""

    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"


NATIONS: tuple[str, ...] = tuple(n.value for n in Nation)
DIVISIONS: tuple[str, ...] = tuple(d.value for d in Division)

_NATION_TO_DIVISION: dict[str, str] = {
    Nation.ENGLAND: Division.ENGLAND_AND_WALES,
    Nation.WALES: Division.ENGLAND_AND_WALES,
    Nation.SCOTLAND: Division.SCOTLAND,
    Nation.NORTHERN_IRELAND: Division.NORTHERN_IRELAND,
}


def division_for_nation(nation: str) -> str:
    """Return the GOV.UK bank-holiday division for a nation.

    >>> division_for_nation("wales")
    'england-and-wales'

    Raises :class:`ValueError` for anything that is not exactly one of :data:`NATIONS`.
    """
    try:
        return str(_NATION_TO_DIVISION[nation])
    except (KeyError, TypeError):
        raise ValueError(f"Unknown nation {nation!r}; expected one of {', '.join(NATIONS)}") from None


def _check_division(division: str) -> str:
    if division not in DIVISIONS:
        raise ValueError(f"Unknown division {division!r}; expected one of {', '.join(DIVISIONS)}")
    return str(division)


# --------------------------------------------------------------------------------------
# Rule-based bank holidays
# --------------------------------------------------------------------------------------


def easter_sunday(year: int) -> date:
    """Date of Easter Sunday (Western churches), by the anonymous Gregorian algorithm.

    Also known as the Meeus/Jones/Butcher algorithm; valid for any Gregorian year.
    """
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_monday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last = next_month - _ONE_DAY
    return last - timedelta(days=last.weekday())


def _with_substitutes(days: Iterable[date]) -> frozenset[date]:
    """Apply substitute-day rules to a year's nominal holiday dates.

    Taken in date order, a holiday that falls on a weekend, or on a day already used by an
    earlier holiday, moves to the next weekday not already used. This reproduces GOV.UK's
    practice, e.g. Christmas on Saturday and Boxing Day on Sunday become Monday 27 and
    Tuesday 28; Christmas on Sunday with Boxing Day on Monday gives Monday 26 and Tuesday 27.
    """
    taken: set[date] = set()
    for nominal in sorted(days):
        day = nominal
        while day.weekday() >= _SATURDAY or day in taken:
            day += _ONE_DAY
        taken.add(day)
    return frozenset(taken)


def rule_based_bank_holidays(division: str, year: int) -> frozenset[date]:
    """Bank holidays for ``division`` in ``year``, generated from the regular statutory pattern.

    England and Wales: New Year's Day, Good Friday, Easter Monday, first Monday in May,
    last Monday in May, last Monday in August, Christmas Day, Boxing Day.

    Scotland: 1 and 2 January, Good Friday, first Monday in May, last Monday in May,
    *first* Monday in August, St Andrew's Day (30 November), Christmas Day, Boxing Day.

    Northern Ireland: the England and Wales list plus St Patrick's Day (17 March) and the
    Battle of the Boyne (12 July).

    Fixed-date holidays falling on a weekend get a substitute weekday (see
    :func:`_with_substitutes`). One-off proclamations (jubilees, coronations, state
    funerals, moved days) cannot be predicted and are not included. The pattern is the
    modern one (early May holiday since 1978), so results before then are not historical fact.
    """
    division = _check_division(division)
    easter = easter_sunday(year)
    good_friday = easter - timedelta(days=2)
    easter_monday = easter + _ONE_DAY

    nominal = [
        date(year, 1, 1),
        good_friday,
        _first_monday(year, 5),
        _last_monday(year, 5),
        date(year, 12, 25),
        date(year, 12, 26),
    ]
    if division == Division.SCOTLAND:
        nominal += [date(year, 1, 2), _first_monday(year, 8), date(year, 11, 30)]
    else:
        nominal += [easter_monday, _last_monday(year, 8)]
        if division == Division.NORTHERN_IRELAND:
            nominal += [date(year, 3, 17), date(year, 7, 12)]
    return _with_substitutes(nominal)


# --------------------------------------------------------------------------------------
# Bank holiday data (bundled / refreshed / rules)
# --------------------------------------------------------------------------------------


class InvalidBankHolidayData(ValueError):
    """Raised when bank-holiday JSON does not have the GOV.UK ``bank-holidays.json`` shape."""


class BankHolidayTable:
    """Known bank holidays per division and year, with rule-based fallback.

    For a year the table has data for (per division) the known dates are used verbatim,
    including one-off special days. For any other year :func:`rule_based_bank_holidays`
    supplies the dates. Instances are immutable apart from an internal cache.
    """

    def __init__(self, known: Mapping[str, Mapping[int, Iterable[date]]], source: str = BUNDLED_SOURCE):
        """``known`` maps division -> year -> bank-holiday dates in that year.

        ``source`` is descriptive only ("bundled" or the path of a refreshed file).
        """
        self.source = source
        self._known: dict[str, dict[int, frozenset[date]]] = {}
        for division, years in known.items():
            _check_division(division)
            self._known[division] = {int(year): frozenset(days) for year, days in years.items()}
        self._cache: dict[tuple[str, int], frozenset[date]] = {}

    @classmethod
    def from_govuk_json(cls, data: Any, source: str) -> BankHolidayTable:
        """Build a table from parsed ``bank-holidays.json`` content.

        Every division must be present with a non-empty ``events`` list whose entries each
        have a ``"YYYY-MM-DD"`` ``date``. The years covered for a division are every year from
        its earliest to its latest event. Raises :class:`InvalidBankHolidayData` otherwise.
        """
        if not isinstance(data, Mapping):
            raise InvalidBankHolidayData("top level is not a JSON object")
        known: dict[str, dict[int, set[date]]] = {}
        for division in DIVISIONS:
            block = data.get(division)
            events = block.get("events") if isinstance(block, Mapping) else None
            if not isinstance(events, list) or not events:
                raise InvalidBankHolidayData(f"missing or empty events for division {division!r}")
            dates = []
            for event in events:
                raw = event.get("date") if isinstance(event, Mapping) else None
                try:
                    dates.append(datetime.strptime(raw, "%Y-%m-%d").date())
                except (TypeError, ValueError):
                    raise InvalidBankHolidayData(f"bad event {event!r} in division {division!r}") from None
            first, last = min(dates).year, max(dates).year
            by_year: dict[int, set[date]] = {year: set() for year in range(first, last + 1)}
            for day in dates:
                by_year[day.year].add(day)
            known[division] = by_year
        return cls(known, source=source)

    def overlaid_with(self, other: BankHolidayTable) -> BankHolidayTable:
        """A new table using ``other``'s data for the years it covers and ours for the rest."""
        merged = {
            division: {**self._known.get(division, {}), **other._known.get(division, {})} for division in DIVISIONS
        }
        return BankHolidayTable(merged, source=other.source)

    def covered_years(self, division: str) -> frozenset[int]:
        """Years for which ``division`` has published data (other years use the rules)."""
        return frozenset(self._known.get(_check_division(division), {}))

    def holidays_in_year(self, division: str, year: int) -> frozenset[date]:
        """Bank holidays in ``division`` during ``year`` (published data, else the rules)."""
        key = (division, year)
        try:
            return self._cache[key]
        except KeyError:
            pass
        known = self._known.get(_check_division(division), {})
        days = known[year] if year in known else rule_based_bank_holidays(division, year)
        self._cache[key] = days
        return days

    def is_bank_holiday(self, day: date, division: str) -> bool:
        return day in self.holidays_in_year(division, day.year)

    def __repr__(self) -> str:
        return f"<BankHolidayTable source={self.source!r}>"


@functools.cache
def bundled_bank_holidays() -> BankHolidayTable:
    """The data shipped inside the ``govuk-bank-holidays`` package (cached; no network)."""
    return BankHolidayTable.from_govuk_json(BankHolidays.load_backup_data(), source=BUNDLED_SOURCE)


def load_bank_holidays(override_path: str | os.PathLike[str] | None = None) -> BankHolidayTable:
    """Return the bank-holiday table to use.

    If ``override_path`` names an existing file containing valid ``bank-holidays.json``
    data (as written by :func:`refresh_bank_holidays`), its years take precedence and the
    bundled data still covers any years it lacks. If the path is ``None`` or missing, or
    the file is unreadable, not JSON, or the wrong shape, the bundled data is returned
    (a warning is logged for a bad file). Never touches the network.

    The result is not cached here; callers should load it once and reuse it.
    """
    bundled = bundled_bank_holidays()
    if override_path is None:
        return bundled
    path = Path(override_path)
    if not path.is_file():
        logger.debug("No refreshed bank holiday file at %s; using bundled data", path)
        return bundled
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        override = BankHolidayTable.from_govuk_json(data, source=str(path))
    except (OSError, ValueError) as exc:  # ValueError covers JSON, Unicode and shape errors
        logger.warning("Ignoring bank holiday file %s (%s); using bundled data", path, exc)
        return bundled
    return bundled.overlaid_with(override)


def refresh_bank_holidays(
    path: str | os.PathLike[str],
    *,
    url: str = GOVUK_BANK_HOLIDAYS_URL,
    timeout: float = 10.0,
) -> BankHolidayTable:
    """Download GOV.UK's ``bank-holidays.json`` and save it to ``path``.

    This is the only function here that uses the network, and only when called explicitly
    (e.g. from a scheduled management command). The download is validated before anything
    is written, and the file is replaced atomically, so a failed or garbled download never
    damages an existing good file. Returns the table :func:`load_bank_holidays` would now give.

    Raises :class:`OSError` (including ``urllib.error.URLError`` and timeouts) on network or
    file errors, and :class:`InvalidBankHolidayData`/:class:`ValueError` on bad content.
    """
    if not url.startswith("https://"):
        raise ValueError(f"Refusing to fetch bank holidays from non-HTTPS URL {url!r}")
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "candour"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked above
        raw = response.read(_MAX_DOWNLOAD_BYTES + 1)
    if len(raw) > _MAX_DOWNLOAD_BYTES:
        raise InvalidBankHolidayData("download is implausibly large")
    data = json.loads(raw)
    BankHolidayTable.from_govuk_json(data, source=url)  # validate before writing

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as tmp:
            json.dump(data, tmp, ensure_ascii=False)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return load_bank_holidays(target)


# --------------------------------------------------------------------------------------
# Working calendar
# --------------------------------------------------------------------------------------


class DeadlineStatus(StrEnum):
    """Result of :meth:`WorkingCalendar.status`. Members are plain strings."""

    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TRACK = "on_track"


def _require_date(value: Any, name: str) -> None:
    # datetime is a subclass of date; accepting it would silently mix types (and time zones).
    if not isinstance(value, date) or isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime.date (not {type(value).__name__})")


class WorkingCalendar:
    """Working days for one organisation: weekdays, minus its nation's bank holidays,
    minus the organisation's own ``closure_days``.

    ``holidays`` is a :class:`BankHolidayTable`; ``None`` means the bundled GOV.UK data
    (with rule-based years beyond it). Pass ``load_bank_holidays(path)`` to use a refreshed file.
    """

    def __init__(
        self,
        nation: str,
        closure_days: Iterable[date] = frozenset(),
        holidays: BankHolidayTable | None = None,
    ):
        self.division = division_for_nation(nation)  # validates nation
        self.nation = Nation(nation).value
        self.closure_days = frozenset(closure_days)
        for day in self.closure_days:
            _require_date(day, "closure day")
        self.holidays = holidays if holidays is not None else bundled_bank_holidays()

    def __repr__(self) -> str:
        return f"<WorkingCalendar nation={self.nation!r} closure_days={len(self.closure_days)}>"

    def is_working_day(self, d: date) -> bool:
        """True if ``d`` is Monday-Friday, not a bank holiday here and not a closure day."""
        _require_date(d, "d")
        return (
            d.weekday() < _SATURDAY
            and d not in self.closure_days
            and not self.holidays.is_bank_holiday(d, self.division)
        )

    def _working_days_after(self, start: date) -> Iterator[date]:
        """Working days strictly after ``start``, in order, without end."""
        day = start
        while True:
            day += _ONE_DAY
            if self.is_working_day(day):
                yield day

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself never counts).

        ``n == 0`` returns ``start`` unchanged, even if it is not a working day.
        Raises :class:`ValueError` for negative ``n``.
        """
        _require_date(start, "start")
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        result = start
        days = self._working_days_after(start)
        for _ in range(n):
            result = next(days)
        return result

    def working_days_between(self, start: date, end: date) -> int:
        """Number of working days ``d`` with ``start < d <= end`` (0 if ``end <= start``).

        Inverse of :meth:`add_working_days`: ``working_days_between(s, add_working_days(s, n)) == n``.
        """
        _require_date(start, "start")
        _require_date(end, "end")
        return sum(1 for _ in self._working_days_in(start, end))

    def _working_days_in(self, start: date, end: date) -> Iterator[date]:
        day = start + _ONE_DAY
        while day <= end:
            if self.is_working_day(day):
                yield day
            day += _ONE_DAY

    def due_date(
        self,
        received: date,
        working_days: int,
        stopped_periods: Iterable[tuple[date, date | None]] = (),
        extension_to: date | None = None,
        *,
        today: date | None = None,
    ) -> date:
        """Deadline for a stage that must be completed ``working_days`` after ``received``.

        Computation:

        1. ``base = add_working_days(received, working_days)``.
        2. Stop-the-clock: each ``(stopped_on, restarted_on)`` in ``stopped_periods`` pauses
           the clock for the working days ``d`` with ``stopped_on < d <= restarted_on`` - the
           same counting as :meth:`working_days_between`, so the day the clock stopped still
           counts as elapsed and the restart day does not. ``restarted_on=None`` means the
           clock is still stopped: the period runs to ``today`` (default ``date.today()``;
           Django callers should pass ``timezone.localdate()``). Days covered by more than
           one period are counted once. The deadline moves that many working days after ``base``.
        3. ``extension_to``, if given, is a deadline agreed with the complainant and simply
           replaces the result: ``working_days`` and ``stopped_periods`` are then ignored.

        Raises :class:`ValueError` if a period restarts before it stopped.
        """
        _require_date(received, "received")
        if extension_to is not None:
            _require_date(extension_to, "extension_to")
            return extension_to
        base = self.add_working_days(received, working_days)

        paused: set[date] = set()
        for stopped_on, restarted_on in stopped_periods:
            _require_date(stopped_on, "stopped_on")
            if restarted_on is None:  # still stopped
                if today is None:
                    today = date.today()
                _require_date(today, "today")
                stop_end = today
            else:
                _require_date(restarted_on, "restarted_on")
                if restarted_on < stopped_on:
                    raise ValueError(f"stopped period ends ({restarted_on}) before it starts ({stopped_on})")
                stop_end = restarted_on
            paused.update(self._working_days_in(stopped_on, stop_end))
        return self.add_working_days(base, len(paused))

    def status(
        self,
        due: date,
        today: date,
        completed_on: date | None = None,
        due_soon_days: int = 2,
    ) -> DeadlineStatus:
        """Classify a deadline.

        * completed: ``done_on_time`` if ``completed_on <= due`` else ``done_late``;
        * otherwise ``overdue`` if ``today > due``;
        * ``due_soon`` if ``working_days_between(today, due) <= due_soon_days``
          (so the due date itself is always "due soon");
        * else ``on_track``.
        """
        _require_date(due, "due")
        _require_date(today, "today")
        if completed_on is not None:
            _require_date(completed_on, "completed_on")
            return DeadlineStatus.DONE_ON_TIME if completed_on <= due else DeadlineStatus.DONE_LATE
        if today > due:
            return DeadlineStatus.OVERDUE
        if self.working_days_between(today, due) <= due_soon_days:
            return DeadlineStatus.DUE_SOON
        return DeadlineStatus.ON_TRACK
