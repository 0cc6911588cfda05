"""Every write in feedback: invitations, answers, the survey delay, the expectations and self-assessments.

Each function runs in one transaction and records an audit event without personal data. E-mails are queued
with `notifications.services.queue_email` in the same transaction (sent after commit, once per key).

Who is never surveyed (complainant): anonymous complaints, people who opted out (`contact_opt_out`),
anonymised complaints, complaints with no e-mail address, and anyone under a restriction on contact
(`contact_restricted`: `CONTACT_RESTRICTION_CHECKS`, plus investigations' selector when that app exists).
"""

from __future__ import annotations

import datetime
import hashlib
import importlib
import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from candour.audit import services as audit
from candour.complaints.models import Complaint
from candour.complaints.states import Status
from candour.feedback.models import (
    DEFAULT_SURVEY_DELAY_DAYS,
    Answer,
    Expectation,
    ExpectationRating,
    FeedbackSettings,
    Rating,
    SelfAssessment,
    SurveyInvitation,
    SurveyResponse,
)
from candour.feedback.statements import STATEMENTS, ColleagueRole, Kind
from candour.notifications.services import queue_email
from candour.organisations.models import Organisation

logger = logging.getLogger(__name__)

LINK_DAYS = 60
COMMENTS_MAX = 5000
SYSTEM = "system"

# Other capabilities add functions complaint -> bool: True means do not contact the person with a survey.
CONTACT_RESTRICTION_CHECKS: list[Callable[[Complaint], bool]] = []
# Other capabilities add functions complaint -> iterable of (user, ColleagueRole) (e.g. colleagues complained
# about, quality reviewers).
COLLEAGUE_SOURCES: list[Callable[[Complaint], object]] = []


class SurveyUnavailable(Exception):
    """The link cannot be used: `reason` is "unknown", "expired" or "used"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _optional(module: str, name: str):
    """A function another app provides, or None until that app exists."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


# ---- settings ---------------------------------------------------------------------------------------------


def survey_delay_days(organisation: Organisation) -> int:
    value = FeedbackSettings.objects.filter(organisation=organisation).values_list("survey_delay_days", flat=True)
    return value[0] if value else DEFAULT_SURVEY_DELAY_DAYS


@transaction.atomic
def set_survey_delay(*, actor, organisation: Organisation, days: int) -> FeedbackSettings:
    row, _created = FeedbackSettings.objects.select_for_update().get_or_create(organisation=organisation)
    before = {"survey_delay_days": row.survey_delay_days}
    row.survey_delay_days = days
    row.full_clean(exclude=["organisation"])
    row.save()
    audit.record(
        actor=actor,
        verb="updated",
        obj=row,
        organisation=organisation,
        summary="Changed the complainant survey delay",
        changes=audit.changed_fields(before, {"survey_delay_days": days}),
    )
    return row


# ---- who may be surveyed ------------------------------------------------------------------------------------


def contact_restricted(complaint: Complaint) -> bool:
    if any(check(complaint) for check in CONTACT_RESTRICTION_CHECKS):
        return True
    check = _optional("candour.investigations.selectors", "contact_restricted")
    return bool(check and check(complaint))


def why_not_survey(complaint: Complaint) -> str | None:
    """The reason the complainant must not be surveyed, or None if they may be."""
    if complaint.status != Status.CLOSED:
        return "not closed"
    if complaint.is_anonymous:
        return "anonymous"
    if complaint.contact_opt_out:
        return "opted out"
    if complaint.anonymised_at is not None:
        return "anonymised"
    if not complaint.complainant_email:
        return "no e-mail address"
    if contact_restricted(complaint):
        return "contact restricted"
    return None


def _emails_suppressed() -> bool:
    """Demo history and bulk imports switch complaint e-mails off; surveys follow them."""
    from candour.complaints import notify

    flag = getattr(notify, "_SUPPRESSED", None)
    return bool(flag is not None and flag.get())


def survey_url(token: str, language: str) -> str:
    prefix = "/cy" if language == "cy" else ""
    return f"{settings.CANDOUR_BASE_URL.rstrip('/')}{prefix}/survey/{token}/"


# ---- complainant invitations --------------------------------------------------------------------------------


