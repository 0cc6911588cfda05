"""Tests for candour.core.calendar.

Expected dates in the table tests were worked out by hand from a printed calendar and the
GOV.UK bank holiday list; they are written literally, never computed by the code under test.
These tests must not need Django.
"""

import json
import logging
import subprocess
import sys
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from govuk_bank_holidays.bank_holidays import BankHolidays
from hypothesis import given, settings
from hypothesis import strategies as st

from candour.core.calendar import (
    BUNDLED_SOURCE,
    DIVISIONS,
    NATIONS,
    BankHolidayTable,
    DeadlineStatus,
    InvalidBankHolidayData,
    Nation,
    WorkingCalendar,
    bundled_bank_holidays,
    division_for_nation,
    easter_sunday,
    load_bank_holidays,
    refresh_bank_holidays,
    rule_based_bank_holidays,
)

D = date  # keeps the tables compact
REPO_ROOT = Path(__file__).resolve().parents[3]


# ======================================================================================
# Nations and divisions
# ======================================================================================


@pytest.mark.parametrize(
    ("nation", "division"),
    [
        ("england", "england-and-wales"),
        ("wales", "england-and-wales"),
        ("scotland", "scotland"),
        ("northern-ireland", "northern-ireland"),
        (Nation.WALES, "england-and-wales"),
    ],
)
def test_division_for_nation(nation, division):
    assert division_for_nation(nation) == division


@pytest.mark.parametrize("bad", ["England", "uk", "england-and-wales", "", None, ["england"]])
def test_division_for_unknown_nation_raises(bad):
    with pytest.raises(ValueError, match="Unknown nation"):
        division_for_nation(bad)


def test_calendar_rejects_unknown_nation():
    with pytest.raises(ValueError, match="Unknown nation"):
        WorkingCalendar("Scotland")


def test_nation_values_are_the_documented_strings():
    assert NATIONS == ("england", "wales", "scotland", "northern-ireland")
    assert DIVISIONS == ("england-and-wales", "scotland", "northern-ireland")


# ======================================================================================
# Bank holiday rules
# ======================================================================================


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (1818, D(1818, 3, 22)),  # earliest possible
        (1943, D(1943, 4, 25)),  # latest possible
        (2000, D(2000, 4, 23)),
        (2008, D(2008, 3, 23)),
        (2019, D(2019, 4, 21)),
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2027, D(2027, 3, 28)),
        (2028, D(2028, 4, 16)),
        (2029, D(2029, 4, 1)),
        (2030, D(2030, 4, 21)),
        (2038, D(2038, 4, 25)),
        (2285, D(2285, 3, 22)),
    ],
)
def test_easter_sunday(year, expected):
    assert easter_sunday(year) == expected


# One-off changes proclaimed by royal proclamation, which no rule can predict. The rule-based
# generator is expected to match the bundled GOV.UK data for every other date.
# They applied in all three divisions.
ONE_OFF_EXTRA_DAYS = {
    D(2012, 6, 4): "Spring bank holiday moved to 4 June (Diamond Jubilee)",
    D(2012, 6, 5): "Queen's Diamond Jubilee",
    D(2020, 5, 8): "Early May bank holiday moved to Friday 8 May (VE Day 75)",
    D(2022, 6, 2): "Spring bank holiday moved to Thursday 2 June (Platinum Jubilee)",
    D(2022, 6, 3): "Platinum Jubilee bank holiday",
    D(2022, 9, 19): "State Funeral of Queen Elizabeth II",
    D(2023, 5, 8): "Coronation of King Charles III",
}
ONE_OFF_REMOVED_DAYS = {
    D(2012, 5, 28): "last Monday in May 2012 (moved to 4 June)",
    D(2020, 5, 4): "first Monday in May 2020 (moved to 8 May)",
    D(2022, 5, 30): "last Monday in May 2022 (moved to 2 June)",
}


@pytest.mark.parametrize("division", DIVISIONS)
@pytest.mark.parametrize("year", range(2012, 2029))
def test_rules_reproduce_bundled_data_apart_from_one_off_days(division, year):
    raw = BankHolidays.load_backup_data()[division]["events"]
    bundled = {D.fromisoformat(event["date"]) for event in raw if event["date"].startswith(f"{year}-")}

    expected = {d for d in rule_based_bank_holidays(division, year) if d not in ONE_OFF_REMOVED_DAYS}
    expected |= {d for d in ONE_OFF_EXTRA_DAYS if d.year == year}
    assert bundled == expected


