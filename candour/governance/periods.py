"""Reporting periods. The financial year runs 1 April to 31 March; quarters are April–June, July–September,
October–December and January–March."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    def months(self) -> list[datetime.date]:
        """The first day of every month the period touches."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = add_months(month, 1)
        return months


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last_day))


def quarter_containing(day: datetime.date) -> Period:
    first_month = ((day.month - 1) // 3) * 3 + 1
    start = datetime.date(day.year, first_month, 1)
    return Period(start, add_months(start, 3) - datetime.timedelta(days=1))


def financial_year_containing(day: datetime.date) -> Period:
    year = day.year if day.month >= 4 else day.year - 1
    return Period(datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31))


def previous_quarter(day: datetime.date) -> Period:
    return quarter_containing(quarter_containing(day).start - datetime.timedelta(days=1))


def parse_period(start: str | None, end: str | None, today: datetime.date) -> Period:
    """The period from ISO dates in a request; this quarter when either is missing or they are out of order."""
    try:
        period = Period(datetime.date.fromisoformat(start or ""), datetime.date.fromisoformat(end or ""))
    except ValueError:
        return quarter_containing(today)
    if period.end < period.start or (period.end - period.start).days > 366 * 5:
        return quarter_containing(today)
    return period
