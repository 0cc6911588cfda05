"""Every write to a complaint. Each function runs in one transaction and records an audit event.

Callers (public pages, staff pages, the API, the demo and the synthetic-data generator) use these and
never save complaint models themselves.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from candour.audit import services as audit
from candour.complaints import states
from candour.complaints.models import (
    Channel,
    ClockStop,
    Complaint,
    Extension,
    OmbudsmanReferral,
    PointOfComplaint,
    ReferenceCounter,
    Remedy,
    Response,
    ResponseStatus,
    StageTransition,
    Triage,
)
from candour.complaints.signals import complaint_transitioned
from candour.complaints.states import Status
from candour.core.calendar import WorkingCalendar
from candour.organisations.models import Organisation
from candour.organisations.selectors import calendar_for

ACCESS_LINK_DAYS = 90
# Fields that make up a complaint's search text.
SEARCH_FIELDS = ("reference", "complainant_name", "person_affected_name", "summary", "description", "outcome_sought")


class TransitionRefused(ValidationError):
    pass


def today() -> datetime.date:
    return timezone.localdate()


def _validate(obj, *, exclude=()) -> None:
    """Field validation (lengths, choices, formats) without full_clean's extra queries: foreign keys are
    set by the services themselves, and uniqueness and check constraints are enforced by the database."""
    fk_names = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    obj.clean_fields(exclude=[*fk_names, *exclude])
    obj.clean()


def _actor_label(actor) -> str:
    return actor.get_username() if actor is not None and getattr(actor, "is_authenticated", False) else "public"


def _user_or_none(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


# ---- references, search text, access links -----------------------------------------------------------


def next_reference(organisation: Organisation, year: int) -> str:
    """The next reference for an organisation and year: SLUG-YYYY-NNNNNN. Call inside a transaction."""
    # One statement in the usual case: increment and read back under the row lock it takes.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ReferenceCounter._meta.db_table} SET last = last + 1 "  # noqa: S608 - table name is ours
            "WHERE organisation_id = %s AND year = %s RETURNING last",
            [organisation.pk, year],
        )
        row = cursor.fetchone()
    if row is None:
        counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(organisation=organisation, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        number = counter.last
    else:
        number = row[0]
    return f"{organisation.slug.upper()}-{year}-{number:06d}"


def build_search_text(complaint: Complaint, point_summaries) -> str:
    parts = [str(getattr(complaint, field) or "") for field in SEARCH_FIELDS]
    parts += list(point_summaries)
    return "\n".join(p for p in parts if p)


def refresh_search_text(complaint: Complaint) -> None:
    complaint.search_text = build_search_text(complaint, complaint.points.values_list("summary", flat=True))
    Complaint.objects.filter(pk=complaint.pk).update(search_text=complaint.search_text)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_access_link(complaint: Complaint) -> str:
    """A new unguessable token for the complainant's progress page; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    complaint.access_token_hash = hash_token(token)
    complaint.access_token_expires_at = timezone.now() + datetime.timedelta(days=ACCESS_LINK_DAYS)
    Complaint.objects.filter(pk=complaint.pk).update(
        access_token_hash=complaint.access_token_hash, access_token_expires_at=complaint.access_token_expires_at
    )
    return token


# ---- intake ---------------------------------------------------------------------------------------


@dataclass
class PointInput:
    summary: str
    outcome_sought: str = ""