def test_bundled_data_covers_2012_to_2028():
    table = bundled_bank_holidays()
    for division in DIVISIONS:
        assert table.covered_years(division) == frozenset(range(2012, 2029))


def test_rule_based_2029_all_divisions():
    # 1 Jan 2029 is a Monday; Easter Sunday is 1 April.
    assert rule_based_bank_holidays("england-and-wales", 2029) == {
        D(2029, 1, 1),
        D(2029, 3, 30),  # Good Friday
        D(2029, 4, 2),  # Easter Monday
        D(2029, 5, 7),  # first Monday in May (1 May is a Tuesday)
        D(2029, 5, 28),  # last Monday in May
        D(2029, 8, 27),  # last Monday in August
        D(2029, 12, 25),  # Tuesday
        D(2029, 12, 26),
    }
    assert rule_based_bank_holidays("scotland", 2029) == {
        D(2029, 1, 1),
        D(2029, 1, 2),
        D(2029, 3, 30),
        D(2029, 5, 7),
        D(2029, 5, 28),
        D(2029, 8, 6),  # FIRST Monday in August
        D(2029, 11, 30),  # St Andrew's Day, a Friday
        D(2029, 12, 25),
        D(2029, 12, 26),
    }
    assert rule_based_bank_holidays("northern-ireland", 2029) == {
        D(2029, 1, 1),
        D(2029, 3, 19),  # St Patrick's Day is Saturday 17th -> Monday 19th
        D(2029, 3, 30),
        D(2029, 4, 2),
        D(2029, 5, 7),
        D(2029, 5, 28),
        D(2029, 7, 12),  # Boyne, a Thursday
        D(2029, 8, 27),
        D(2029, 12, 25),
        D(2029, 12, 26),
    }


def test_rule_based_2030_substitutes():
    # St Andrew's Day is Saturday 30 Nov 2030; St Patrick's Day is Sunday 17 Mar 2030.
    assert rule_based_bank_holidays("scotland", 2030) == {
        D(2030, 1, 1),
        D(2030, 1, 2),
        D(2030, 4, 19),
        D(2030, 5, 6),
        D(2030, 5, 27),
        D(2030, 8, 5),
        D(2030, 12, 2),
        D(2030, 12, 25),
        D(2030, 12, 26),
    }
    assert rule_based_bank_holidays("northern-ireland", 2030) == {
        D(2030, 1, 1),
        D(2030, 3, 18),
        D(2030, 4, 19),
        D(2030, 4, 22),
        D(2030, 5, 6),
        D(2030, 5, 27),
        D(2030, 7, 12),
        D(2030, 8, 26),
        D(2030, 12, 25),
        D(2030, 12, 26),
    }


@pytest.mark.parametrize(
    ("division", "year", "included", "excluded"),
    [
        # Christmas Sat 25 / Boxing Day Sun 26 Dec 2032 -> Mon 27, Tue 28.
        ("england-and-wales", 2032, {D(2032, 12, 27), D(2032, 12, 28)}, {D(2032, 12, 25), D(2032, 12, 26)}),
        # 1 Jan 2033 is a Saturday -> Mon 3 Jan; Scotland's 2 Jan (Sunday) -> Tue 4 Jan.
        ("england-and-wales", 2033, {D(2033, 1, 3)}, {D(2033, 1, 1), D(2033, 1, 4)}),
        ("scotland", 2033, {D(2033, 1, 3), D(2033, 1, 4)}, {D(2033, 1, 1), D(2033, 1, 2)}),
        # Christmas Sun 25 Dec 2033, Boxing Day Mon 26 -> Mon 26 and Tue 27.
        ("northern-ireland", 2033, {D(2033, 12, 26), D(2033, 12, 27)}, {D(2033, 12, 25), D(2033, 12, 28)}),
        # 1 Jan 2034 is a Sunday, 2 Jan a Monday -> Scotland gets Mon 2 and Tue 3 Jan.
        ("scotland", 2034, {D(2034, 1, 2), D(2034, 1, 3)}, {D(2034, 1, 1), D(2034, 1, 4)}),
    ],
)
def test_rule_based_substitute_days(division, year, included, excluded):
    holidays = rule_based_bank_holidays(division, year)
    assert included <= holidays
    assert not excluded & holidays


def test_rule_based_rejects_unknown_division():
    with pytest.raises(ValueError, match="Unknown division"):
        rule_based_bank_holidays("wales", 2030)