@transaction.atomic
def invite_complainant(*, complaint: Complaint, actor=None) -> str | None:
    """Invite the complainant to the survey once: returns the link's token, or None if not invited."""
    complaint = Complaint.objects.select_for_update().select_related("organisation").get(pk=complaint.pk)
    if SurveyInvitation.objects.filter(complaint=complaint, kind=Kind.COMPLAINANT).exists():
        return None
    if why_not_survey(complaint):
        return None
    token = secrets.token_urlsafe(32)
    invitation = SurveyInvitation.objects.create(
        kind=Kind.COMPLAINANT,
        complaint=complaint,
        organisation=complaint.organisation,
        token_hash=hash_token(token),
        expires_at=timezone.now() + datetime.timedelta(days=LINK_DAYS),
    )
    audit.record(
        actor=actor,
        actor_label=None if actor is not None else SYSTEM,
        verb="survey invited",
        obj=invitation,
        organisation=complaint.organisation,
        summary=f"Complainant survey invitation for {complaint.reference}",
    )
    if not _emails_suppressed():
        language = complaint.language if complaint.language in ("en", "cy") else "en"
        with translation.override(language):
            expires = date_format(timezone.localtime(invitation.expires_at).date(), "j F Y")
            subject = _("Tell us about your experience of complaining")
            paragraphs = [
                _("Your complaint %(reference)s has been closed.") % {"reference": complaint.reference},
                _(
                    "We would like to know how we handled it. The survey has 6 short questions and takes about "
                    "3 minutes. Your answers will not affect your complaint or any service you receive."
                ),
                _("The link works once and stops working on %(date)s.") % {"date": expires},
            ]
            action_text = _("Answer the survey")
            sign_off = complaint.organisation.display_name(language)
        queue_email(
            to=complaint.complainant_email,
            template="generic",
            context={
                "subject": subject,
                "paragraphs": paragraphs,
                "action_url": survey_url(token, language),
                "action_text": action_text,
                "sign_off": sign_off,
            },
            language=language,
            organisation=complaint.organisation,
            obj=complaint,
            idempotency_key=f"complaint:{complaint.pk}:survey",
        )
    return token


# ---- colleague invitations -----------------------------------------------------------------------------------


def colleagues_involved(complaint: Complaint) -> dict[int, tuple[object, str]]:
    """user id -> (user, their part) for the colleagues involved in a complaint, first part named wins."""
    found: dict[int, tuple[object, str]] = {}

    def add(user, role):
        if user is not None and user.is_active and user.pk not in found:
            found[user.pk] = (user, role)

    add(complaint.stage1_handler, ColleagueRole.HANDLER)
    add(complaint.stage2_handler, ColleagueRole.INVESTIGATOR)
    for response in complaint.responses.select_related("issued_by").exclude(issued_by=None):
        add(response.issued_by, ColleagueRole.REVIEWER)
    sources = list(COLLEAGUE_SOURCES)
    extra = _optional("candour.investigations.selectors", "colleagues_involved")
    if extra is not None and extra not in sources:
        sources.append(extra)
    for source in sources:
        for user, role in source(complaint) or ():
            add(user, role)
    return found


@transaction.atomic
def invite_colleagues(*, complaint: Complaint, actor=None) -> int:
    """Invite each colleague involved in a closed complaint to the colleague survey (once each)."""
    complaint = Complaint.objects.select_related("organisation", "stage1_handler", "stage2_handler").get(
        pk=complaint.pk
    )
    already = set(
        SurveyInvitation.objects.filter(complaint=complaint, kind=Kind.COLLEAGUE).values_list("colleague_id", flat=True)
    )
    created = 0
    for user_id, (user, role) in colleagues_involved(complaint).items():
        if user_id in already:
            continue
        invitation = SurveyInvitation.objects.create(
            kind=Kind.COLLEAGUE,
            complaint=complaint,
            organisation=complaint.organisation,
            colleague=user,
            colleague_role=role,
            expires_at=timezone.now() + datetime.timedelta(days=LINK_DAYS),
        )
        created += 1
        audit.record(
            actor=actor,
            actor_label=None if actor is not None else SYSTEM,
            verb="survey invited",
            obj=invitation,
            organisation=complaint.organisation,
            summary=f"Colleague survey invitation for {complaint.reference}",
        )
        if user.email and not _emails_suppressed():
            try:
                queue_email(
                    to=user.email,
                    template="generic",
                    context={
                        "subject": f"How did complaint {complaint.reference} go for you?",
                        "paragraphs": [
                            f"Complaint {complaint.reference} has been closed. You were involved as "
                            f"{invitation.get_colleague_role_display().lower()}.",
                            "Please tell us about the support, time and training you had, and whether the process "
                            "was fair. It takes about 2 minutes. Results are reported only in groups of 5 or more.",
                        ],
                        "action_url": f"{settings.CANDOUR_BASE_URL.rstrip('/')}/staff/feedback/colleague/"
                        f"{complaint.reference}/",
                        "action_text": "Answer the colleague survey",
                    },
                    organisation=complaint.organisation,
                    obj=complaint,
                    idempotency_key=f"complaint:{complaint.pk}:colleague-survey:{user.pk}",
                )
            except ValidationError:
                logger.warning("Colleague %s has no valid e-mail address for the survey", user.pk)
    return created


