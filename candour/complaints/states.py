"""The complaint lifecycle, declared as data: states, the transitions between them, and their guards.

    received ─► acknowledged ─► early_resolution ─► resolved ─► closed
                     │                 │                │
                     └────────────────►└──► investigation ─► response_issued ─► closed

Any open state can become withdrawn or not_accepted; closed, resolved, withdrawn and not_accepted can be
re-opened. Every transition appends a row to `StageTransition`, which is never updated. Guards are
functions `(complaint, context) -> str | None` returning the reason a transition is refused. Other apps
add guards through `add_guard` (for example, learning requires a learning record before closure).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    EARLY_RESOLUTION = "early_resolution", _("Early resolution")
    RESOLVED = "resolved", _("Resolved at early resolution")
    INVESTIGATION = "investigation", _("Investigation")
    RESPONSE_ISSUED = "response_issued", _("Final response issued")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")


OPEN_STATES = frozenset({Status.RECEIVED, Status.ACKNOWLEDGED, Status.EARLY_RESOLUTION, Status.INVESTIGATION})
# States in which the organisation still owes a response (the response clock runs).
AWAITING_RESPONSE = frozenset({Status.RECEIVED, Status.ACKNOWLEDGED, Status.EARLY_RESOLUTION, Status.INVESTIGATION})
FINISHED_STATES = frozenset(
    {Status.RESOLVED, Status.RESPONSE_ISSUED, Status.CLOSED, Status.WITHDRAWN, Status.NOT_ACCEPTED}
)

Guard = Callable[[object, dict], "str | None"]


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: decided by the complaint (re-open returns to the stage it was in)
    requires_reason: bool = False
    guards: list[Guard] = field(default_factory=list)


def stage2_handler_problem(complaint, context) -> str | None:
    investigator = context.get("investigator") or complaint.stage2_handler
    if investigator is None:
        return "Choose who will investigate at stage 2."
    if complaint.stage1_handler_id and investigator.pk == complaint.stage1_handler_id:
        return "The stage 2 investigator cannot be the colleague who handled stage 1."
    return None


def _response_must_be_issued_through_the_response(complaint, context) -> str | None:
    if not context.get("via_response"):
        return "Issue the response from the response page: it checks the letter covers everything it must."
    return None


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("acknowledge", _("Acknowledge"), frozenset({Status.RECEIVED}), Status.ACKNOWLEDGED),
        Transition(
            "start_early_resolution",
            _("Start early resolution"),
            frozenset({Status.RECEIVED, Status.ACKNOWLEDGED}),
            Status.EARLY_RESOLUTION,
        ),
        Transition(
            "resolve",
            _("Issue early resolution response"),
            frozenset({Status.EARLY_RESOLUTION}),
            Status.RESOLVED,
            guards=[_response_must_be_issued_through_the_response],
        ),
        Transition(
            "escalate",
            _("Escalate to investigation (stage 2)"),
            frozenset({Status.ACKNOWLEDGED, Status.EARLY_RESOLUTION, Status.RESOLVED}),
            Status.INVESTIGATION,
            requires_reason=True,
            guards=[stage2_handler_problem],
        ),
        Transition(
            "issue_final_response",
            _("Issue final response"),
            frozenset({Status.INVESTIGATION}),
            Status.RESPONSE_ISSUED,
            guards=[_response_must_be_issued_through_the_response],
        ),
        Transition("close", _("Close"), frozenset({Status.RESOLVED, Status.RESPONSE_ISSUED}), Status.CLOSED),
        Transition(
            "withdraw", _("Record as withdrawn"), frozenset(OPEN_STATES), Status.WITHDRAWN, requires_reason=True
        ),
        Transition(
            "not_accept", _("Record as not accepted"), frozenset(OPEN_STATES), Status.NOT_ACCEPTED, requires_reason=True
        ),
        Transition(
            "reopen",
            _("Re-open"),
            frozenset({Status.RESOLVED, Status.CLOSED, Status.WITHDRAWN, Status.NOT_ACCEPTED, Status.RESPONSE_ISSUED}),
            None,
            requires_reason=True,
        ),
    ]
}


def add_guard(transition_name: str, guard: Guard) -> None:
    """Let another capability refuse a transition (e.g. no closure without a learning record)."""
    TRANSITIONS[transition_name].guards.append(guard)


def reopen_target(complaint) -> str:
    return Status.INVESTIGATION if complaint.stage == 2 else Status.EARLY_RESOLUTION


def available_transitions(complaint) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if complaint.status in t.sources]


def refusal(complaint, transition: Transition, context: dict, *, with_guards: bool = True) -> str | None:
    """Why `transition` may not happen now, or None if it may. `with_guards=False` checks only the state and
    the reason (the services run the guards once they have done what the guards rely on)."""
    if complaint.status not in transition.sources:
        return (
            f"A complaint that is {complaint.get_status_display().lower()} cannot be moved with “{transition.label}”."
        )
    if transition.requires_reason and not (context.get("reason") or "").strip():
        return "Give a reason."
    if not with_guards:
        return None
    for guard in transition.guards:
        problem = guard(complaint, context)
        if problem:
            return problem
    return None