def test_calendar_uses_rules_beyond_bundled_data():
    assert not WorkingCalendar("scotland").is_working_day(D(2029, 1, 2))
    assert WorkingCalendar("england").is_working_day(D(2029, 1, 2))
    assert not WorkingCalendar("northern-ireland").is_working_day(D(2030, 3, 18))


# ======================================================================================
# is_working_day
# ======================================================================================


@pytest.mark.parametrize(
    ("nation", "day", "expected"),
    [
        ("england", D(2025, 12, 24), True),
        ("england", D(2025, 12, 25), False),
        ("england", D(2025, 12, 27), False),  # Saturday
        ("england", D(2026, 1, 2), True),
        ("wales", D(2026, 1, 2), True),
        ("northern-ireland", D(2026, 1, 2), True),
        ("scotland", D(2026, 1, 2), False),
        ("scotland", D(2025, 12, 1), False),  # St Andrew's Day substitute
        ("england", D(2025, 12, 1), True),
        ("scotland", D(2025, 4, 21), True),  # Easter Monday is not a Scottish bank holiday
        ("england", D(2025, 4, 21), False),
        ("northern-ireland", D(2025, 3, 17), False),
        ("wales", D(2025, 3, 17), True),
        ("northern-ireland", D(2025, 7, 14), False),  # Boyne substitute
        ("scotland", D(2025, 8, 4), False),
        ("england", D(2025, 8, 4), True),
        ("england", D(2025, 8, 25), False),
        ("scotland", D(2025, 8, 25), True),
        ("england", D(2022, 9, 19), False),  # State Funeral, from the bundled data
    ],
)
def test_is_working_day(nation, day, expected):
    assert WorkingCalendar(nation).is_working_day(day) is expected


def test_closure_days_are_not_working_days():
    cal = WorkingCalendar("england", closure_days={D(2025, 12, 29), D(2025, 12, 30)})
    assert not cal.is_working_day(D(2025, 12, 29))
    assert not cal.is_working_day(D(2025, 12, 30))
    assert cal.is_working_day(D(2025, 12, 31))
    assert cal.add_working_days(D(2025, 12, 24), 1) == D(2025, 12, 31)


def test_datetimes_are_rejected():
    cal = WorkingCalendar("england")
    with pytest.raises(TypeError):
        cal.is_working_day(datetime(2025, 12, 24, 9, 0, tzinfo=UTC))
    with pytest.raises(TypeError):
        cal.add_working_days(datetime(2025, 12, 24, 9, 0, tzinfo=UTC), 1)
    with pytest.raises(TypeError):
        WorkingCalendar("england", closure_days={datetime(2025, 12, 24, tzinfo=UTC)})


# ======================================================================================
# add_working_days / working_days_between: hand-worked tables
# ======================================================================================

ALL = NATIONS