def on_transitioned(sender=None, *, complaint: Complaint, name: str, actor=None, **kwargs) -> None:
    """Receiver of `complaint_transitioned`: when a complaint is closed, invite the colleagues involved."""
    if name == "close":
        invite_colleagues(complaint=complaint, actor=actor if getattr(actor, "is_authenticated", False) else None)


# ---- answers ---------------------------------------------------------------------------------------------------


def _clean_answers(kind: str, answers: dict) -> dict[str, int]:
    errors = {}
    cleaned = {}
    for statement in STATEMENTS[kind]:
        value = answers.get(statement.key)
        try:
            score = int(value)
        except (TypeError, ValueError):
            score = None
        if score is None or not 1 <= score <= 5:
            errors[statement.key] = _("Choose how much you agree with the statement")
        else:
            cleaned[statement.key] = score
    if errors:
        raise ValidationError(errors)
    return cleaned


def _record(invitation: SurveyInvitation, kind: str, answers: dict, comments: str, actor) -> SurveyResponse:
    scores = _clean_answers(kind, answers)
    comments = (comments or "").strip()
    if len(comments) > COMMENTS_MAX:
        raise ValidationError(
            {"comments": _("Your comments must be %(max)s characters or fewer") % {"max": COMMENTS_MAX}}
        )
    complaint = invitation.complaint
    response = SurveyResponse.objects.create(
        invitation=invitation,
        kind=kind,
        organisation_id=invitation.organisation_id,
        stage=complaint.stage,
        outcome=complaint.outcome,
        comments=comments,
    )
    sections = {s.key: s.section for s in STATEMENTS[kind]}
    Answer.objects.bulk_create(
        Answer(
            response=response, statement=key, section=sections[key], score=score,
            kind=response.kind, organisation_id=response.organisation_id, submitted_at=response.submitted_at,
        )
        for key, score in scores.items()
    )  # fmt: skip
    invitation.used_at = response.submitted_at
    invitation.save(update_fields=["used_at"])
    audit.record(
        actor=actor,
        actor_label=None if actor is not None else "public",
        verb="survey answered",
        obj=response,
        organisation=invitation.organisation,
        summary=f"{invitation.get_kind_display()} survey answered",
    )
    return response


def _usable(invitation: SurveyInvitation) -> None:
    if invitation.used_at is not None:
        raise SurveyUnavailable("used")
    if invitation.expires_at <= timezone.now():
        raise SurveyUnavailable("expired")


@transaction.atomic
def submit_complainant_response(*, token: str, answers: dict, comments: str = "") -> SurveyResponse:
    """Record the complainant's answers once. Raises SurveyUnavailable for an unknown, expired or used link,
    ValidationError for a missing or impossible answer."""
    invitation = (
        SurveyInvitation.objects.select_for_update()
        .select_related("complaint")
        .filter(kind=Kind.COMPLAINANT, token_hash=hash_token(token or ""))
        .first()
    )
    if invitation is None:
        raise SurveyUnavailable("unknown")
    _usable(invitation)
    try:
        with transaction.atomic():
            return _record(invitation, Kind.COMPLAINANT, answers, comments, actor=None)
    except IntegrityError as error:  # answered in a race we lost: recorded once already
        raise SurveyUnavailable("used") from error


@transaction.atomic
def submit_colleague_response(*, actor, complaint: Complaint, answers: dict, comments: str = "") -> SurveyResponse:
    invitation = (
        SurveyInvitation.objects.select_for_update()
        .select_related("complaint")
        .filter(kind=Kind.COLLEAGUE, complaint=complaint, colleague=actor)
        .first()
    )
    if invitation is None:
        raise SurveyUnavailable("unknown")
    _usable(invitation)
    try:
        with transaction.atomic():
            return _record(invitation, Kind.COLLEAGUE, answers, comments, actor=actor)
    except IntegrityError as error:
        raise SurveyUnavailable("used") from error


