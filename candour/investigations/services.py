"""Every write for investigations. Each function runs in one transaction and records an audit event
(field names only, never what was written: it may be personal data)."""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from candour.audit import services as audit
from candour.complaints import services as complaint_services
from candour.complaints.models import Complaint, PointOfComplaint, Remedy, Response, ResponseStatus
from candour.complaints.services import Declaration
from candour.investigations.models import (
    CHECKLIST,
    BandedRemedy,
    BehaviourIncident,
    CaseRole,
    ColleagueStatement,
    ColleagueSupport,
    ComplaintPartner,
    ConflictDeclaration,
    ContactRestriction,
    EvidenceItem,
    InitialView,
    InitialViewReply,
    InvestigationPlan,
    InvestigationSettings,
    InvolvedColleague,
    LetterAdjustments,
    PartnerStatus,
    PlanUpdate,
    QualityReview,
    RedressBand,
    RemedyExtension,
    RestrictionStatus,
    ReviewDecision,
    SignOff,
    SupportKind,
)
from candour.organisations.roles import Cap
from candour.permissions import has_capability

logger = logging.getLogger(__name__)

REVIEW_REMINDER_DAYS = 7  # remind the approver this many days before a restriction's review date
MAX_RESTRICTION_DAYS = 183  # a restriction is reviewed at least every six months


def today() -> datetime.date:
    return timezone.localdate()


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "nobody"


def _required(errors: dict, **values) -> None:
    for field, (value, message) in values.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[field] = message


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# ---- settings -----------------------------------------------------------------------------------------------


def settings_for(organisation) -> InvestigationSettings:
    found = InvestigationSettings.objects.filter(organisation=organisation).first()
    return found or InvestigationSettings(organisation=organisation)


@transaction.atomic
def update_settings(*, actor, organisation, sign_off: str, sign_off_above=None) -> InvestigationSettings:
    if sign_off not in SignOff.values:
        raise ValidationError({"sign_off": "Choose which responses need a quality review sign-off."})
    if sign_off == SignOff.REDRESS_ABOVE and sign_off_above is None:
        raise ValidationError({"sign_off_above": "Enter the amount of redress above which a sign-off is needed."})
    current = settings_for(organisation)
    before = {"sign_off": current.sign_off, "sign_off_above": current.sign_off_above}
    current.sign_off = sign_off
    current.sign_off_above = sign_off_above if sign_off == SignOff.REDRESS_ABOVE else None
    current.save()
    after = {"sign_off": current.sign_off, "sign_off_above": current.sign_off_above}
    audit.record(
        actor=actor,
        verb="investigation_settings_changed",
        obj=current,
        organisation=organisation,
        summary="Changed which responses need a quality review",
        changes=audit.changed_fields(before, after),
    )
    return current


# ---- independence --------------------------------------------------------------------------------------------


@transaction.atomic
def record_involved_colleague(
    *, actor, complaint: Complaint, user, involvement: str, complained_about: bool = False
) -> InvolvedColleague:
    errors = {}
    _required(
        errors,
        user=(user, "Choose the colleague who was involved"),
        involvement=(involvement, "Say how they were involved in the events"),
    )
    if user is not None and InvolvedColleague.objects.filter(complaint=complaint, user=user).exists():
        errors["user"] = f"{_name(user)} is already recorded as involved."
    _raise(errors)
    involved = InvolvedColleague.objects.create(
        complaint=complaint,
        user=user,
        involvement=involvement.strip(),
        complained_about=complained_about,
        recorded_by=_user(actor),
    )
    audit.record(
        actor=actor,
        verb="recorded_involved_colleague",
        obj=complaint,
        summary="Recorded a colleague involved in the events" + (" (complained about)" if complained_about else ""),
    )
    return involved


@transaction.atomic
def record_colleague_told(*, actor, involved: InvolvedColleague, told_on: datetime.date, support_offered: str):
    """A colleague complained about has been told about the complaint and offered support."""
    errors = {}
    _required(
        errors,
        told_on=(told_on, "Enter the date they were told"),
        support_offered=(support_offered, "Say what support was offered"),
    )
    if told_on and told_on > today():
        errors["told_on"] = "The date they were told must be today or in the past."
    _raise(errors)
    involved.told_on = told_on
    involved.support_offered = support_offered.strip()
    involved.save(update_fields=["told_on", "support_offered"])
    ColleagueSupport.objects.create(
        complaint=involved.complaint,
        user=involved.user,
        kind=SupportKind.SUPPORT_OFFERED,
        on=told_on,
        notes=support_offered.strip(),
        recorded_by=_user(actor),
    )
    audit.record(
        actor=actor, verb="told_colleague", obj=involved.complaint, summary="Colleague told and offered support"
    )
    return involved


@transaction.atomic
def add_statement(*, actor, involved: InvolvedColleague, kind: str, text: str, given_on: datetime.date):
    errors = {}
    _required(
        errors,
        text=(text, "Enter what the colleague said"),
        given_on=(given_on, "Enter the date it was given"),
        kind=(kind, "Choose whether this is their account or a response"),
    )
    _raise(errors)
    statement = ColleagueStatement.objects.create(
        involved=involved, kind=kind, text=text.strip(), given_on=given_on, recorded_by=_user(actor)
    )
    audit.record(
        actor=actor,
        verb="recorded_colleague_statement",
        obj=involved.complaint,
        summary=f"Colleague statement: {statement.get_kind_display().lower()}",
    )
    return statement