ADD_CASES = [
    # ---- 2025/26: Christmas Thu 25, Boxing Day Fri 26, New Year Thu 1 Jan; Scotland also Fri 2 Jan.
    *[(n, D(2025, 12, 19), 3, D(2025, 12, 24), "Fri 19 -> Mon 22, Tue 23, Wed 24") for n in ALL],
    *[(n, D(2025, 12, 24), 1, D(2025, 12, 29), "25, 26 holidays, 27-28 weekend") for n in ALL],
    ("england", D(2025, 12, 24), 5, D(2026, 1, 5), "29, 30, 31, 2 Jan, 5 Jan"),
    ("wales", D(2025, 12, 24), 5, D(2026, 1, 5), "29, 30, 31, 2 Jan, 5 Jan"),
    ("northern-ireland", D(2025, 12, 24), 5, D(2026, 1, 5), "29, 30, 31, 2 Jan, 5 Jan"),
    ("scotland", D(2025, 12, 24), 5, D(2026, 1, 6), "29, 30, 31, 5 Jan, 6 Jan (2 Jan is a holiday)"),
    ("england", D(2025, 12, 1), 20, D(2025, 12, 31), "4 + 5 + 5 + 3 (22-24) + 3 (29-31)"),
    ("england", D(2025, 12, 25), 1, D(2025, 12, 29), "start on a bank holiday"),
    ("england", D(2025, 12, 20), 1, D(2025, 12, 22), "start on a Saturday"),
    ("england", D(2025, 12, 20), 0, D(2025, 12, 20), "n=0 returns start even on a weekend"),
    # ---- 2025: Easter Fri 18 / Mon 21 Apr; NI St Patrick's Mon 17 Mar, Boyne Sat 12 Jul -> Mon 14.
    ("england", D(2025, 4, 17), 1, D(2025, 4, 22), "Good Friday + Easter Monday"),
    ("wales", D(2025, 4, 17), 1, D(2025, 4, 22), "Good Friday + Easter Monday"),
    ("northern-ireland", D(2025, 4, 17), 1, D(2025, 4, 22), "Good Friday + Easter Monday"),
    ("scotland", D(2025, 4, 17), 1, D(2025, 4, 21), "Good Friday only"),
    ("england", D(2025, 4, 17), 2, D(2025, 4, 23), "Tue 22, Wed 23"),
    ("northern-ireland", D(2025, 3, 14), 1, D(2025, 3, 18), "St Patrick's Day Mon 17"),
    ("england", D(2025, 3, 14), 1, D(2025, 3, 17), ""),
    ("northern-ireland", D(2025, 7, 11), 1, D(2025, 7, 15), "Boyne substitute Mon 14"),
    ("england", D(2025, 7, 11), 1, D(2025, 7, 14), ""),
    ("scotland", D(2025, 8, 1), 1, D(2025, 8, 5), "Scottish summer holiday Mon 4 Aug"),
    ("england", D(2025, 8, 1), 1, D(2025, 8, 4), ""),
    ("england", D(2025, 8, 22), 1, D(2025, 8, 26), "English summer holiday Mon 25 Aug"),
    ("scotland", D(2025, 8, 22), 1, D(2025, 8, 25), ""),
    ("scotland", D(2025, 11, 28), 1, D(2025, 12, 2), "St Andrew's (Sun 30) substitute Mon 1 Dec"),
    ("england", D(2025, 11, 28), 1, D(2025, 12, 1), ""),
    # ---- 2026: Easter Fri 3 / Mon 6 Apr; St Patrick's Tue 17 Mar; Boyne Sun 12 Jul -> Mon 13;
    #      Scottish summer Mon 3 Aug; English summer Mon 31 Aug; St Andrew's Mon 30 Nov;
    #      Christmas Fri 25, Boxing Day Sat 26 -> Mon 28; New Year 2027 Fri 1 Jan, Scots 2 Jan (Sat) -> Mon 4.
    ("england", D(2026, 4, 2), 1, D(2026, 4, 7), "Good Friday + Easter Monday"),
    ("northern-ireland", D(2026, 4, 2), 1, D(2026, 4, 7), ""),
    ("scotland", D(2026, 4, 2), 1, D(2026, 4, 6), "Good Friday only"),
    ("northern-ireland", D(2026, 3, 16), 1, D(2026, 3, 18), "St Patrick's Day Tue 17"),
    ("england", D(2026, 3, 16), 1, D(2026, 3, 17), ""),
    ("northern-ireland", D(2026, 7, 10), 1, D(2026, 7, 14), "Boyne substitute Mon 13"),
    ("england", D(2026, 7, 10), 1, D(2026, 7, 13), ""),
    ("scotland", D(2026, 7, 31), 1, D(2026, 8, 4), "first Monday of August"),
    ("england", D(2026, 7, 31), 1, D(2026, 8, 3), ""),
    ("england", D(2026, 8, 28), 1, D(2026, 9, 1), "last Monday of August"),
    ("wales", D(2026, 8, 28), 1, D(2026, 9, 1), ""),
    ("scotland", D(2026, 8, 28), 1, D(2026, 8, 31), ""),
    ("scotland", D(2026, 11, 27), 1, D(2026, 12, 1), "St Andrew's Day Mon 30 Nov"),
    ("england", D(2026, 11, 27), 1, D(2026, 11, 30), ""),
    *[(n, D(2026, 12, 24), 1, D(2026, 12, 29), "Fri 25, weekend, Boxing Day substitute Mon 28") for n in ALL],
    ("england", D(2026, 12, 24), 3, D(2026, 12, 31), "Tue 29, Wed 30, Thu 31"),
    ("england", D(2026, 12, 24), 4, D(2027, 1, 4), "... then 1 Jan Fri holiday, weekend, Mon 4"),
    ("scotland", D(2026, 12, 24), 4, D(2027, 1, 5), "Mon 4 Jan is the 2 January substitute"),
    ("scotland", D(2026, 12, 31), 1, D(2027, 1, 5), ""),
    ("england", D(2026, 12, 31), 1, D(2027, 1, 4), ""),
    # ---- 2027: Easter Fri 26 / Mon 29 Mar; St Patrick's Wed 17 Mar; Boyne Mon 12 Jul;
    #      Scottish summer Mon 2 Aug; St Andrew's Tue 30 Nov; Christmas Sat/Sun -> Mon 27, Tue 28;
    #      New Year 2028 Sat 1 Jan -> Mon 3; Scots also Tue 4.
    ("england", D(2027, 3, 25), 1, D(2027, 3, 30), "Good Friday + Easter Monday"),
    ("scotland", D(2027, 3, 25), 1, D(2027, 3, 29), ""),
    ("northern-ireland", D(2027, 3, 16), 1, D(2027, 3, 18), "St Patrick's Day Wed 17"),
    ("wales", D(2027, 3, 16), 1, D(2027, 3, 17), ""),
    ("northern-ireland", D(2027, 7, 9), 1, D(2027, 7, 13), "Boyne Mon 12"),
    ("england", D(2027, 7, 9), 1, D(2027, 7, 12), ""),
    ("scotland", D(2027, 7, 30), 1, D(2027, 8, 3), "first Monday of August"),
    ("england", D(2027, 7, 30), 1, D(2027, 8, 2), ""),
    ("scotland", D(2027, 11, 29), 1, D(2027, 12, 1), "St Andrew's Day Tue 30 Nov"),
    ("england", D(2027, 11, 29), 1, D(2027, 11, 30), ""),
    *[(n, D(2027, 12, 24), 1, D(2027, 12, 29), "substitutes Mon 27 and Tue 28") for n in ALL],
    ("england", D(2027, 12, 24), 3, D(2027, 12, 31), "Wed 29, Thu 30, Fri 31"),
    ("england", D(2027, 12, 24), 4, D(2028, 1, 4), "New Year substitute Mon 3 Jan"),
    ("northern-ireland", D(2027, 12, 24), 4, D(2028, 1, 4), ""),
    ("scotland", D(2027, 12, 24), 4, D(2028, 1, 5), "Mon 3 and Tue 4 Jan are substitutes"),
    # ---- 2028: Easter Fri 14 / Mon 17 Apr; St Patrick's Fri 17 Mar; Boyne Wed 12 Jul;
    #      Scottish summer Mon 7 Aug; St Andrew's Thu 30 Nov; Christmas Mon 25, Tue 26;
    #      2029 (beyond the bundled data): New Year Mon 1 Jan, Scots also Tue 2 Jan.
    ("england", D(2028, 4, 13), 1, D(2028, 4, 18), "Good Friday + Easter Monday"),
    ("wales", D(2028, 4, 13), 1, D(2028, 4, 18), ""),
    ("scotland", D(2028, 4, 13), 1, D(2028, 4, 17), ""),
    ("northern-ireland", D(2028, 3, 16), 1, D(2028, 3, 20), "St Patrick's Day Fri 17"),
    ("england", D(2028, 3, 16), 1, D(2028, 3, 17), ""),
    ("northern-ireland", D(2028, 7, 11), 1, D(2028, 7, 13), "Boyne Wed 12"),
    ("scotland", D(2028, 8, 4), 1, D(2028, 8, 8), "first Monday of August"),
    ("england", D(2028, 8, 4), 1, D(2028, 8, 7), ""),
    ("scotland", D(2028, 11, 29), 1, D(2028, 12, 1), "St Andrew's Day Thu 30 Nov"),
    *[(n, D(2028, 12, 22), 1, D(2028, 12, 27), "Mon 25, Tue 26") for n in ALL],
    ("england", D(2028, 12, 22), 5, D(2029, 1, 3), "27, 28, 29, (1 Jan), 2, 3 Jan"),
    ("northern-ireland", D(2028, 12, 22), 5, D(2029, 1, 3), ""),
    ("scotland", D(2028, 12, 22), 5, D(2029, 1, 4), "27, 28, 29, (1, 2 Jan), 3, 4 Jan"),
]


