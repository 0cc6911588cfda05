"""The small-numbers rule for survey results, as pure Python (no Django) so it can be tested alone.

Any figure built from fewer than `MINIMUM_RESPONSES` responses is suppressed: with so few answers a
score says little and may identify the people who gave it. A suppressed figure is shown as "fewer than
5 responses", never as a number.
"""

from __future__ import annotations

MINIMUM_RESPONSES = 5


def is_suppressed(responses: int | None, minimum: int = MINIMUM_RESPONSES) -> bool:
    """True when a breakdown with this many responses must not be shown."""
    return (responses or 0) < minimum


def percent(part: int, whole: int) -> float | None:
    """`part` of `whole` as a percentage to one decimal place, or None when there is nothing to divide."""
    if not whole:
        return None
    return round(100 * part / whole, 1)


def figures(responses: int, agreeing: int, mean: float | None, minimum: int = MINIMUM_RESPONSES) -> dict:
    """The published figures of one breakdown: % agreeing (4 or 5) and the mean, or both None if suppressed.

    `responses` is how many answers (one per respondent) the breakdown holds; `agreeing` how many were 4 or 5.
    """
    if is_suppressed(responses, minimum):
        return {"responses": responses, "suppressed": True, "percent_agree": None, "mean": None}
    return {
        "responses": responses,
        "suppressed": False,
        "percent_agree": percent(agreeing, responses),
        "mean": None if mean is None else round(float(mean), 2),
    }
