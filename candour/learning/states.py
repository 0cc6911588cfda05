"""The improvement action lifecycle, declared as data: states, the transitions between them, and guards.

    proposed ─► agreed ─► in_progress ─► done ─► verified_effective
                                          │  └─► verified_not_effective ─► in_progress (rework)
                                          └─◄ (reopen: evidence was not enough)

Every transition appends a row to `ActionStatusLog`, which is never updated. Guards are functions
`(action, actor, context) -> str | None` returning the reason a transition is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models


class ActionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    VERIFIED_EFFECTIVE = "verified_effective", "Verified effective"
    VERIFIED_NOT_EFFECTIVE = "verified_not_effective", "Verified not effective"


OPEN_STATUSES = frozenset({ActionStatus.PROPOSED, ActionStatus.AGREED, ActionStatus.IN_PROGRESS})
# Statuses with a due date that can be missed: an action is overdue when open and past its due date.
DELIVERED_STATUSES = frozenset(
    {ActionStatus.DONE, ActionStatus.VERIFIED_EFFECTIVE, ActionStatus.VERIFIED_NOT_EFFECTIVE}
)

Guard = Callable[[object, object, dict], "str | None"]


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    requires_reason: bool = False
    guards: list[Guard] = field(default_factory=list)


def _needs_evidence(action, actor, context) -> str | None:
    if not (action.evidence or "").strip() and not action.evidence_files.exists():
        return "Record the evidence that the action is complete before marking it done."
    return None


def _verifier_is_not_the_delivery_owner(action, actor, context) -> str | None:
    if actor is not None and actor.pk == action.delivery_owner_id:
        return "Someone other than the delivery owner must verify whether the action worked."
    return None


def _needs_owners_and_due_date(action, actor, context) -> str | None:
    if not action.senior_owner_id or not action.delivery_owner_id or not action.due_date:
        return "Name an accountable senior owner and a delivery owner, and set a due date, before agreeing."
    return None


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "agree", "Agree the action", frozenset({ActionStatus.PROPOSED}), ActionStatus.AGREED,
            guards=[_needs_owners_and_due_date],
        ),
        Transition("start", "Start work", frozenset({ActionStatus.AGREED}), ActionStatus.IN_PROGRESS),
        Transition(
            "complete", "Mark as done", frozenset({ActionStatus.IN_PROGRESS}), ActionStatus.DONE,
            guards=[_needs_evidence],
        ),
        Transition(
            "verify_effective", "Verify: it worked", frozenset({ActionStatus.DONE}), ActionStatus.VERIFIED_EFFECTIVE,
            requires_reason=True, guards=[_verifier_is_not_the_delivery_owner],
        ),
        Transition(
            "verify_not_effective", "Verify: it did not work", frozenset({ActionStatus.DONE}),
            ActionStatus.VERIFIED_NOT_EFFECTIVE, requires_reason=True, guards=[_verifier_is_not_the_delivery_owner],
        ),
        Transition(
            "reopen", "Re-open: more work is needed",
            frozenset({ActionStatus.DONE, ActionStatus.VERIFIED_NOT_EFFECTIVE}), ActionStatus.IN_PROGRESS,
            requires_reason=True,
        ),
    ]
}  # fmt: skip


def available_transitions(action) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if action.status in t.sources]


def refusal(action, actor, transition: Transition, context: dict) -> str | None:
    """Why `transition` may not happen now, or None if it may."""
    if action.status not in transition.sources:
        return f"An action that is {action.get_status_display().lower()} cannot be moved with “{transition.label}”."
    if transition.requires_reason and not (context.get("reason") or "").strip():
        return "Give a reason."
    for guard in transition.guards:
        problem = guard(action, actor, context)
        if problem:
            return problem
    return None