@pytest.mark.parametrize(
    ("nation", "start", "n", "expected"),
    [pytest.param(n, s, k, e, id=f"{n}-{s}+{k}{'-' + note if note else ''}") for n, s, k, e, note in ADD_CASES],
)
def test_add_working_days_table(nation, start, n, expected):
    cal = WorkingCalendar(nation)
    assert cal.add_working_days(start, n) == expected
    if start != expected:
        assert cal.working_days_between(start, expected) == n


@pytest.mark.parametrize(
    ("nation", "start", "end", "expected"),
    [
        ("england", D(2025, 12, 24), D(2026, 1, 5), 5),
        ("scotland", D(2025, 12, 24), D(2026, 1, 5), 4),
        ("england", D(2025, 12, 24), D(2025, 12, 28), 0),
        ("england", D(2025, 12, 24), D(2025, 12, 24), 0),
        ("england", D(2026, 1, 5), D(2025, 12, 24), 0),  # end before start
        ("england", D(2025, 12, 23), D(2025, 12, 24), 1),  # end counts, start does not
        # 2025: 260 weekdays after Wed 1 Jan. England has 7 later bank holidays; Scotland has 8
        # (adds 2 Jan, 4 Aug, 1 Dec; lacks Easter Monday and 25 Aug).
        ("england", D(2025, 1, 1), D(2025, 12, 31), 253),
        ("scotland", D(2025, 1, 1), D(2025, 12, 31), 252),
    ],
)
def test_working_days_between_table(nation, start, end, expected):
    assert WorkingCalendar(nation).working_days_between(start, end) == expected


