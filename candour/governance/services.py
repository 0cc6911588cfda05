"""Every write for governance, each validated, audited and in its own transaction.

Audit summaries never hold personal data or free text: field names and counts only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from candour.audit import services as audit
from candour.governance.models import (
    Decision,
    DecisionStatus,
    GovernanceBody,
    GovernanceReview,
    InteractionVolume,
    ReviewAction,
    Threshold,
)
from candour.learning import services as learning
from candour.organisations.models import Membership, Organisation
from candour.organisations.roles import Cap, Role
from candour.permissions import has_capability


def _require(actor, capability: str, organisation: Organisation) -> None:
    # actor=None is the system (demo data, sweeps, management commands).
    if actor is not None and not has_capability(actor, capability, organisation.pk):
        raise PermissionDenied


def _clean(obj, **kwargs) -> None:
    obj.full_clean(**kwargs)


@transaction.atomic
def set_governance_body(
    *,
    actor,
    organisation: Organisation,
    name: str,
    rhythm: str,
    accountable_leader=None,
    since: datetime.date | None = None,
) -> GovernanceBody:
    _require(actor, Cap.GOVERN, organisation)
    if not organisation.is_body:
        raise ValidationError({"organisation": "Only an organisation in its own right has a governance body."})
    body = GovernanceBody.objects.select_for_update().filter(organisation=organisation).first()
    created = body is None
    if created:
        body = GovernanceBody(organisation=organisation, since=since or timezone.localdate())
    before = {"name": body.name, "rhythm": body.rhythm, "accountable_leader": body.accountable_leader_id}
    body.name, body.rhythm, body.accountable_leader = name.strip(), rhythm, accountable_leader
    if since is not None:
        body.since = since
    _clean(body)
    body.save()
    audit.record(
        actor=actor,
        verb="created" if created else "updated",
        obj=body,
        organisation=organisation,
        summary="Named the governance body and its rhythm" if created else "Changed the governance body",
        changes=audit.changed_fields(
            before, {"name": body.name, "rhythm": body.rhythm, "accountable_leader": body.accountable_leader_id}
        ),
    )
    return body


@transaction.atomic
def record_interaction_volume(*, actor, organisation: Organisation, month: datetime.date, count: int):
    _require(actor, Cap.GOVERN, organisation)
    volume, created = InteractionVolume.objects.select_for_update().get_or_create(
        organisation=organisation, month=month.replace(day=1), defaults={"count": count}
    )
    if not created:
        volume.count = count
    _clean(volume, validate_unique=False)
    volume.save()
    audit.record(
        actor=actor,
        verb="recorded_volume",
        obj=volume,
        organisation=organisation,
        summary=f"Recorded interaction volume for {volume.month:%B %Y}",
    )
    return volume


@dataclass
class ActionInput:
    description: str
    owner: object  # the named accountable senior owner
    due_on: datetime.date
    delivery_owner: object = None


@transaction.atomic
def record_review(
    *,
    actor,
    organisation: Organisation,
    period_start: datetime.date,
    period_end: datetime.date,
    held_on: datetime.date,
    attendees: str,
    discussion: str,
    decisions: list[str] = (),
    actions: list[ActionInput] = (),
) -> GovernanceReview:
    """Record a governance meeting with its decisions and its actions (each with a named accountable owner
    and a date)."""
    _require(actor, Cap.GOVERN, organisation)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "The date of the meeting must be today or in the past."})
    review = GovernanceReview(
        organisation=organisation,
        period_start=period_start,
        period_end=period_end,
        held_on=held_on,
        attendees=attendees.strip(),
        discussion=discussion.strip(),
        recorded_by=actor,
    )
    _clean(review, exclude=["recorded_by"])
    if period_end < period_start:
        raise ValidationError({"period_end": "The end of the period must be on or after its start."})
    review.save()
    for text in decisions:
        if text.strip():
            Decision.objects.create(review=review, text=text.strip())
    member_ids = set(
        Membership.objects.filter(organisation__path__startswith=organisation.path).values_list("user_id", flat=True)
    )
    for action in actions:
        if not action.description.strip():
            continue
        if action.owner is None or action.owner.pk not in member_ids:
            raise ValidationError({"actions": "Each action needs an accountable owner from the organisation."})
        # A review's actions are improvement actions: one learning ImprovementAction each, tracked (and counted)
        # with every other. Cap.GOVERN was checked above, so learning's own `learning.manage` check is not
        # repeated; the actor is still the one recorded in its status log and audit event.
        improvement = learning.create_action(
            actor=actor,
            organisation=organisation,
            description=action.description,
            senior_owner=action.owner,
            delivery_owner=action.delivery_owner,
            due_date=action.due_on,
            authorised_by_caller=True,
        )
        ReviewAction.objects.create(
            review=review,
            description=improvement.description,
            owner=action.owner,
            due_on=action.due_on,
            improvement_action=improvement,
        )
    audit.record(
        actor=actor,
        verb="recorded_review",
        obj=review,
        organisation=organisation,
        summary=f"Recorded a governance review: {review.decisions.count()} decision(s), "
        f"{review.actions.count()} action(s)",
    )
    return review


@transaction.atomic
def update_decision(*, actor, decision: Decision, status: str, note: str = "") -> Decision:
    decision = Decision.objects.select_for_update().select_related("review__organisation").get(pk=decision.pk)
    _require(actor, Cap.GOVERN, decision.review.organisation)
    if status not in DecisionStatus.values:
        raise ValidationError({"status": "Choose a status."})
    before = {"status": decision.status, "status_note": decision.status_note}
    decision.status, decision.status_note = status, note.strip()
    decision.status_changed_on = timezone.localdate()
    decision.save()
    audit.record(
        actor=actor,
        verb="updated_decision",
        obj=decision,
        organisation=decision.review.organisation,
        summary=f"Decision status: {decision.get_status_display()}",
        changes=audit.changed_fields(before, {"status": status, "status_note": decision.status_note}),
    )
    return decision


@transaction.atomic
def set_threshold(*, actor, department: Organisation, indicator: str, value) -> Threshold | None:
    """Set (or, with value None, remove) a department's threshold for its related organisations."""
    # Thresholds are the oversight view's: anyone who sees the department's subtree in aggregate and governs it.
    if actor is not None and not (
        has_capability(actor, Cap.VIEW_AGGREGATES, department.pk) and has_capability(actor, Cap.GOVERN, department.pk)
    ):
        raise PermissionDenied
    existing = Threshold.objects.select_for_update().filter(department=department, indicator=indicator).first()
    if value is None:
        if existing:
            existing.delete()
            audit.record(
                actor=actor,
                verb="removed_threshold",
                obj=department,
                organisation=department,
                summary=f"Removed threshold {indicator}",
            )
        return None
    threshold = existing or Threshold(department=department, indicator=indicator)
    threshold.value = value
    _clean(threshold, validate_unique=False)
    threshold.save()
    audit.record(
        actor=actor, verb="set_threshold", obj=threshold, organisation=department, summary=f"Set threshold {indicator}"
    )
    return threshold


