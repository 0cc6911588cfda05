"""Pure rules for themes, trends and impact (no Django imports, so they can be table-tested alone).

The emerging-theme rule: a month's count is *emerging* when it is at least `MINIMUM` and exceeds the mean
of the previous six months by more than two standard deviations (population standard deviation; months
with no complaints count as 0).
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass

WINDOW = 6
MINIMUM = 5
DEVIATIONS = 2


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), clamped to the end of shorter months."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def previous_months(month: datetime.date, count: int = WINDOW) -> list[datetime.date]:
    """The `count` months before `month` (first days), oldest first."""
    first = month_start(month)
    return [add_months(first, -n) for n in range(count, 0, -1)]


def is_emerging(previous: list[int], count: int) -> bool:
    """True when `count` is at least MINIMUM and above mean(previous) + 2 standard deviations."""
    if count < MINIMUM:
        return False
    history = list(previous)[-WINDOW:]
    history = [0] * (WINDOW - len(history)) + history
    mean = statistics.fmean(history)
    spread = statistics.pstdev(history)
    return count > mean + DEVIATIONS * spread


def threshold(previous: list[int]) -> float:
    history = list(previous)[-WINDOW:]
    history = [0] * (WINDOW - len(history)) + history
    return max(float(MINIMUM - 1), statistics.fmean(history) + DEVIATIONS * statistics.pstdev(history))


@dataclass(frozen=True)
class ImpactWindow:
    before_start: datetime.date
    change_on: datetime.date
    after_end: datetime.date  # exclusive
    months_after: int  # whole months of the after window that have passed (0 to 6)


def impact_window(change_on: datetime.date, today: datetime.date) -> ImpactWindow:
    """Six months before the change (exclusive of its day) and six months from it."""
    after_end = add_months(change_on, WINDOW)
    months_after = 0
    while months_after < WINDOW and add_months(change_on, months_after + 1) <= today:
        months_after += 1
    return ImpactWindow(add_months(change_on, -WINDOW), change_on, after_end, months_after)


def monthly_rate(count: int, months: int) -> float | None:
    """Complaints per month, to one decimal place; None when no whole month has passed yet."""
    if months <= 0:
        return None
    return round(count / months, 1)