def test_negative_n_rejected():
    with pytest.raises(ValueError, match="n must be >= 0"):
        WorkingCalendar("england").add_working_days(D(2025, 1, 1), -1)


# ======================================================================================
# Property-based tests
# ======================================================================================

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, database=None)


@st.composite
def calendars_and_starts(draw):
    """A calendar for a random nation, with random closure days clustered near a random start."""
    nation = draw(st.sampled_from(NATIONS))
    start = draw(st.dates(min_value=D(2012, 1, 1), max_value=D(2032, 12, 31)))
    offsets = draw(st.frozensets(st.integers(min_value=-10, max_value=120), max_size=20))
    closures = frozenset(start + timedelta(days=o) for o in offsets)
    return WorkingCalendar(nation, closure_days=closures), start


N = st.integers(min_value=0, max_value=60)


@PROPERTY_SETTINGS
@given(calendars_and_starts(), N)
def test_prop_result_is_working_day_after_start(cal_start, n):
    cal, start = cal_start
    result = cal.add_working_days(start, n)
    if n == 0:
        assert result == start
    else:
        assert result > start
        assert cal.is_working_day(result)


@PROPERTY_SETTINGS
@given(calendars_and_starts(), N)
def test_prop_exactly_n_working_days_in_between(cal_start, n):
    cal, start = cal_start
    result = cal.add_working_days(start, n)
    assert cal.working_days_between(start, result) == n
    # and independently, by brute force over the interval
    days = [start + timedelta(days=i) for i in range(1, (result - start).days + 1)]
    assert sum(cal.is_working_day(d) for d in days) == n


@PROPERTY_SETTINGS
@given(calendars_and_starts(), N)
def test_prop_monotonic_in_n(cal_start, n):
    cal, start = cal_start
    assert cal.add_working_days(start, n) < cal.add_working_days(start, n + 1)


@PROPERTY_SETTINGS
@given(calendars_and_starts(), N, N)
def test_prop_additive(cal_start, a, b):
    cal, start = cal_start
    assert cal.add_working_days(cal.add_working_days(start, a), b) == cal.add_working_days(start, a + b)


@PROPERTY_SETTINGS
@given(calendars_and_starts(), N, st.integers(min_value=-10, max_value=120))
def test_prop_extra_closure_day_never_makes_deadline_earlier(cal_start, n, offset):
    cal, start = cal_start
    extra = start + timedelta(days=offset)
    stricter = WorkingCalendar(cal.nation, closure_days=cal.closure_days | {extra})
    assert stricter.add_working_days(start, n) >= cal.add_working_days(start, n)


# ======================================================================================
# Stop the clock and extensions (England; no bank holidays in June 2025)
# ======================================================================================

RECEIVED = D(2025, 6, 2)  # Monday
# 10 working days: Tue 3 - Fri 6 (4), Mon 9 - Fri 13 (5), Mon 16 (10).
PLAIN_DUE = D(2025, 6, 16)


@pytest.fixture
def england():
    return WorkingCalendar("england")


def test_due_date_without_stops(england):
    assert england.due_date(RECEIVED, 10) == PLAIN_DUE


def test_stopped_period_adds_back_working_days(england):
    # Stopped Wed 4, restarted Fri 6: Thu 5 and Fri 6 are added back -> Tue 17, Wed 18.
    assert england.due_date(RECEIVED, 10, [(D(2025, 6, 4), D(2025, 6, 6))]) == D(2025, 6, 18)


def test_several_stopped_periods(england):
    periods = [(D(2025, 6, 4), D(2025, 6, 6)), (D(2025, 6, 10), D(2025, 6, 11))]  # 2 + 1 days
    assert england.due_date(RECEIVED, 10, periods) == D(2025, 6, 19)