@transaction.atomic
def declare_conflict(
    *, actor, complaint: Complaint, user, role: str, has_conflict: bool, details: str = ""
) -> ConflictDeclaration:
    """Record (or replace) a colleague's declaration for a role on the case. A new declaration clears any
    earlier override: the override was about what was declared then."""
    if role not in CaseRole.values:
        raise ValueError(role)
    if has_conflict is None:
        raise ValidationError({"has_conflict": "Say whether there is a conflict of interest"})
    if has_conflict and not (details or "").strip():
        raise ValidationError({"details": "Describe the conflict of interest"})
    declaration, _created = ConflictDeclaration.objects.update_or_create(
        complaint=complaint,
        user=user,
        role=role,
        defaults={
            "has_conflict": has_conflict,
            "details": (details or "").strip() if has_conflict else "",
            "overridden_by": None,
            "override_reason": "",
            "overridden_at": None,
        },
    )
    audit.record(
        actor=actor,
        verb="declared_conflict",
        obj=complaint,
        summary=f"{CaseRole(role).label}: " + ("conflict declared" if has_conflict else "no conflict declared"),
    )
    return declaration


@transaction.atomic
def override_conflict(*, actor, declaration: ConflictDeclaration, reason: str) -> ConflictDeclaration:
    """A senior leader lets a colleague with a declared conflict take the role, giving the reason."""
    complaint = declaration.complaint
    if not has_capability(actor, Cap.GOVERN, complaint.organisation_id):
        raise ValidationError("Only a senior leader accountable for complaints can override a conflict of interest.")
    if not declaration.has_conflict:
        raise ValidationError("There is no declared conflict to override.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Give the reason the colleague may still take this role"})
    if actor.pk == declaration.user_id:
        raise ValidationError("You cannot override your own conflict of interest.")
    declaration.overridden_by = actor
    declaration.override_reason = reason.strip()
    declaration.overridden_at = timezone.now()
    declaration.save(update_fields=["overridden_by", "override_reason", "overridden_at"])
    audit.record(
        actor=actor,
        verb="overrode_conflict",
        obj=complaint,
        summary=f"Conflict of interest overridden for the {declaration.get_role_display().lower()}",
    )
    return declaration


# Where a colleague who has not declared is sent (the message names it because the assigning page may not ask).
WHERE_TO_DECLARE = (
    "Record their declaration when you assign them (answer the conflict of interest question), or on the "
    "complaint's investigation page: Independence, “Declare any conflict of interest”."
)


def independence_problem(complaint: Complaint, user, role: str, *, pending: Declaration | None = None) -> str | None:
    """Why `user` may not take `role` on the case: involved in the events, no declaration of interests (an
    investigator or reviewer must have declared), or a declared conflict no senior leader has overridden.
    `pending` is a declaration about to be recorded, judged instead of the one on record."""
    if user is None:
        return None
    if role != CaseRole.HANDLER and InvolvedColleague.objects.filter(complaint=complaint, user=user).exists():
        what = "investigate" if role == CaseRole.INVESTIGATOR else "review the response to"
        return f"{_name(user)} was involved in the events complained about, so cannot {what} this complaint."
    if pending is not None:
        blocks, declared = pending.has_conflict, True
    else:
        declaration = ConflictDeclaration.objects.filter(complaint=complaint, user=user, role=role).first()
        blocks, declared = declaration is not None and declaration.blocks, declaration is not None
    if blocks:
        return (
            f"{_name(user)} has declared a conflict of interest. A senior leader must override it, with a reason, "
            "before they can take this role."
        )
    if not declared and role != CaseRole.HANDLER:
        return (
            f"{_name(user)} has not declared whether they have a conflict of interest as the "
            f"{CaseRole(role).label.lower()} of this complaint. {WHERE_TO_DECLARE}"
        )
    return None


def _training_gate(complaint: Complaint, user):
    """The people app's training gate for investigators, if that app is installed."""
    try:
        from candour.people.services import check_investigator_training
    except ImportError:
        return None
    return check_investigator_training(organisation=complaint.organisation, user=user, on_date=today())


def assignment_check(*, complaint: Complaint, user, stage: int, actor, declaration: Declaration | None = None) -> None:
    """ASSIGNMENT_CHECKS: record the colleague's declaration if one was given (in the assignment's transaction),
    then refuse an investigator who was involved, has not declared, or has an un-overridden conflict; at stage 1,
    involvement is recorded as a warning (the Standards: "where possible") and a declaration is not required."""
    if user is None:
        return
    role = CaseRole.INVESTIGATOR if stage == 2 else CaseRole.HANDLER
    if declaration is not None:
        declare_conflict(
            actor=actor,
            complaint=complaint,
            user=user,
            role=role,
            has_conflict=declaration.has_conflict,
            details=declaration.details,
        )
    problem = independence_problem(complaint, user, role)
    if problem:
        raise ValidationError({"user": problem})
    if stage == 1 and InvolvedColleague.objects.filter(complaint=complaint, user=user).exists():
        audit.record(
            actor=actor,
            verb="independence_warning",
            obj=complaint,
            summary="Stage 1 handler was involved in the events (allowed at stage 1; noted)",
        )
    if stage == 2:
        gate = _training_gate(complaint, user)
        if gate is not None and not gate.allowed:
            raise ValidationError({"user": gate.warning or f"{_name(user)} has not completed investigator training."})