def create_complaint(
    *,
    actor,
    organisation: Organisation,
    channel: str,
    description: str,
    received_on: datetime.date | None = None,
    points: list[PointInput] | None = None,
    submission_key: str | None = None,
    calendar: WorkingCalendar | None = None,
    **fields,
) -> tuple[Complaint, bool]:
    """Record a complaint. Returns (complaint, created): a repeated submission_key returns the first one.

    Acknowledgement and stage 1 response dates are computed from the organisation's timescales in
    working days (its `calendar`, looked up when not given). Contacts from staff intake start untriaged; public
    and API complaints are complaints.
    """
    # No look-up before the insert: the unique submission_key decides. A repeat (or a racing twin) fails the
    # INSERT, the whole attempt rolls back (reference counter included) and the first complaint is returned.
    try:
        with transaction.atomic():
            complaint = _create(
                actor=actor,
                organisation=organisation,
                channel=channel,
                description=description,
                received_on=received_on,
                points=points or [],
                submission_key=submission_key,
                calendar=calendar,
                fields=fields,
            )
    except IntegrityError:
        if submission_key:
            existing = Complaint.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return existing, False
        raise
    return complaint, True


def _create(
    *, actor, organisation, channel, description, received_on, points, submission_key, calendar, fields
) -> Complaint:
    if not organisation.accepts_complaints:
        raise ValidationError({"organisation": "This organisation does not take complaints through Candour."})
    if channel not in Channel.values:
        raise ValidationError({"channel": "Choose how the complaint was received."})
    received_on = received_on or today()
    if received_on > today():
        raise ValidationError({"received_on": "The date received must be today or in the past."})
    if fields.get("is_anonymous") and not organisation.allows_anonymous_complaints:
        raise ValidationError({"is_anonymous": "This organisation cannot take anonymous complaints."})
    calendar = calendar or calendar_for(organisation)
    complaint = Complaint(
        organisation=organisation,
        channel=channel,
        description=description,
        received_on=received_on,
        submission_key=submission_key or None,
        reference=next_reference(organisation, received_on.year),
        acknowledgement_due=calendar.add_working_days(received_on, organisation.acknowledge_days),
        stage=1,
        stage1_started_on=received_on,
        stage1_due=calendar.add_working_days(received_on, organisation.stage1_response_days),
        **fields,
    )
    complaint.response_due = complaint.stage1_due
    if complaint.triage == Triage.PENDING and channel == Channel.ONLINE:
        complaint.triage = Triage.COMPLAINT
    if complaint.events_date and (received_on - complaint.events_date).days > 365:
        complaint.events_more_than_12_months_ago = True
    _validate(complaint, exclude=["search_text", "access_token_hash"])
    complaint.search_text = build_search_text(complaint, [point.summary for point in points])
    complaint.save()
    PointOfComplaint.objects.bulk_create(
        PointOfComplaint(complaint=complaint, number=number, summary=point.summary, outcome_sought=point.outcome_sought)
        for number, point in enumerate(points, start=1)
    )
    StageTransition.objects.create(
        complaint=complaint,
        transition="receive",
        from_status=Status.RECEIVED,
        to_status=Status.RECEIVED,
        actor=_user_or_none(actor),
        actor_label=_actor_label(actor),
        reason=f"Received by {Channel(channel).label.lower()}",  # the label, as get_channel_display()
    )
    audit.record(actor=actor, verb="created", obj=complaint, summary=f"Complaint {complaint.reference} received")
    return complaint