def test_overlapping_stopped_periods_count_each_day_once(england):
    # (4, 6] = {5, 6}; (5, 9] = {6, 9}; union {5, 6, 9} = 3 days.
    periods = [(D(2025, 6, 4), D(2025, 6, 6)), (D(2025, 6, 5), D(2025, 6, 9))]
    assert england.due_date(RECEIVED, 10, periods) == D(2025, 6, 19)


def test_still_stopped_counts_to_today(england):
    # Stopped Wed 4, still stopped on Mon 9: Thu 5, Fri 6, Mon 9 = 3 days.
    assert england.due_date(RECEIVED, 10, [(D(2025, 6, 4), None)], today=D(2025, 6, 9)) == D(2025, 6, 19)


def test_still_stopped_defaults_to_real_today(england):
    with time_machine.travel(datetime(2025, 6, 9, 12, 0, tzinfo=UTC), tick=False):
        assert england.due_date(RECEIVED, 10, [(D(2025, 6, 4), None)]) == D(2025, 6, 19)


def test_stop_in_the_future_adds_nothing(england):
    assert england.due_date(RECEIVED, 10, [(D(2025, 6, 10), None)], today=D(2025, 6, 9)) == PLAIN_DUE


def test_stopped_period_over_christmas(england):
    # Received Mon 1 Dec 2025, 20 working days -> Wed 31 Dec.
    # Stopped Fri 19 Dec to Mon 5 Jan: 22, 23, 24, 29, 30, 31 Dec, 2, 5 Jan = 8 days.
    # 8 working days after 31 Dec: 2, 5, 6, 7, 8, 9, 12, 13 Jan.
    assert england.due_date(D(2025, 12, 1), 20) == D(2025, 12, 31)
    assert england.due_date(D(2025, 12, 1), 20, [(D(2025, 12, 19), D(2026, 1, 5))]) == D(2026, 1, 13)


def test_stopped_period_ending_before_it_starts_is_rejected(england):
    with pytest.raises(ValueError, match="before it starts"):
        england.due_date(RECEIVED, 10, [(D(2025, 6, 6), D(2025, 6, 4))])


def test_extension_replaces_computed_date(england):
    periods = [(D(2025, 6, 4), D(2025, 6, 6))]
    assert england.due_date(RECEIVED, 10, periods, extension_to=D(2025, 7, 1)) == D(2025, 7, 1)
    # even an extension to a non-working day is honoured as agreed
    assert england.due_date(RECEIVED, 10, extension_to=D(2025, 6, 21)) == D(2025, 6, 21)


# ======================================================================================
# Status
# ======================================================================================

DUE = D(2025, 12, 29)  # Monday after Christmas (England)


@pytest.mark.parametrize(
    ("today", "completed_on", "due_soon_days", "expected"),
    [
        (D(2025, 12, 22), None, 2, "on_track"),  # 23, 24, 29 = 3 working days to go
        (D(2025, 12, 23), None, 2, "due_soon"),  # 24, 29 = 2
        (D(2025, 12, 26), None, 2, "due_soon"),  # 29 = 1
        (D(2025, 12, 29), None, 2, "due_soon"),  # due today
        (D(2025, 12, 30), None, 2, "overdue"),
        (D(2025, 12, 24), None, 0, "on_track"),
        (D(2025, 12, 29), None, 0, "due_soon"),
        (D(2026, 1, 5), D(2025, 12, 29), 2, "done_on_time"),
        (D(2026, 1, 5), D(2025, 12, 20), 2, "done_on_time"),
        (D(2026, 1, 5), D(2025, 12, 30), 2, "done_late"),
        (D(2025, 12, 22), D(2025, 12, 30), 2, "done_late"),
    ],
)
def test_status(today, completed_on, due_soon_days, expected):
    result = WorkingCalendar("england").status(DUE, today, completed_on, due_soon_days=due_soon_days)
    assert result == expected
    assert isinstance(result, str)
    assert result in {s.value for s in DeadlineStatus}


# ======================================================================================
# Loading, overriding and refreshing bank holiday data (no network)
# ======================================================================================

FAKE_HOLIDAY = D(2025, 6, 10)  # an ordinary Tuesday