def escalation_guard(complaint: Complaint, context: dict) -> str | None:
    """Guard on `escalate`: the investigator named when escalating must be independent and have declared (the
    declaration given with the escalation, if any, is judged; the assignment checks record it)."""
    investigator = context.get("investigator")
    if investigator is None:
        return None
    return independence_problem(complaint, investigator, CaseRole.INVESTIGATOR, pending=context.get("declaration"))


def assign_investigator(
    *, actor, complaint: Complaint, user, has_conflict: bool | None, details: str = ""
) -> Complaint:
    """Declare and assign in one transaction: the investigator's declaration is recorded (and kept, with the
    refusal, when the assignment is then refused), then the assignment is checked: a declared conflict refuses
    it until a senior leader overrides. `has_conflict=None` uses the declaration already on record."""
    declaration = None if has_conflict is None else Declaration(has_conflict=has_conflict, details=details or "")
    return complaint_services.assign(actor=actor, complaint=complaint, user=user, stage=2, declaration=declaration)


# ---- the plan ---------------------------------------------------------------------------------------------------

PLAN_FIELDS = (
    "key_issues",
    "outcome_sought",
    "confirmed_with_complainant_on",
    "approach",
    "information_needed",
    "people_to_speak_to",
    "final_response_by",
    "target_date",
    "update_every_days",
    "is_complex",
)


@transaction.atomic
def save_plan(*, actor, complaint: Complaint, **fields) -> InvestigationPlan:
    if set(fields) - set(PLAN_FIELDS):
        raise ValueError(f"Not a plan field: {', '.join(sorted(set(fields) - set(PLAN_FIELDS)))}")
    plan = InvestigationPlan.objects.filter(complaint=complaint).first()
    created = plan is None
    if created:
        plan = InvestigationPlan(complaint=complaint, created_by=_user(actor), next_update_due=today())
    before = {key: getattr(plan, key) for key in fields}
    for key, value in fields.items():
        setattr(plan, key, value.strip() if isinstance(value, str) else value)
    errors = {}
    _required(
        errors,
        key_issues=(plan.key_issues, "Enter the key issues"),
        outcome_sought=(plan.outcome_sought, "Enter the outcome the complainant wants"),
        approach=(plan.approach, "Say how each issue will be looked into"),
        final_response_by=(plan.final_response_by, "Say who will give the final response"),
        target_date=(plan.target_date, "Enter the timescale agreed with the complainant"),
        update_every_days=(plan.update_every_days, "Enter how often the parties will be updated"),
    )
    if plan.update_every_days is not None and plan.update_every_days < 1:
        errors["update_every_days"] = "Update the parties at least every 1 day or more"
    _raise(errors)
    if created or before.get("update_every_days") != plan.update_every_days:
        last = complaint.plan_updates.order_by("-given_on").values_list("given_on", flat=True).first()
        plan.next_update_due = (last or today()) + datetime.timedelta(days=plan.update_every_days)
    plan.full_clean(exclude=["complaint", "created_by", "letter_html", "shared_on"])
    plan.save()
    audit.record(
        actor=actor,
        verb="created_plan" if created else "updated_plan",
        obj=complaint,
        summary="Investigation plan " + ("written" if created else "changed"),
        changes=audit.changed_fields(before, fields),
    )
    return plan


def update_is_due(plan: InvestigationPlan | None, on: datetime.date) -> bool:
    return plan is not None and plan.next_update_due <= on


@transaction.atomic
def share_plan(*, actor, complaint: Complaint, on: datetime.date | None = None) -> InvestigationPlan:
    """Freeze the plan letter (in the complaint's language) and send it as the complainant asked."""
    from candour.investigations import letters

    plan = InvestigationPlan.objects.select_for_update().filter(complaint=complaint).first()
    if plan is None:
        raise ValidationError("Write the investigation plan before sharing it.")
    if plan.confirmed_with_complainant_on is None:
        raise ValidationError(
            {"confirmed_with_complainant_on": "Confirm the key issues and outcome with the complainant first"}
        )
    plan.shared_on = on or today()
    plan.letter_html = letters.render_plan_letter(complaint, plan, on=plan.shared_on)
    plan.save(update_fields=["shared_on", "letter_html"])
    audit.record(
        actor=actor, verb="shared_plan", obj=complaint, summary="Investigation plan shared with the complainant"
    )
    letters.send_letter(
        complaint,
        plan.letter_html,
        subject_key="plan",
        idempotency_key=f"investigation:plan:{plan.pk}:{plan.shared_on}",
    )
    return plan


@transaction.atomic
def log_update(*, actor, complaint: Complaint, given_on: datetime.date, given_to: str, summary: str) -> PlanUpdate:
    plan = InvestigationPlan.objects.select_for_update().filter(complaint=complaint).first()
    errors = {}
    if plan is None:
        raise ValidationError("Write the investigation plan first: it sets how often the parties are updated.")
    _required(
        errors,
        given_on=(given_on, "Enter the date of the update"),
        given_to=(given_to, "Say who was updated"),
        summary=(summary, "Summarise the update"),
    )
    if given_on and given_on > today():
        errors["given_on"] = "The date of the update must be today or in the past"
    _raise(errors)
    update = PlanUpdate.objects.create(
        complaint=complaint,
        given_on=given_on,
        given_to=given_to.strip(),
        summary=summary.strip(),
        recorded_by=_user(actor),
    )
    plan.next_update_due = max(plan.next_update_due, given_on + datetime.timedelta(days=plan.update_every_days))
    plan.save(update_fields=["next_update_due"])
    audit.record(actor=actor, verb="logged_update", obj=complaint, summary="Update given to the parties")
    return update