# ---- the missed-review flag -------------------------------------------------------------------------


def _leaders(body: GovernanceBody) -> list:
    if body.accountable_leader and body.accountable_leader.email and body.accountable_leader.is_active:
        return [body.accountable_leader]
    memberships = Membership.objects.filter(
        organisation=body.organisation, role=Role.SENIOR_LEADER, user__is_active=True
    ).select_related("user")
    return [m.user for m in memberships if m.user.email]


def flag_missed_reviews(today: datetime.date | None = None) -> int:
    """E-mail the accountable senior leader of each organisation whose governance review is overdue.

    Once per missed due date (the idempotency key holds the date), so a daily sweep sends one reminder
    for each missed review, and a new one only after the next interval is missed too.
    """
    from candour.governance.selectors import review_rhythm
    from candour.notifications.models import Message
    from candour.notifications.services import queue_email

    today = today or timezone.localdate()
    bodies = GovernanceBody.objects.values_list("organisation_id", flat=True)
    queued = 0
    for organisation_id, state in review_rhythm(list(bodies), today).items():
        if not state["missed"]:
            continue
        body = state["body"]
        organisation = body.organisation
        for leader in _leaders(body):
            key = f"governance:{organisation_id}:missed:{state['next_due'].isoformat()}:{leader.pk}"
            if Message.objects.filter(idempotency_key=key).exists():
                continue
            with transaction.atomic():
                queue_email(
                    to=leader.email,
                    template="generic",
                    context={
                        "subject": f"Governance review missed: {organisation.name}",
                        "greeting": f"Dear {leader.get_full_name() or leader.username},",
                        "paragraphs": [
                            f"{body.name} reviews {organisation.name}'s complaint information "
                            f"{body.get_rhythm_display().lower()}. A review was due by "
                            f"{state['next_due']:%-d %B %Y} and none has been recorded.",
                            "The Complaint Standards expect senior leaders to review complaint information "
                            "regularly and to be accountable for acting on the learning.",
                        ],
                        "action_url": settings.CANDOUR_BASE_URL.rstrip("/")
                        + reverse("governance:reviews", args=[organisation.slug]),
                        "action_text": "Record or plan the review",
                    },
                    organisation=organisation,
                    obj=body,
                    idempotency_key=key,
                )
            queued += 1
    return queued