def _govuk_json_for_2025(extra_england_day=None):
    """A GOV.UK-shaped document with only 2025 events, optionally adding one made-up day."""
    data = {}
    for division, block in BankHolidays.load_backup_data().items():
        events = [e for e in block["events"] if e["date"].startswith("2025-")]
        if extra_england_day and division == "england-and-wales":
            made_up = {"title": "Made-up day", "date": extra_england_day.isoformat(), "notes": "", "bunting": False}
            events.append(made_up)
        data[division] = {"division": division, "events": events}
    return data


def test_load_without_override_is_bundled():
    assert load_bank_holidays() is bundled_bank_holidays()
    assert load_bank_holidays().source == BUNDLED_SOURCE


def test_missing_override_file_falls_back(tmp_path):
    assert load_bank_holidays(tmp_path / "nope.json") is bundled_bank_holidays()


def test_override_file_is_used(tmp_path):
    path = tmp_path / "bank-holidays.json"
    path.write_text(json.dumps(_govuk_json_for_2025(FAKE_HOLIDAY)), encoding="utf-8")

    table = load_bank_holidays(path)
    assert table.source == str(path)
    assert not WorkingCalendar("england", holidays=table).is_working_day(FAKE_HOLIDAY)
    assert WorkingCalendar("scotland", holidays=table).is_working_day(FAKE_HOLIDAY)
    assert WorkingCalendar("england").is_working_day(FAKE_HOLIDAY)  # default calendar unaffected
    # Years the override lacks still come from the bundled data, then the rules.
    assert not WorkingCalendar("england", holidays=table).is_working_day(D(2022, 9, 19))
    assert not WorkingCalendar("scotland", holidays=table).is_working_day(D(2029, 1, 2))


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "",
        "[]",
        '{"england-and-wales": {"events": [{"date": "2025-01-01"}]}}',  # divisions missing
        json.dumps({d: {"division": d, "events": []} for d in DIVISIONS}),  # no events
        json.dumps({d: {"division": d, "events": [{"date": "01/01/2025"}]} for d in DIVISIONS}),  # bad date
        json.dumps({d: {"division": d, "events": ["2025-01-01"]} for d in DIVISIONS}),  # events not objects
    ],
    ids=["truncated", "empty", "list", "missing-divisions", "no-events", "bad-date", "bad-event"],
)
def test_corrupt_override_falls_back_to_bundled(tmp_path, caplog, content):
    path = tmp_path / "bank-holidays.json"
    path.write_text(content, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="candour.core.calendar"):
        table = load_bank_holidays(path)
    assert table is bundled_bank_holidays()
    assert WorkingCalendar("england", holidays=table).is_working_day(FAKE_HOLIDAY)
    assert "Ignoring bank holiday file" in caplog.text


def test_from_govuk_json_rejects_bad_shape():
    with pytest.raises(InvalidBankHolidayData):
        BankHolidayTable.from_govuk_json({"scotland": {}}, source="test")


class _FakeResponse:
    def __init__(self, body: bytes):
        self._body = body

    def read(self, limit=-1):
        return self._body if limit < 0 else self._body[:limit]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_refresh_writes_validated_file(tmp_path, monkeypatch):
    # urlopen is faked: no network is used.
    body = json.dumps(_govuk_json_for_2025(FAKE_HOLIDAY)).encode()
    seen = {}

    def fake_urlopen(request, timeout):
        seen["url"], seen["timeout"] = request.full_url, timeout
        return _FakeResponse(body)

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    path = tmp_path / "data" / "bank-holidays.json"
    table = refresh_bank_holidays(path, timeout=3)

    assert seen == {"url": "https://www.gov.uk/bank-holidays.json", "timeout": 3}
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(body)
    assert not WorkingCalendar("england", holidays=table).is_working_day(FAKE_HOLIDAY)
    assert [p.name for p in path.parent.iterdir()] == ["bank-holidays.json"]  # no temp files left


def test_refresh_with_bad_download_keeps_existing_file(tmp_path, monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", lambda request, timeout: _FakeResponse(b'{"oops": 1}'))
    path = tmp_path / "bank-holidays.json"
    path.write_text("previous good content", encoding="utf-8")
    with pytest.raises(InvalidBankHolidayData):
        refresh_bank_holidays(path)
    assert path.read_text(encoding="utf-8") == "previous good content"


def test_refresh_refuses_non_https(tmp_path):
    with pytest.raises(ValueError, match="non-HTTPS"):
        refresh_bank_holidays(tmp_path / "x.json", url="file:///etc/passwd")


# ======================================================================================
# Independence from Django
# ======================================================================================


def test_module_imports_without_django():
    code = "import sys, candour.core.calendar; assert 'django' not in sys.modules, 'django was imported'"
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True)
