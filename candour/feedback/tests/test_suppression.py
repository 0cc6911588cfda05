"""The small-numbers rule as a table: fewer than 5 responses never shows a figure."""

import pytest

from candour.feedback.suppression import figures, is_suppressed, percent


@pytest.mark.parametrize(
    ("responses", "suppressed"),
    [(None, True), (0, True), (1, True), (4, True), (5, False), (6, False), (1000, False)],
)
def test_fewer_than_five_responses_are_suppressed(responses, suppressed):
    assert is_suppressed(responses) is suppressed


@pytest.mark.parametrize(
    ("responses", "agreeing", "mean", "expected"),
    [
        (4, 4, 5.0, {"responses": 4, "suppressed": True, "percent_agree": None, "mean": None}),
        (5, 4, 4.2, {"responses": 5, "suppressed": False, "percent_agree": 80.0, "mean": 4.2}),
        (3, 1, 2.0, {"responses": 3, "suppressed": True, "percent_agree": None, "mean": None}),
        (6, 1, 2.3333, {"responses": 6, "suppressed": False, "percent_agree": 16.7, "mean": 2.33}),
        (0, 0, None, {"responses": 0, "suppressed": True, "percent_agree": None, "mean": None}),
    ],
)
def test_published_figures(responses, agreeing, mean, expected):
    assert figures(responses, agreeing, mean) == expected


@pytest.mark.parametrize(("part", "whole", "expected"), [(1, 3, 33.3), (0, 0, None), (2, 2, 100.0), (0, 7, 0.0)])
def test_percent(part, whole, expected):
    assert percent(part, whole) == expected