# ---- evidence and findings ----------------------------------------------------------------------------------


def _store_upload(actor, complaint, uploaded_file):
    try:
        from candour.complaints.uploads import store_attachment
    except ImportError:
        raise ValidationError({"file": "Files cannot be uploaded yet. Describe the document instead."}) from None
    return store_attachment(actor=actor, complaint=complaint, uploaded_file=uploaded_file, from_complainant=False)


@transaction.atomic
def add_evidence(
    *,
    actor,
    complaint: Complaint,
    kind: str,
    title: str,
    notes: str = "",
    rule_reference: str = "",
    point: PointOfComplaint | None = None,
    uploaded_file=None,
) -> EvidenceItem:
    errors = {}
    _required(errors, kind=(kind, "Choose what kind of evidence this is"), title=(title, "Give the evidence a title"))
    if kind == "rule" and not (rule_reference or "").strip():
        errors["rule_reference"] = "Cite the legislation, policy or standard, and the section relied on"
    if kind == "interview" and not (notes or "").strip():
        errors["notes"] = "Enter the interview notes"
    if point is not None and point.complaint_id != complaint.pk:
        errors["point"] = "Choose a point of this complaint"
    _raise(errors)
    attachment = None
    if uploaded_file is not None:
        try:
            attachment = _store_upload(actor, complaint, uploaded_file)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
    item = EvidenceItem.objects.create(
        complaint=complaint,
        kind=kind,
        title=title.strip(),
        notes=(notes or "").strip(),
        rule_reference=(rule_reference or "").strip(),
        point=point,
        attachment=attachment,
        recorded_by=_user(actor),
    )
    audit.record(actor=actor, verb="added_evidence", obj=complaint, summary=f"Evidence: {item.get_kind_display()}")
    return item


@transaction.atomic
def record_finding(
    *, actor, point: PointOfComplaint, should_have_happened: str, what_happened: str, finding: str, outcome: str
) -> PointOfComplaint:
    """A point's finding compares what should have happened (citing the rule) with what did happen."""
    errors = {}
    _required(
        errors,
        should_have_happened=(should_have_happened, "Say what should have happened, citing the rule relied on"),
        what_happened=(what_happened, "Say what did happen"),
        finding=(finding, "Enter the finding"),
        outcome=(outcome, "Choose the outcome for this point"),
    )
    _raise(errors)
    return complaint_services.update_point(
        actor=actor,
        point=point,
        should_have_happened=should_have_happened.strip(),
        what_happened=what_happened.strip(),
        finding=finding.strip(),
        outcome=outcome,
    )


# ---- initial views --------------------------------------------------------------------------------------------


@transaction.atomic
def share_initial_view(
    *, actor, complaint: Complaint, text: str, shared_with: str, shared_on: datetime.date, reply_by: datetime.date
) -> InitialView:
    errors = {}
    _required(
        errors,
        text=(text, "Enter the initial view"),
        shared_with=(shared_with, "Say who it was shared with"),
        shared_on=(shared_on, "Enter the date it was shared"),
        reply_by=(reply_by, "Enter the reply-by date"),
    )
    if shared_on and reply_by and reply_by < shared_on:
        errors["reply_by"] = "The reply-by date must be on or after the date it was shared"
    _raise(errors)
    view = InitialView.objects.create(
        complaint=complaint,
        text=text.strip(),
        shared_with=shared_with.strip(),
        shared_on=shared_on,
        reply_by=reply_by,
        recorded_by=_user(actor),
    )
    audit.record(actor=actor, verb="shared_initial_view", obj=complaint, summary="Initial view shared with the parties")
    return view


@transaction.atomic
def record_reply(
    *, actor, view: InitialView, party: str, from_complainant: bool, text: str, received_on: datetime.date
) -> InitialViewReply:
    errors = {}
    _required(
        errors,
        party=(party, "Say who replied"),
        text=(text, "Enter the reply"),
        received_on=(received_on, "Enter the date the reply was received"),
    )
    _raise(errors)
    reply = InitialViewReply.objects.create(
        view=view,
        party=party.strip(),
        from_complainant=from_complainant,
        text=text.strip(),
        received_on=received_on,
        recorded_by=_user(actor),
    )
    audit.record(actor=actor, verb="recorded_initial_view_reply", obj=view.complaint, summary="Reply to initial view")
    return reply


# ---- quality review -------------------------------------------------------------------------------------------

CHECKLIST_NAMES = [name for name, _label in CHECKLIST]
HASHED_RESPONSE_FIELDS = [name for name, _ in complaint_services.SEVEN_ELEMENTS] + ["apology", "outcome"]