@transaction.atomic
def add_point(*, actor, complaint: Complaint, summary: str, outcome_sought: str = "") -> PointOfComplaint:
    if not summary.strip():
        raise ValidationError({"summary": "Describe the point of complaint."})
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    number = (complaint.points.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    point = PointOfComplaint.objects.create(
        complaint=complaint, number=number, summary=summary.strip(), outcome_sought=outcome_sought.strip()
    )
    refresh_search_text(complaint)
    audit.record(actor=actor, verb="added_point", obj=complaint, summary=f"Added point {number}")
    return point


@transaction.atomic
def update_point(*, actor, point: PointOfComplaint, **changes) -> PointOfComplaint:
    allowed = {"summary", "outcome_sought", "outcome", "should_have_happened", "what_happened", "finding"}
    if set(changes) - allowed:
        raise ValueError(f"Not a point field: {', '.join(sorted(set(changes) - allowed))}")
    before = {key: getattr(point, key) for key in changes}
    for key, value in changes.items():
        setattr(point, key, value)
    _validate(point)
    point.save()
    refresh_search_text(point.complaint)
    audit.record(
        actor=actor,
        verb="updated_point",
        obj=point.complaint,
        summary=f"Updated point {point.number}",
        changes=audit.changed_fields(before, changes),
    )
    return point


@transaction.atomic
def triage(
    *, actor, complaint: Complaint, decision: str, other_route: str = "", signposting: str = "", reason: str = ""
) -> Complaint:
    """Decide what a new contact is. Anything that is not a complaint is closed as not accepted, with the
    signposting recorded; a complaint that is not accepted needs a reason."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if decision not in (Triage.COMPLAINT, Triage.SERVICE_REQUEST, Triage.OTHER_ROUTE):
        raise ValidationError({"decision": "Choose what this contact is."})
    if decision == Triage.OTHER_ROUTE and not other_route:
        raise ValidationError({"other_route": "Choose the route this matter belongs to."})
    if decision != Triage.COMPLAINT and not signposting.strip():
        raise ValidationError({"signposting": "Record how the person was signposted or what was done instead."})
    complaint.triage = decision
    complaint.other_route = other_route if decision == Triage.OTHER_ROUTE else ""
    complaint.signposting = signposting.strip()
    complaint.save(update_fields=["triage", "other_route", "signposting"])
    audit.record(actor=actor, verb="triaged", obj=complaint, summary=f"Triaged as {complaint.get_triage_display()}")
    if decision != Triage.COMPLAINT:
        label = (
            complaint.get_triage_display()
            if decision == Triage.SERVICE_REQUEST
            else complaint.get_other_route_display()
        )
        transition(actor=actor, complaint=complaint, name="not_accept", reason=reason or f"Handled as: {label}")
        complaint.refresh_from_db()
    return complaint


@transaction.atomic
def update_details(*, actor, complaint: Complaint, **changes) -> Complaint:
    """Correct the complainant's details or what the complaint is about (rectification)."""
    editable = {
        "complainant_name", "complainant_email", "complainant_phone", "complainant_address", "preferred_contact",
        "reasonable_adjustments", "summary", "description", "outcome_sought", "events_date", "late_reason",
        "late_decision", "service_area", "team", "person_affected_name", "representative_relationship",
        "contact_opt_out", "mp_name",
    }  # fmt: skip
    if set(changes) - editable:
        raise ValueError(f"Not editable: {', '.join(sorted(set(changes) - editable))}")
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    before = {key: getattr(complaint, key) for key in changes}
    for key, value in changes.items():
        setattr(complaint, key, value)
    _validate(complaint, exclude=["search_text", "access_token_hash"])
    complaint.save(update_fields=list(changes))
    refresh_search_text(complaint)
    audit.record(
        actor=actor,
        verb="updated",
        obj=complaint,
        summary="Corrected complaint details",
        changes=audit.changed_fields(before, changes),
    )
    return complaint


# ---- the lifecycle --------------------------------------------------------------------------------


def transition(
    *, actor, complaint: Complaint, name: str, reason: str = "", declaration: Declaration | None = None, **context
) -> Complaint:
    """Move a complaint through the lifecycle, or raise TransitionRefused with the reason it may not.

    Escalating with an `investigator` is also their assignment: the ASSIGNMENT_CHECKS run for them, recording
    their `declaration` in the same transaction. As with `assign`, a refusal by those checks keeps what they
    recorded (with an `assignment_refused` audit event) before TransitionRefused is raised."""
    complaint, refused = _transition(
        actor=actor, complaint=complaint, name=name, reason=reason, declaration=declaration, **context
    )
    if refused is not None:
        raise refused
    return complaint


@transaction.atomic
def _transition(*, actor, complaint: Complaint, name: str, reason: str, declaration, **context):
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    spec = states.TRANSITIONS.get(name)
    if spec is None:
        raise TransitionRefused(f"Unknown transition {name!r}.")
    guard_context = {"reason": reason, "declaration": declaration, **context}
    problem = states.refusal(complaint, spec, guard_context, with_guards=False)
    if problem:
        raise TransitionRefused(problem)
    investigator = context.get("investigator")
    if name == "escalate" and investigator is not None:
        problem = states.stage2_handler_problem(complaint, guard_context)
        if problem:
            raise TransitionRefused(problem)
        # Naming the investigator is their assignment: independence, their declaration and training are checked.
        refused = _assignment_refusal(
            complaint=complaint, user=investigator, stage=2, actor=actor, declaration=declaration
        )
        if refused is not None:
            messages = refused.message_dict if hasattr(refused, "error_dict") else {"user": refused.messages}
            as_investigator = {
                ("investigator" if field in ("user", "__all__") else field): value for field, value in messages.items()
            }
            return complaint, TransitionRefused(as_investigator)
    problem = states.refusal(complaint, spec, guard_context)
    if problem:
        raise TransitionRefused(problem)
    on = context.get("on") or today()
    from_status = complaint.status
    target = spec.target or states.reopen_target(complaint)
    complaint.status = target
    calendar = calendar_for(complaint.organisation)

    if name == "acknowledge":
        complaint.acknowledged_on = on
    elif name == "start_early_resolution":
        if complaint.acknowledged_on is None:
            complaint.acknowledged_on = on
    elif name == "escalate":
        complaint.stage = 2
        complaint.escalated_to_stage2 = True
        complaint.stage2_handler = context.get("investigator") or complaint.stage2_handler
        complaint.stage2_started_on = on
        complaint.stage2_due = calendar.add_working_days(on, complaint.organisation.stage2_response_days)
        complaint.response_due = complaint.stage2_due
        if complaint.acknowledged_on is None:
            complaint.acknowledged_on = on
    elif name in ("resolve", "issue_final_response"):
        complaint.response_due = None
    elif name == "close":
        complaint.closed_on = on
        complaint.response_due = None
    elif name in ("withdraw", "not_accept"):
        complaint.closed_on = on
        complaint.closure_reason = reason
        complaint.response_due = None
        _end_running_clock_stop(complaint, on)
    elif name == "reopen":
        complaint.closed_on = None
        complaint.closure_reason = ""
        complaint.response_due = _current_due(complaint)
    _validate(complaint, exclude=["search_text", "access_token_hash"])
    complaint.save()
    StageTransition.objects.create(
        complaint=complaint,
        transition=name,
        from_status=from_status,
        to_status=target,
        actor=_user_or_none(actor),
        actor_label=_actor_label(actor),
        reason=reason,
    )
    audit.record(
        actor=actor,
        verb=f"transition:{name}",
        obj=complaint,
        summary=f"{states.Status(from_status).label} → {states.Status(target).label}",
    )
    complaint_transitioned.send(
        sender=Complaint, complaint=complaint, name=name, from_status=from_status, to_status=target, actor=actor
    )
    return complaint, None


def _current_due(complaint: Complaint) -> datetime.date | None:
    return complaint.stage2_due if complaint.stage == 2 else complaint.stage1_due


@dataclass(frozen=True)
class Declaration:
    """What a colleague declared about conflicts of interest when they were assigned to a case. Where a service
    takes `declaration=None`, the declaration already on record for the case is used (the investigations app
    refuses an investigator or reviewer who has none)."""

    has_conflict: bool
    details: str = ""


def assign(*, actor, complaint: Complaint, user, stage: int | None = None, declaration: Declaration | None = None):
    """Make `user` the handler (stage 1) or investigator (stage 2). The two must be different people.

    `declaration` is the colleague's declaration of interests, recorded by the ASSIGNMENT_CHECKS in the same
    transaction as the assignment. When a check refuses the assignment, what the checks recorded (the declaration,
    which a senior leader may then override) is kept with an `assignment_refused` audit event, and the refusal is
    raised as a ValidationError."""
    complaint, refused = _assign(actor=actor, complaint=complaint, user=user, stage=stage, declaration=declaration)
    if refused is not None:
        raise refused
    return complaint


@transaction.atomic
def _assign(*, actor, complaint: Complaint, user, stage: int | None, declaration: Declaration | None):
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    stage = stage or complaint.stage
    if stage == 2 and user is not None and user.pk == complaint.stage1_handler_id:
        raise ValidationError({"user": "The stage 2 investigator cannot be the colleague who handled stage 1."})
    if stage == 1 and user is not None and user.pk == complaint.stage2_handler_id:
        raise ValidationError({"user": "The stage 1 handler cannot also be the stage 2 investigator."})
    refused = _assignment_refusal(complaint=complaint, user=user, stage=stage, actor=actor, declaration=declaration)
    if refused is not None:
        return complaint, refused
    field = "stage2_handler" if stage == 2 else "stage1_handler"
    setattr(complaint, field, user)
    complaint.save(update_fields=[field])
    audit.record(
        actor=actor,
        verb="assigned",
        obj=complaint,
        summary=f"Stage {stage} {'investigator' if stage == 2 else 'handler'}: {user.get_username() if user else '-'}",
    )
    return complaint, None


def _assignment_refusal(*, complaint: Complaint, user, stage: int, actor, declaration) -> ValidationError | None:
    """Run the ASSIGNMENT_CHECKS (inside the caller's transaction). A refusal is returned, not raised, so that
    what the checks recorded before refusing is committed with an audit event saying the assignment was refused."""
    try:
        for check in ASSIGNMENT_CHECKS:
            check(complaint=complaint, user=user, stage=stage, actor=actor, declaration=declaration)
    except ValidationError as refused:
        audit.record(
            actor=actor,
            verb="assignment_refused",
            obj=complaint,
            summary=f"Stage {stage} {'investigator' if stage == 2 else 'handler'} not assigned: the checks refused",
        )
        return refused
    return None


# Other capabilities (investigations: independence, declarations of interest and conflicts; people: training
# gates) add checks `check(*, complaint, user, stage, actor, declaration)` that raise ValidationError to refuse an
# assignment. They also run for the investigator named when a complaint is escalated.
ASSIGNMENT_CHECKS: list = []


# ---- the clock: stops and extensions --------------------------------------------------------------


def _recompute_due(complaint: Complaint) -> None:
    """Due date for the current stage from its start, its timescale, stopped time and any extension."""
    organisation = complaint.organisation
    calendar = calendar_for(organisation)
    stage = complaint.stage
    started = complaint.stage2_started_on if stage == 2 else complaint.stage1_started_on
    days = organisation.stage2_response_days if stage == 2 else organisation.stage1_response_days
    stops = [(s.started_on, s.ended_on) for s in complaint.clock_stops.filter(stage=stage)]
    extension = complaint.extensions.filter(stage=stage).order_by("-created_at", "-id").first()
    due = calendar.due_date(started, days, stopped_periods=stops, extension_to=None, today=today())
    if extension is not None:
        # An agreed extension moves the date on; time stopped after it was agreed is still added back.
        later_stops = [(s, e) for s, e in stops if s >= extension.created_at.date()]
        due = calendar.due_date(extension.new_due, 0, stopped_periods=later_stops, today=today())
    if stage == 2:
        complaint.stage2_due = due
    else:
        complaint.stage1_due = due
    if complaint.status in states.AWAITING_RESPONSE:
        complaint.response_due = due


@transaction.atomic
def stop_clock(*, actor, complaint: Complaint, reason: str, on: datetime.date | None = None) -> ClockStop:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not complaint.is_open:
        raise ValidationError("The clock can only be stopped on an open complaint.")
    if complaint.clock_stopped:
        raise ValidationError("The clock is already stopped.")
    if not reason.strip():
        raise ValidationError({"reason": "Say what you are waiting for from the complainant."})
    stop = ClockStop.objects.create(
        complaint=complaint,
        stage=complaint.stage,
        started_on=on or today(),
        reason=reason.strip(),
        created_by=_user_or_none(actor),
    )
    complaint.clock_stopped = True
    complaint.save(update_fields=["clock_stopped"])
    audit.record(actor=actor, verb="stopped_clock", obj=complaint, summary="Clock stopped awaiting the complainant")
    return stop


def _end_running_clock_stop(complaint: Complaint, on: datetime.date) -> None:
    stop = complaint.clock_stops.filter(ended_on__isnull=True).first()
    if stop is not None:
        stop.ended_on = max(on, stop.started_on)
        stop.save(update_fields=["ended_on"])
        complaint.clock_stopped = False


@transaction.atomic
def restart_clock(*, actor, complaint: Complaint, on: datetime.date | None = None) -> Complaint:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not complaint.clock_stopped:
        raise ValidationError("The clock is not stopped.")
    _end_running_clock_stop(complaint, on or today())
    _recompute_due(complaint)
    complaint.save(update_fields=["clock_stopped", "stage1_due", "stage2_due", "response_due"])
    audit.record(actor=actor, verb="restarted_clock", obj=complaint, summary="Clock restarted; stopped days added")
    return complaint


@transaction.atomic
def extend(*, actor, complaint: Complaint, new_due: datetime.date, reason: str, complainant_agreed: bool) -> Extension:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status not in states.AWAITING_RESPONSE:
        raise ValidationError("Only a complaint awaiting a response can be extended.")
    current = _current_due(complaint)
    errors = {}
    if not reason.strip():
        errors["reason"] = "Give the reason for the extension."
    if current and new_due <= current:
        errors["new_due"] = f"The new date must be after the current due date ({current:%-d %B %Y})."
    if not calendar_for(complaint.organisation).is_working_day(new_due):
        errors.setdefault("new_due", "The new date must be a working day.")
    if errors:
        raise ValidationError(errors)
    extension = Extension.objects.create(
        complaint=complaint,
        stage=complaint.stage,
        previous_due=current,
        new_due=new_due,
        reason=reason.strip(),
        complainant_agreed=complainant_agreed,
        created_by=_user_or_none(actor),
    )
    if complaint.stage == 2:
        complaint.stage2_extended = True
    else:
        complaint.stage1_extended = True
    _recompute_due(complaint)
    complaint.save(update_fields=["stage1_due", "stage2_due", "response_due", "stage1_extended", "stage2_extended"])
    audit.record(actor=actor, verb="extended", obj=complaint, summary=f"Stage {complaint.stage} response date extended")
    for hook in EXTENSION_HOOKS:
        hook(complaint=complaint, extension=extension)
    return extension


# Called after an extension is recorded (notifications tell the complainant, mentioning the Ombudsman at stage 2).
EXTENSION_HOOKS: list = []


# ---- responses --------------------------------------------------------------------------------------

SEVEN_ELEMENTS = [
    ("understanding", "Show that you understood the complaint and the outcome the person wants"),
    ("what_was_investigated", "Say what was looked into"),
    ("how_it_was_investigated", "Say how it was looked into"),
    ("decision_reasoning", "Explain how the decision on fault was reached, citing the rule, policy or standard"),
    ("impact", "Show that you understand the impact of any failing"),
    ("what_will_happen", "Say what will happen as a result, including the learning"),
    ("next_steps", "Tell the person what they can do next, including their right to escalate"),
]


def escalation_rights_text(complaint: Complaint) -> str:
    """What the complainant can do next, in the complaint's language (it goes into the letter to them)."""
    with translation.override("cy" if complaint.language == "cy" else "en"):
        if complaint.stage == 1:
            return gettext(
                "If you are not happy with this response, you can ask for your complaint to be looked at again at "
                "stage 2, by someone who was not involved. Reply to this letter or use the link in our e-mails to "
                "you. If you are still unhappy after our final response, you can ask a Member of Parliament to refer "
                "your complaint to the Parliamentary and Health Service Ombudsman, normally within 12 months of "
                "becoming aware of the problem."
            )
        return gettext(
            "This is our final response. If you are not happy with it, you can ask a Member of Parliament to refer "
            "your complaint to the Parliamentary and Health Service Ombudsman. The Ombudsman normally expects to "
            "receive complaints within 12 months of you becoming aware of the problem. You can find out more at "
            "www.ombudsman.org.uk or by calling 0345 015 4033."
        )


@transaction.atomic
def save_response(*, actor, complaint: Complaint, **fields) -> Response:
    """Create or update the draft response for the current stage."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    response = complaint.responses.filter(stage=complaint.stage).exclude(status=ResponseStatus.ISSUED).first()
    created = response is None
    if created:
        response = Response(complaint=complaint, stage=complaint.stage, next_steps=escalation_rights_text(complaint))
    allowed = {name for name, _ in SEVEN_ELEMENTS} | {"apology", "outcome"}
    if set(fields) - allowed:
        raise ValueError(f"Not a response field: {', '.join(sorted(set(fields) - allowed))}")
    before = {key: getattr(response, key) for key in fields}
    for key, value in fields.items():
        setattr(response, key, value)
    if response.status == ResponseStatus.APPROVED and not created and any(before[k] != fields[k] for k in fields):
        response.status = ResponseStatus.DRAFT  # a changed letter needs approving again
    _validate(response)
    response.save()
    audit.record(
        actor=actor,
        verb="drafted_response" if created else "updated_response",
        obj=complaint,
        summary=f"Stage {response.stage} response",
        changes=audit.changed_fields(before, fields),
    )
    return response


# The statuses a draft moves between before it is issued (the quality review's requests and decisions).
REVIEW_STATUSES = frozenset({ResponseStatus.DRAFT, ResponseStatus.AWAITING_REVIEW, ResponseStatus.APPROVED})


@transaction.atomic
def set_response_review_status(*, actor, response: Response, status: str) -> Response:
    """Move a draft response between draft, awaiting review and approved (the investigations app's quality review
    calls this: the complaints app owns the response's state). Issuing is `issue_response`, never this."""
    if status not in REVIEW_STATUSES:
        raise ValueError(f"Not a review status: {status!r}")
    response = Response.objects.select_for_update().select_related("complaint__organisation").get(pk=response.pk)
    if response.status == ResponseStatus.ISSUED:
        raise ValidationError("This response has already been issued.")
    before = response.status
    if before == status:
        return response
    response.status = status
    response.save(update_fields=["status"])
    audit.record(
        actor=actor,
        verb="response_status_changed",
        obj=response.complaint,
        summary=f"Stage {response.stage} response: {ResponseStatus(before).label} → {ResponseStatus(status).label}",
        changes=audit.changed_fields({"status": before}, {"status": status}),
    )
    return response


def response_problems(response: Response) -> dict[str, str]:
    """What the letter still lacks before it can be issued (field -> message)."""
    problems = {name: message for name, message in SEVEN_ELEMENTS if not getattr(response, name).strip()}
    if not response.outcome:
        problems["outcome"] = "Choose the overall outcome"
    points = list(response.complaint.points.all())
    if not points:
        problems["points"] = "Record at least one point of complaint"
    elif any(not p.outcome for p in points):
        problems["points"] = "Give an outcome for every point of complaint"
    if "ombudsman" not in response.next_steps.lower() and response.stage == 2:
        problems["next_steps"] = "Tell the person they can go to the Ombudsman through an MP"
    if response.outcome in ("upheld", "partly_upheld") and not response.apology.strip():
        problems["apology"] = "Where things went wrong, apologise: say what went wrong, accept responsibility, explain"
    for check in RESPONSE_CHECKS:
        problems.update(check(response) or {})
    return problems


# Other capabilities add checks (investigations: quality review sign-off).
RESPONSE_CHECKS: list = []


@transaction.atomic
def add_remedy(
    *, actor, complaint: Complaint, type: str, description: str, amount=None, response: Response | None = None
) -> Remedy:
    remedy = Remedy(complaint=complaint, response=response, type=type, description=description.strip(), amount=amount)
    if type == "financial" and not amount:
        raise ValidationError({"amount": "Enter the amount of financial redress."})
    _validate(remedy)
    remedy.save()
    audit.record(actor=actor, verb="added_remedy", obj=complaint, summary=f"Remedy: {remedy.get_type_display()}")
    return remedy


@transaction.atomic
def issue_response(
    *, actor, response: Response, delivery_method: str, letter_html: str, on: datetime.date | None = None
) -> Response:
    """Issue the response: refuse unless complete; freeze the letter; record the stage's outcome and timing."""
    response = Response.objects.select_for_update().select_related("complaint__organisation").get(pk=response.pk)
    if response.status == ResponseStatus.ISSUED:
        raise ValidationError("This response has already been issued.")
    problems = response_problems(response)
    if problems:
        raise ValidationError(problems)
    if delivery_method not in ("email", "post"):
        raise ValidationError({"delivery_method": "Choose how the response was sent."})
    for check in DELIVERY_CHECKS:
        problem = check(complaint=response.complaint, delivery_method=delivery_method)
        if problem:
            raise ValidationError({"delivery_method": problem})
    on = on or today()
    complaint = response.complaint
    name = "issue_final_response" if complaint.stage == 2 else "resolve"
    transition(actor=actor, complaint=complaint, name=name, via_response=True, on=on)
    complaint.refresh_from_db()
    calendar = calendar_for(complaint.organisation)
    if complaint.stage == 2:
        complaint.stage2_responded_on = on
        complaint.stage2_working_days = calendar.working_days_between(complaint.stage2_started_on, on)
    else:
        complaint.stage1_responded_on = on
        complaint.stage1_working_days = calendar.working_days_between(complaint.stage1_started_on, on)
    complaint.outcome = response.outcome
    complaint.save()
    response.status = ResponseStatus.ISSUED
    response.issued_on = on
    response.issued_by = _user_or_none(actor)
    response.delivery_method = delivery_method
    response.letter_html = letter_html
    response.save()
    audit.record(actor=actor, verb="issued_response", obj=complaint, summary=f"Stage {response.stage} response issued")
    for hook in RESPONSE_HOOKS:
        hook(complaint=complaint, response=response)
    return response


# Checks on how a response is sent, returning a reason to refuse (investigations: the complainant's letter
# adjustments decide whether letters go by post, e-mail or both).
DELIVERY_CHECKS: list = []

# Called after a response is issued (notifications send the letter by e-mail).
RESPONSE_HOOKS: list = []


# ---- the Ombudsman ---------------------------------------------------------------------------------


@transaction.atomic
def record_ombudsman_referral(*, actor, complaint: Complaint, **fields) -> OmbudsmanReferral:
    if complaint.status not in (Status.RESPONSE_ISSUED, Status.CLOSED, Status.RESOLVED):
        raise ValidationError("An Ombudsman referral is recorded after a response has been issued.")
    referral = OmbudsmanReferral.objects.filter(complaint=complaint).first() or OmbudsmanReferral(complaint=complaint)
    before = {key: getattr(referral, key, None) for key in fields}
    for key, value in fields.items():
        setattr(referral, key, value)
    _validate(referral)
    referral.save()
    audit.record(
        actor=actor,
        verb="recorded_ombudsman",
        obj=complaint,
        summary="Ombudsman referral recorded",
        changes=audit.changed_fields(before, fields),
    )
    return referral