# ---- the Standards' expectations and self-assessments ------------------------------------------------------


def own_expectations(organisation: Organisation):
    """The organisation's own copy of the expectations, made from the shared wording the first time it changes
    one (so a change in one organisation never alters another's). Call inside a transaction."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # copy once
    own = Expectation.objects.filter(organisation=organisation)
    if not own.exists():
        Expectation.objects.bulk_create(
            Expectation(organisation=organisation, section=e.section, number=e.number, text=e.text, active=e.active)
            for e in Expectation.objects.filter(organisation__isnull=True)
        )
    return own


def _own_copy(organisation: Organisation, expectation: Expectation) -> Expectation:
    """The organisation's row for `expectation` (which may be a shared row it has not changed yet)."""
    if expectation.organisation_id not in (None, organisation.pk):
        raise ValidationError("That expectation belongs to another organisation.")
    return own_expectations(organisation).get(section=expectation.section, number=expectation.number)


@transaction.atomic
def save_expectation(
    *, actor, organisation: Organisation, section: int, text: str, expectation: Expectation | None = None
) -> Expectation:
    """Change one of the organisation's expectations, or add one to a section. Old versions keep the wording
    they rated; other organisations keep theirs."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter the expectation"})
    created = expectation is None
    if created:
        own = own_expectations(organisation)
        number = (own.filter(section=section).aggregate(n=Max("number"))["n"] or 0) + 1
        expectation = Expectation(organisation=organisation, section=section, number=number)
    else:
        expectation = _own_copy(organisation, expectation)
    before = {"text": expectation.text}
    expectation.text = text
    expectation.full_clean()
    expectation.save()
    audit.record(
        actor=actor,
        verb="created" if created else "updated",
        obj=expectation,
        organisation=organisation,
        summary=f"{'Added' if created else 'Changed'} expectation {expectation.section}.{expectation.number}",
        changes=audit.changed_fields(before, {"text": text}),
    )
    return expectation


@transaction.atomic
def retire_expectation(*, actor, organisation: Organisation, expectation: Expectation) -> Expectation:
    expectation = _own_copy(organisation, expectation)
    expectation.active = False
    expectation.save(update_fields=["active"])
    audit.record(
        actor=actor,
        verb="retired",
        obj=expectation,
        organisation=organisation,
        summary=f"Retired expectation {expectation.section}.{expectation.number}",
    )
    return expectation


@transaction.atomic
def record_self_assessment(
    *, actor, organisation: Organisation, assessed_on: datetime.date, ratings: dict[int, dict], evidence: dict
) -> SelfAssessment:
    """Save a new dated version. `ratings` maps each active expectation's id to rating, evidence and
    improvement_plan; an expectation not fully met needs an improvement plan."""
    if not organisation.is_body:
        raise ValidationError("Self-assessments are made by organisations in their own right.")
    from candour.feedback.selectors import expectations_for

    expectations = list(expectations_for(organisation))
    errors = {}
    for expectation in expectations:
        entry = ratings.get(expectation.pk) or {}
        field = f"rating_{expectation.pk}"
        if entry.get("rating") not in Rating.values:
            errors[field] = f"Choose whether expectation {expectation.section}.{expectation.number} is met"
        elif entry["rating"] != Rating.MET and not (entry.get("improvement_plan") or "").strip():
            errors[f"plan_{expectation.pk}"] = (
                f"Give an improvement plan for expectation {expectation.section}.{expectation.number}"
            )
    if errors:
        raise ValidationError(errors)
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # one version number at a time
    last = SelfAssessment.objects.filter(organisation=organisation).aggregate(v=Max("version"))["v"] or 0
    assessment = SelfAssessment.objects.create(
        organisation=organisation,
        version=last + 1,
        assessed_on=assessed_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        evidence=evidence,
    )
    ExpectationRating.objects.bulk_create(
        ExpectationRating(
            assessment=assessment,
            expectation=expectation,
            section=expectation.section,
            expectation_text=expectation.text,
            rating=ratings[expectation.pk]["rating"],
            evidence=(ratings[expectation.pk].get("evidence") or "").strip(),
            improvement_plan=(ratings[expectation.pk].get("improvement_plan") or "").strip(),
        )
        for expectation in expectations
    )
    audit.record(
        actor=actor,
        verb="created",
        obj=assessment,
        organisation=organisation,
        summary=f"Self-assessment against the Complaint Standards, version {assessment.version}",
    )
    return assessment