def response_hash(response: Response) -> str:
    """A fingerprint of everything the reviewer approved: the letter's fields and the remedies it offers."""
    remedies = Remedy.objects.filter(complaint_id=response.complaint_id).filter(
        Q(response__isnull=True) | Q(response_id=response.pk)
    )
    content = {
        "fields": {name: getattr(response, name) for name in HASHED_RESPONSE_FIELDS},
        "remedies": [[r.type, r.description, str(r.amount or "")] for r in remedies.order_by("id")],
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def sign_off_required(response: Response) -> bool:
    config = settings_for(response.complaint.organisation)
    if config.sign_off == SignOff.ALL:
        return True
    if config.sign_off == SignOff.INVESTIGATIONS:
        return response.stage == 2
    if config.sign_off == SignOff.REDRESS_ABOVE:
        remedies = Remedy.objects.filter(complaint_id=response.complaint_id, amount__isnull=False).filter(
            Q(response__isnull=True) | Q(response_id=response.pk)
        )
        return any(r.amount > (config.sign_off_above or Decimal(0)) for r in remedies)
    return False


def current_approval(response: Response) -> QualityReview | None:
    if response.pk is None:
        return None
    latest = response.quality_reviews.order_by("-requested_at", "-id").first()
    if (
        latest is not None
        and latest.decision == ReviewDecision.APPROVED
        and latest.content_hash == response_hash(response)
    ):
        return latest
    return None


def _case_handler_id(complaint: Complaint, stage: int):
    return complaint.stage2_handler_id if stage == 2 else complaint.stage1_handler_id


def request_review(*, actor, response: Response, reviewer, declaration: Declaration | None = None) -> QualityReview:
    """Ask `reviewer` to review the draft. Their `declaration` of interests is recorded in the same transaction
    (`None` uses the one on record; a reviewer who has not declared is refused). When the reviewer's
    independence refuses the request, their declaration is kept (a senior leader may override a conflict) with a
    `review_request_refused` audit event, and the refusal is raised."""
    review, refused = _request_review(actor=actor, response=response, reviewer=reviewer, declaration=declaration)
    if refused is not None:
        raise refused
    return review


@transaction.atomic
def _request_review(*, actor, response: Response, reviewer, declaration: Declaration | None):
    response = Response.objects.select_for_update().select_related("complaint__organisation").get(pk=response.pk)
    complaint = response.complaint
    if response.status == ResponseStatus.ISSUED:
        raise ValidationError("This response has already been issued.")
    if reviewer is None:
        raise ValidationError({"reviewer": "Choose a reviewer"})
    if reviewer.pk == _case_handler_id(complaint, response.stage):
        raise ValidationError({"reviewer": "The reviewer must be someone other than the colleague who investigated."})
    if not has_capability(reviewer, Cap.MANAGE_CASES, complaint.organisation_id):
        raise ValidationError({"reviewer": f"{_name(reviewer)} cannot sign off responses for this organisation."})
    if declaration is not None:
        declare_conflict(
            actor=actor,
            complaint=complaint,
            user=reviewer,
            role=CaseRole.REVIEWER,
            has_conflict=declaration.has_conflict,
            details=declaration.details,
        )
    problem = independence_problem(complaint, reviewer, CaseRole.REVIEWER)
    if problem:
        audit.record(
            actor=actor,
            verb="review_request_refused",
            obj=complaint,
            summary="Quality review not requested: the reviewer's independence checks refused",
        )
        return None, ValidationError({"reviewer": problem})
    response.quality_reviews.filter(decision=ReviewDecision.PENDING).update(
        decision=ReviewDecision.RETURNED, comments="Replaced by a new request for review.", decided_at=timezone.now()
    )
    review = QualityReview.objects.create(
        response=response, reviewer=reviewer, requested_by=_user(actor), content_hash=response_hash(response)
    )
    complaint_services.set_response_review_status(actor=actor, response=response, status=ResponseStatus.AWAITING_REVIEW)
    audit.record(actor=actor, verb="requested_quality_review", obj=complaint, summary="Quality review requested")
    return review, None


@transaction.atomic
def decide_review(*, actor, review: QualityReview, decision: str, checklist: dict, comments: str = "") -> QualityReview:
    review = QualityReview.objects.select_for_update().select_related("response__complaint").get(pk=review.pk)
    response = review.response
    complaint = response.complaint
    if review.decision != ReviewDecision.PENDING:
        raise ValidationError("This review has already been decided.")
    if actor is None or actor.pk != review.reviewer_id:
        raise ValidationError("Only the reviewer asked can decide this review.")
    if actor.pk == _case_handler_id(complaint, response.stage):
        raise ValidationError("You investigated this complaint, so you cannot review your own response.")
    problem = independence_problem(complaint, actor, CaseRole.REVIEWER)
    if problem:
        raise ValidationError(problem)
    if response.status == ResponseStatus.ISSUED:
        raise ValidationError("This response has already been issued.")
    names = [name for name, _label in CHECKLIST]
    for name in names:
        setattr(review, name, bool(checklist.get(name)))
    if decision == ReviewDecision.APPROVED:
        missing = [str(label) for name, label in CHECKLIST if not checklist.get(name)]
        if missing:
            raise ValidationError(
                {"checklist": "Before approving, confirm every check. Not confirmed: " + "; ".join(missing)}
            )
        review.content_hash = response_hash(response)
        new_status = ResponseStatus.APPROVED
    elif decision == ReviewDecision.RETURNED:
        if not (comments or "").strip():
            raise ValidationError({"comments": "Say what needs to change before it can be approved"})
        new_status = ResponseStatus.DRAFT
    else:
        raise ValidationError({"decision": "Choose whether to approve or return the response"})
    review.decision = decision
    review.comments = (comments or "").strip()
    review.decided_at = timezone.now()
    review.save()
    complaint_services.set_response_review_status(actor=actor, response=response, status=new_status)
    audit.record(
        actor=actor,
        verb="approved_response" if decision == ReviewDecision.APPROVED else "returned_response",
        obj=complaint,
        summary="Quality review: " + ("approved" if decision == ReviewDecision.APPROVED else "returned with comments"),
    )
    return review


def response_checks(response: Response) -> dict[str, str]:
    """RESPONSE_CHECKS: quality review sign-off, initial views in complex cases, partners' parts."""
    problems: dict[str, str] = {}
    if response.pk is None:
        return problems
    if sign_off_required(response) and current_approval(response) is None:
        latest = response.quality_reviews.order_by("-requested_at", "-id").first()
        if latest is None:
            problems["quality_review"] = "Ask a colleague who did not investigate to review and approve the response"
        elif latest.decision == ReviewDecision.PENDING:
            problems["quality_review"] = "The response is waiting for its quality review"
        elif latest.decision == ReviewDecision.RETURNED:
            problems["quality_review"] = "The reviewer returned the response: make the changes and ask again"
        else:
            problems["quality_review"] = "The response changed after it was approved: ask for it to be reviewed again"
    complaint = response.complaint
    if response.stage == 2:
        plan = InvestigationPlan.objects.filter(complaint=complaint).first()
        views = list(complaint.initial_views.prefetch_related("replies"))
        if plan is not None and plan.is_complex and not views:
            problems["initial_view"] = "This is a complex case: share initial views with the parties first"
        on = today()
        for view in views:
            if view.reply_by >= on and not any(r.from_complainant for r in view.replies.all()):
                problems["initial_view"] = (
                    f"Wait for replies to the initial view (reply by {view.reply_by:%-d %B %Y}) or record them"
                )
    waiting = complaint.partners.exclude(status=PartnerStatus.CONTRIBUTED).select_related("organisation")
    names = [p.organisation.name for p in waiting]
    if names:
        problems["partners"] = "Waiting for the part from: " + ", ".join(names)
    return problems


# ---- consistent remedies ----------------------------------------------------------------------------------------


@transaction.atomic
def save_band(*, actor, organisation, category: str, name: str, minimum, maximum, guidance: str = "", band=None):
    band = band or RedressBand(organisation=organisation)
    before = {k: getattr(band, k) for k in ("category", "name", "minimum", "maximum", "guidance")}
    band.category, band.name, band.minimum, band.maximum = category, (name or "").strip(), minimum, maximum
    band.guidance = (guidance or "").strip()
    errors = {}
    if minimum is not None and maximum is not None and maximum < minimum:
        errors["maximum"] = "The highest amount must be the same as or more than the lowest"
    _raise(errors)
    band.full_clean(exclude=["organisation"])
    band.save()
    audit.record(
        actor=actor,
        verb="saved_redress_band",
        obj=band,
        organisation=organisation,
        summary="Redress band saved",
        changes=audit.changed_fields(before, {k: getattr(band, k) for k in before}),
    )
    return band


@transaction.atomic
def add_banded_remedy(
    *,
    actor,
    complaint: Complaint,
    band: RedressBand,
    description: str,
    amount,
    outside_band_reason: str = "",
    response: Response | None = None,
) -> Remedy:
    """Financial redress against one of the organisation's bands; outside the band it needs a reason."""
    errors = {}
    if band is None or band.organisation_id != complaint.organisation_id or not band.active:
        errors["band"] = "Choose one of this organisation's redress bands"
    if amount is None or amount <= 0:
        errors["amount"] = "Enter the amount of financial redress"
    if not (description or "").strip():
        errors["description"] = "Describe the redress and what it is for"
    _raise(errors)
    outside = not band.contains(amount)
    if outside and not (outside_band_reason or "").strip():
        raise ValidationError(
            {
                "outside_band_reason": f"£{amount:,.2f} is outside the band (£{band.minimum:,.2f} to "
                f"£{band.maximum:,.2f}): give the reason"
            }
        )
    remedy = complaint_services.add_remedy(
        actor=actor, complaint=complaint, type="financial", description=description, amount=amount, response=response
    )
    BandedRemedy.objects.create(
        remedy=remedy,
        band=band,
        outside_band_reason=(outside_band_reason or "").strip() if outside else "",
        recorded_by=_user(actor),
    )
    audit.record(
        actor=actor,
        verb="banded_remedy",
        obj=complaint,
        summary=f"Redress banded as {band.get_category_display().lower()}" + (" (outside the band)" if outside else ""),
    )
    return remedy


@transaction.atomic
def extend_remedy(*, actor, remedy: Remedy, who_is_affected: str, number_affected=None) -> RemedyExtension:
    if not (who_is_affected or "").strip():
        raise ValidationError({"who_is_affected": "Describe who else was affected in the same way"})
    extension = RemedyExtension.objects.create(
        remedy=remedy,
        who_is_affected=who_is_affected.strip(),
        number_affected=number_affected,
        recorded_by=_user(actor),
    )
    audit.record(
        actor=actor, verb="extended_remedy", obj=remedy.complaint, summary="Remedy extended to others affected"
    )
    return extension


# ---- multi-organisation complaints ------------------------------------------------------------------------------


@transaction.atomic
def add_partner(*, actor, complaint: Complaint, organisation, question: str) -> ComplaintPartner:
    errors = {}
    if organisation is None:
        errors["organisation"] = "Choose the contributing organisation"
    elif organisation.pk == complaint.organisation_id:
        errors["organisation"] = "This organisation leads the complaint: choose another one"
    elif not organisation.accepts_complaints:
        errors["organisation"] = "Choose an organisation that handles complaints"
    elif complaint.partners.filter(organisation=organisation).exists():
        errors["organisation"] = f"{organisation.name} is already contributing"
    _required(errors, question=(question, "Say what you need the organisation to cover"))
    _raise(errors)
    partner = ComplaintPartner.objects.create(
        complaint=complaint, organisation=organisation, question=question.strip(), added_by=_user(actor)
    )
    audit.record(
        actor=actor, verb="added_partner", obj=complaint, summary=f"Contributing organisation: {organisation.name}"
    )
    return partner


@transaction.atomic
def contribute_part(*, actor, partner: ComplaintPartner, part_text: str) -> ComplaintPartner:
    partner = ComplaintPartner.objects.select_for_update().get(pk=partner.pk)
    if not has_capability(actor, Cap.HANDLE_CASES, partner.organisation_id):
        raise ValidationError("Only colleagues of the contributing organisation can add its part.")
    if not (part_text or "").strip():
        raise ValidationError({"part_text": "Enter your organisation's part of the response"})
    if partner.complaint.status in ("response_issued", "closed"):
        raise ValidationError("The response has been issued: parts can no longer change.")
    before = {"part_text": partner.part_text}
    partner.part_text = part_text.strip()
    partner.status = PartnerStatus.CONTRIBUTED
    partner.contributed_by = actor
    partner.contributed_at = timezone.now()
    partner.save()
    audit.record(
        actor=actor,
        verb="contributed_part",
        obj=partner.complaint,
        organisation=partner.complaint.organisation,
        summary=f"{partner.organisation.name} added its part to the draft",
        changes=audit.changed_fields(before, {"part_text": partner.part_text}),
    )
    return partner


# ---- challenging behaviour ------------------------------------------------------------------------------------


@transaction.atomic
def record_incident(
    *, actor, complaint: Complaint, type: str, occurred_on, description: str, impact_on_colleagues: str
) -> BehaviourIncident:
    errors = {}
    _required(
        errors,
        type=(type, "Choose the type of behaviour"),
        occurred_on=(occurred_on, "Enter the date"),
        description=(description, "Describe what happened, factually"),
        impact_on_colleagues=(impact_on_colleagues, "Describe the impact on colleagues"),
    )
    if occurred_on and occurred_on > today():
        errors["occurred_on"] = "The date must be today or in the past"
    _raise(errors)
    incident = BehaviourIncident.objects.create(
        complaint=complaint,
        type=type,
        occurred_on=occurred_on,
        description=description.strip(),
        impact_on_colleagues=impact_on_colleagues.strip(),
        recorded_by=_user(actor),
    )
    audit.record(
        actor=actor, verb="recorded_incident", obj=complaint, summary=f"Behaviour: {incident.get_type_display()}"
    )
    return incident


def _check_approver(complaint, approved_by) -> str | None:
    if approved_by is None:
        return "Choose the senior person who approved the restriction"
    if not has_capability(approved_by, Cap.GOVERN, complaint.organisation_id):
        return f"{_name(approved_by)} is not a senior leader for this organisation, so cannot approve a restriction"
    return None


@transaction.atomic
def impose_restriction(
    *,
    actor,
    complaint: Complaint,
    approved_by,
    reasons: str,
    review_on,
    starts_on=None,
    single_point_of_contact=None,
    written_contact_only: bool = False,
    contact_limit: str = "",
) -> ContactRestriction:
    """A proportionate restriction, approved by a senior person, explained to the complainant by letter,
    with a review date. It limits how contact happens; it never stops a new complaint being recorded."""
    from candour.investigations import letters

    starts_on = starts_on or today()
    errors = {}
    if not complaint.behaviour_incidents.exists():
        errors["__all__"] = "Record the behaviour first: a restriction must answer recorded incidents."
    _required(errors, reasons=(reasons, "Give the reasons for the restriction"))
    if review_on is None:
        errors["review_on"] = "Enter the date the restriction will be reviewed"
    elif review_on <= starts_on:
        errors["review_on"] = "The review date must be after the restriction starts"
    elif (review_on - starts_on).days > MAX_RESTRICTION_DAYS:
        errors["review_on"] = "Review the restriction within 6 months"
    if single_point_of_contact is None and not written_contact_only and not (contact_limit or "").strip():
        errors["written_contact_only"] = "Choose at least one restriction"
    problem = _check_approver(complaint, approved_by)
    if problem:
        errors["approved_by"] = problem
    _raise(errors)
    restriction = ContactRestriction.objects.create(
        complaint=complaint,
        single_point_of_contact=single_point_of_contact,
        written_contact_only=written_contact_only,
        contact_limit=(contact_limit or "").strip(),
        reasons=reasons.strip(),
        approved_by=approved_by,
        starts_on=starts_on,
        review_on=review_on,
        created_by=_user(actor),
    )
    restriction.letter_html = letters.render_restriction_letter(complaint, restriction)
    restriction.save(update_fields=["letter_html"])
    audit.record(actor=actor, verb="imposed_restriction", obj=complaint, summary="Contact restriction put in place")
    letters.send_letter(
        complaint,
        restriction.letter_html,
        subject_key="restriction",
        idempotency_key=f"investigation:restriction:{restriction.pk}:{restriction.review_on}",
    )
    return restriction


@transaction.atomic
def renew_restriction(*, actor, restriction: ContactRestriction, approved_by, review_on, reasons: str):
    from candour.investigations import letters

    restriction = ContactRestriction.objects.select_for_update().get(pk=restriction.pk)
    complaint = restriction.complaint
    errors = {}
    if restriction.status == RestrictionStatus.ENDED:
        raise ValidationError("This restriction has ended; put a new one in place if it is still needed.")
    _required(errors, reasons=(reasons, "Give the reasons it is still needed"))
    on = today()
    if review_on is None:
        errors["review_on"] = "Enter the next review date"
    elif review_on <= on:
        errors["review_on"] = "The next review date must be in the future"
    elif (review_on - on).days > MAX_RESTRICTION_DAYS:
        errors["review_on"] = "Review the restriction within 6 months"
    problem = _check_approver(complaint, approved_by)
    if problem:
        errors["approved_by"] = problem
    _raise(errors)
    restriction.review_on = review_on
    restriction.starts_on = min(restriction.starts_on, on)
    restriction.reasons = reasons.strip()
    restriction.approved_by = approved_by
    restriction.status = RestrictionStatus.ACTIVE
    restriction.reminder_sent_on = None
    restriction.letter_html = letters.render_restriction_letter(complaint, restriction, renewed=True)
    restriction.save()
    audit.record(
        actor=actor, verb="renewed_restriction", obj=complaint, summary="Contact restriction renewed at review"
    )
    letters.send_letter(
        complaint,
        restriction.letter_html,
        subject_key="restriction",
        idempotency_key=f"investigation:restriction:{restriction.pk}:{restriction.review_on}",
    )
    return restriction


@transaction.atomic
def end_restriction(*, actor, restriction: ContactRestriction, reason: str) -> ContactRestriction:
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the restriction is ending"})
    restriction.status = RestrictionStatus.ENDED
    restriction.save(update_fields=["status"])
    audit.record(actor=actor, verb="ended_restriction", obj=restriction.complaint, summary="Contact restriction ended")
    return restriction


def lapse_restrictions(on: datetime.date | None = None) -> int:
    """Restrictions past their review date without renewal lapse (sweep)."""
    on = on or today()
    count = 0
    for restriction in ContactRestriction.objects.filter(status=RestrictionStatus.ACTIVE, review_on__lt=on):
        with transaction.atomic():
            restriction.status = RestrictionStatus.LAPSED
            restriction.save(update_fields=["status"])
            audit.record(
                actor=None,
                actor_label="system",
                verb="restriction_lapsed",
                obj=restriction.complaint,
                summary="Contact restriction lapsed: not renewed by its review date",
            )
        count += 1
    return count


def remind_restriction_reviews(on: datetime.date | None = None) -> int:
    """E-mail the approver (and whoever recorded it) as a restriction's review date approaches (sweep)."""
    from candour.investigations import letters

    on = on or today()
    soon = on + datetime.timedelta(days=REVIEW_REMINDER_DAYS)
    count = 0
    due = ContactRestriction.objects.filter(
        status=RestrictionStatus.ACTIVE, review_on__lte=soon, review_on__gte=on, reminder_sent_on__isnull=True
    ).select_related("complaint", "approved_by", "created_by")
    for restriction in due:
        with transaction.atomic():
            for user in {restriction.approved_by, restriction.created_by} - {None}:
                letters.remind_colleague(restriction, user)
            restriction.reminder_sent_on = on
            restriction.save(update_fields=["reminder_sent_on"])
            audit.record(
                actor=None,
                actor_label="system",
                verb="restriction_review_reminder",
                obj=restriction.complaint,
                summary="Reminder: contact restriction review due",
            )
        count += 1
    return count


@transaction.atomic
def record_support(*, actor, complaint: Complaint, user, kind: str, on, notes: str = "", incident=None):
    errors = {}
    _required(
        errors, user=(user, "Choose the colleague"), kind=(kind, "Choose support or debrief"), on=(on, "Enter the date")
    )
    _raise(errors)
    support = ColleagueSupport.objects.create(
        complaint=complaint,
        user=user,
        kind=kind,
        on=on,
        notes=(notes or "").strip(),
        incident=incident,
        recorded_by=_user(actor),
    )
    audit.record(
        actor=actor, verb="recorded_support", obj=complaint, summary=f"Colleague {support.get_kind_display().lower()}"
    )
    return support


# ---- reasonable adjustments ------------------------------------------------------------------------------------


@transaction.atomic
def save_letter_adjustments(*, actor, complaint: Complaint, **fields) -> LetterAdjustments:
    allowed = {"large_print", "easy_read", "delivery", "send_copy_to"}
    if set(fields) - allowed:
        raise ValueError(", ".join(sorted(set(fields) - allowed)))
    current = LetterAdjustments.objects.filter(complaint=complaint).first() or LetterAdjustments(complaint=complaint)
    before = {k: getattr(current, k) for k in fields}
    for key, value in fields.items():
        setattr(current, key, value.strip() if isinstance(value, str) else value)
    if current.delivery in ("post", "both") and not complaint.complainant_address.strip():
        raise ValidationError({"delivery": "There is no postal address on the complaint: add one first"})
    current.full_clean(exclude=["complaint"])
    current.save()
    audit.record(
        actor=actor,
        verb="saved_letter_adjustments",
        obj=complaint,
        summary="Letter adjustments saved",
        changes=audit.changed_fields(before, fields),
    )
    return current
