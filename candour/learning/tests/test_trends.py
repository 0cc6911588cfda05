"""Table tests of the pure rules: the emerging-theme flag and the impact windows and rates."""

import datetime

import pytest

from candour.learning import trends

D = datetime.date


@pytest.mark.parametrize(
    "previous, count, emerging",
    [
        ([0, 0, 0, 0, 0, 0], 5, True),  # a new theme: 5 is the minimum, above 0 + 2 x 0
        ([0, 0, 0, 0, 0, 0], 4, False),  # below the minimum, however sudden
        ([2, 2, 2, 2, 2, 2], 5, True),  # steady at 2: threshold 2
        ([1, 3, 1, 3, 1, 3], 5, True),  # mean 2, sd 1: threshold 4
        ([1, 3, 1, 3, 1, 3], 4, False),  # equal to mean + 2sd is not "more than"
        ([10, 12, 8, 11, 9, 10], 12, False),  # busy but usual
        ([10, 10, 10, 10, 10, 10], 11, True),  # no spread at all: any rise of at least 5 counts
        ([0, 0, 0, 20, 0, 0], 15, False),  # one past spike widens the spread: sd 7.45, threshold 18.2
        ([5, 5], 6, False),  # short history: missing months count as 0 (mean 1.67, sd 2.36, threshold 6.4)
        ([5, 5], 7, True),
        ([], 5, True),
    ],
)
def test_emerging_theme_rule(previous, count, emerging):
    assert trends.is_emerging(previous, count) is emerging


def test_previous_months_cross_the_year():
    assert trends.previous_months(D(2026, 2, 14)) == [
        D(2025, 8, 1), D(2025, 9, 1), D(2025, 10, 1), D(2025, 11, 1), D(2025, 12, 1), D(2026, 1, 1)
    ]  # fmt: skip


@pytest.mark.parametrize(
    "change_on, today, before_start, after_end, months_after",
    [
        (D(2025, 6, 15), D(2026, 3, 1), D(2024, 12, 15), D(2025, 12, 15), 6),
        (D(2025, 12, 15), D(2026, 3, 1), D(2025, 6, 15), D(2026, 6, 15), 2),  # 15 Jan and 15 Feb have passed
        (D(2026, 2, 20), D(2026, 3, 1), D(2025, 8, 20), D(2026, 8, 20), 0),
        (D(2025, 8, 31), D(2025, 9, 30), D(2025, 2, 28), D(2026, 2, 28), 1),  # clamped month ends
    ],
)
def test_impact_window(change_on, today, before_start, after_end, months_after):
    window = trends.impact_window(change_on, today)
    assert (window.before_start, window.after_end, window.months_after) == (before_start, after_end, months_after)


@pytest.mark.parametrize("count, months, rate", [(12, 6, 2.0), (5, 6, 0.8), (3, 2, 1.5), (4, 0, None)])
def test_monthly_rate(count, months, rate):
    assert trends.monthly_rate(count, months) == rate
