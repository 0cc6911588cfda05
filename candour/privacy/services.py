"""Every write for UK GDPR: the retention schedule (anonymisation), subject access exports, retention policies.

Anonymisation replaces a complaint's personal data and free text (and that of everything recorded about it in
other apps: investigations, learning, feedback, case studies, the e-mails sent) and deletes its files, one
transaction per complaint, and keeps everything the statistics are made of: organisation, channel, dates,
stage, status, outcome, deadlines, working days, triage, remedy types and amounts.

The retention clock starts when the complaint was closed, or, for a complaint left resolved or with its final
response issued but never formally closed, at its last response (`retention_starts_on`).
"""

from __future__ import annotations

import datetime
import logging

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Case, DateField, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from candour.audit import services as audit
from candour.complaints.models import Attachment, Complaint, StageTransition
from candour.complaints.services import refresh_search_text
from candour.complaints.states import Status
from candour.notifications.models import Message
from candour.organisations.models import Organisation
from candour.privacy.models import DEFAULT_ANONYMISE_AFTER_YEARS, RetentionPolicy

log = logging.getLogger(__name__)

# Finished, with a response issued, but never formally closed: retention runs from the last response.
RESOLVED_NOT_CLOSED = (Status.RESOLVED, Status.RESPONSE_ISSUED)

REMOVED = "[removed under the retention schedule]"

# Personal data on the complaint itself: emptied.
CLEARED_FIELDS = (
    "complainant_name",
    "complainant_email",
    "complainant_phone",
    "complainant_address",
    "person_affected_name",
    "representative_relationship",
    "reasonable_adjustments",
    "mp_name",
)

# Every model holding text about a complaint: how its rows are found from the complaint (a lookup from the
# model to the complaint's id), the fields emptied, and the free text replaced by REMOVED (where there was
# any). A text field on a model linked to a complaint must be here or in KEPT with the reason it stays:
# `privacy/tests/test_retention.py` enumerates them, so a new field cannot be forgotten.
ANONYMISED: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "complaints.Complaint": ("pk", (*CLEARED_FIELDS, "access_token_hash"), (
        "summary", "description", "outcome_sought", "late_reason", "late_decision", "signposting", "closure_reason",
    )),
    "complaints.PointOfComplaint": ("complaint", (), (
        "summary", "outcome_sought", "should_have_happened", "what_happened", "finding",
    )),
    "complaints.StageTransition": ("complaint", (), ("reason",)),
    "complaints.ClockStop": ("complaint", (), ("reason",)),
    "complaints.Extension": ("complaint", (), ("reason",)),
    "complaints.Response": ("complaint", (), (
        "understanding", "what_was_investigated", "how_it_was_investigated", "decision_reasoning", "impact",
        "what_will_happen", "next_steps", "apology", "letter_html",
    )),
    "complaints.Remedy": ("complaint", (), ("description",)),
    "complaints.OmbudsmanReferral": ("complaint", (), ("recommendations",)),
    # The files themselves are deleted once the change commits.
    "complaints.Attachment": ("complaint", ("original_name", "sha256"), ()),
    "investigations.InvolvedColleague": ("complaint", (), ("involvement", "support_offered")),
    "investigations.ColleagueStatement": ("involved__complaint", (), ("text",)),
    "investigations.ConflictDeclaration": ("complaint", (), ("details", "override_reason")),
    "investigations.InvestigationPlan": ("complaint", (), (
        "key_issues", "outcome_sought", "approach", "information_needed", "people_to_speak_to", "letter_html",
    )),
    "investigations.PlanUpdate": ("complaint", (), ("given_to", "summary")),
    "investigations.EvidenceItem": ("complaint", (), ("title", "notes")),
    "investigations.InitialView": ("complaint", (), ("text", "shared_with")),
    "investigations.InitialViewReply": ("view__complaint", (), ("party", "text")),
    "investigations.QualityReview": ("response__complaint", (), ("comments",)),
    "investigations.BandedRemedy": ("remedy__complaint", (), ("outside_band_reason",)),
    "investigations.RemedyExtension": ("remedy__complaint", (), ("who_is_affected",)),
    "investigations.ComplaintPartner": ("complaint", (), ("question", "part_text")),
    "investigations.BehaviourIncident": ("complaint", (), ("description", "impact_on_colleagues")),
    "investigations.ContactRestriction": ("complaint", (), ("contact_limit", "reasons", "letter_html")),
    "investigations.ColleagueSupport": ("complaint", (), ("notes",)),
    "investigations.LetterAdjustments": ("complaint", ("send_copy_to",), ()),
    "learning.LearningRecord": ("complaint", (), ("what_went_wrong",)),
    "feedback.SurveyResponse": ("invitation__complaint", (), ("comments",)),
    "reporting.CaseStudy": ("complaint", (), ("text",)),
}  # fmt: skip

# Text fields on models linked to a complaint that anonymisation deliberately leaves, and why. (Fields with
# choices hold a code from a fixed list, never free text, and need no entry.)
KEPT: dict[str, dict[str, str]] = {
    "complaints.Complaint": {
        "reference": "the case reference: a number, and what every statistic and the audit trail are keyed on",
        "submission_key": "a random key the public form sent to make a submission idempotent",
        "search_text": "rebuilt from what is left after anonymising (refresh_search_text)",
    },
    "complaints.StageTransition": {
        "transition": "the name of a lifecycle transition, from a fixed list",
        "actor_label": "the colleague's username: who moved the case, as in the audit trail (ADR 0003)",
    },
    "complaints.Attachment": {
        "stored_name": "the random name of a file that is deleted",
        "content_type": "the file's type (e.g. application/pdf), for the statistics of what was sent",
    },
    "complaints.OmbudsmanReferral": {"phso_reference": "the Ombudsman's case number, to match its statistics"},
    "investigations.InvestigationPlan": {"final_response_by": "a job title, not a person's details"},
    "investigations.EvidenceItem": {"rule_reference": "the policy or rule relied on, not personal data"},
    "investigations.QualityReview": {"content_hash": "a SHA-256 of the draft reviewed; holds no text"},
    "feedback.SurveyInvitation": {"token_hash": "the hash of a random single-use link token"},
    "feedback.SurveyResponse": {"outcome": "the complaint's outcome code, for results by outcome"},
    "feedback.Answer": {"statement": "the code of the survey statement answered"},
    "reporting.CaseStudy": {
        "title": "written for publication and approved by a second person as anonymised",
        "anonymised_text": "the anonymised story a second person approved; published reports are frozen anyway",
    },
}

# E-mails about a complaint are linked by (related_object_type, related_object_id), not a foreign key.
MESSAGE_CLEARED = ("recipient", "last_error")
MESSAGE_REPLACED = ("subject", "body_text", "body_html")


def anonymise_after_years(organisation: Organisation) -> int:
    policy = RetentionPolicy.objects.filter(organisation=organisation).first()
    return policy.anonymise_after_years if policy else DEFAULT_ANONYMISE_AFTER_YEARS


@transaction.atomic
def set_retention_policy(*, actor, organisation: Organisation, anonymise_after_years: int) -> RetentionPolicy:
    policy = RetentionPolicy.objects.filter(organisation=organisation).first() or RetentionPolicy(
        organisation=organisation
    )
    before = {"anonymise_after_years": policy.anonymise_after_years if policy.pk else None}
    policy.anonymise_after_years = anonymise_after_years
    policy.full_clean()
    policy.save()
    audit.record(
        actor=actor,
        verb="updated_retention",
        obj=organisation,
        summary=f"Retention: anonymise {anonymise_after_years} years after closure",
        changes=audit.changed_fields(before, {"anonymise_after_years": anonymise_after_years}),
    )
    return policy


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def retention_starts_on():
    """The date a complaint's retention period runs from, as an expression: the day it was closed (closed,
    withdrawn or not accepted); for one left resolved or with its final response issued but never formally
    closed, the date of its last response, or failing that the day it last changed state. Open complaints
    have none (NULL): they are never anonymised."""
    last_change = (
        StageTransition.objects.filter(complaint=OuterRef("pk"))
        .order_by("-occurred_at", "-id")
        .annotate(day=TruncDate("occurred_at"))
        .values("day")[:1]
    )
    finished_unclosed = Q(closed_on__isnull=True, status__in=RESOLVED_NOT_CLOSED)
    return Case(
        When(closed_on__isnull=False, then=F("closed_on")),
        When(finished_unclosed, then=Coalesce("stage2_responded_on", "stage1_responded_on", Subquery(last_change))),
        default=None,
        output_field=DateField(),
    )


def due_for_anonymisation(today: datetime.date | None = None):
    """Complaints whose retention period (from `retention_starts_on`) has run out and not yet anonymised."""
    today = today or timezone.localdate()
    pending = Complaint.objects.filter(anonymised_at__isnull=True).filter(
        Q(closed_on__isnull=False) | Q(status__in=RESOLVED_NOT_CLOSED)
    )
    policies = dict(RetentionPolicy.objects.values_list("organisation_id", "anonymise_after_years"))
    ids = []
    for organisation_id in pending.values_list("organisation_id", flat=True).distinct().order_by():
        cutoff = _years_before(today, policies.get(organisation_id, DEFAULT_ANONYMISE_AFTER_YEARS))
        ids += (
            pending.filter(organisation_id=organisation_id)
            .annotate(retention_from=retention_starts_on())
            .filter(retention_from__lte=cutoff)
            .values_list("pk", flat=True)
        )
    return Complaint.objects.filter(pk__in=ids).order_by("pk")


def _anonymise_rows(label: str, complaint_id: int) -> None:
    lookup, cleared, replaced = ANONYMISED[label]
    model = apps.get_model(label)
    # A plain QuerySet: append-only logs (the lifecycle's transitions) refuse updates through their manager,
    # and removing personal data under the retention schedule is the one change they must allow.
    rows = models.QuerySet(model=model).filter(**{lookup: complaint_id})
    if cleared:
        rows.update(**dict.fromkeys(cleared, ""))
    for name in replaced:
        max_length = model._meta.get_field(name).max_length
        rows.exclude(**{name: ""}).update(**{name: REMOVED if not max_length or max_length >= len(REMOVED) else ""})


@transaction.atomic
def anonymise_complaint(*, actor, complaint: Complaint) -> Complaint:
    """Remove the personal data from one complaint and everything about it, keeping its statistics. Idempotent."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.anonymised_at is not None:
        return complaint
    attachments = list(Attachment.objects.filter(complaint=complaint).values_list("stored_name", flat=True))
    for label in ANONYMISED:
        _anonymise_rows(label, complaint.pk)
    Complaint.objects.filter(pk=complaint.pk).update(access_token_expires_at=None, anonymised_at=timezone.now())
    messages = Message.objects.filter(related_object_type="complaints.complaint", related_object_id=str(complaint.pk))
    messages.update(**dict.fromkeys(MESSAGE_CLEARED, ""))
    messages.update(**dict.fromkeys(MESSAGE_REPLACED, REMOVED))
    complaint.refresh_from_db()
    refresh_search_text(complaint)
    audit.record(
        actor=actor,
        actor_label=None if actor else "system",
        verb="anonymised",
        obj=complaint,
        summary="Personal data removed under the retention schedule",
        changes={"attachments_deleted": len(attachments)},
    )
    # Files go only once the database change is committed (a rollback must not lose them).
    transaction.on_commit(lambda: _delete_files(attachments))
    return complaint


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - reported, and the next sweep cannot retry: log loudly
            log.exception("Could not delete attachment file %s after anonymisation", name)


def apply_retention_schedule(today: datetime.date | None = None, actor=None) -> int:
    """The daily sweep: anonymise every complaint that is due, each in its own transaction."""
    count = 0
    for complaint in due_for_anonymisation(today):
        anonymise_complaint(actor=actor, complaint=complaint)
        count += 1
    return count


# ---- subject access ----------------------------------------------------------------------------------


@transaction.atomic
def subject_access_export(*, actor, email: str, name: str = "", user=None) -> tuple[bytes, int]:
    """Everything held about a person in complaints, as a ZIP; returns (zip bytes, number of complaints).

    `user` scopes the search to the complaints they manage (the staff page); None searches everywhere (the
    management command). Each complaint exported gets an audit event, and so does the export itself; the
    events name no one (the request's e-mail address and name are not recorded).
    """
    from candour.privacy.export import build_zip
    from candour.privacy.selectors import complaints_about_person

    complaints = list(complaints_about_person(email, name, user=user).prefetch_related(
        "points", "transitions", "clock_stops", "extensions", "responses", "remedies", "attachments"
    ))  # fmt: skip
    data = build_zip(complaints, requested={"email": email, "name": name})
    for complaint in complaints:
        audit.record(
            actor=actor,
            actor_label=None if actor else "system",
            verb="subject_access_export",
            obj=complaint,
            summary="Included in a subject access export",
        )
    audit.record(
        actor=actor,
        actor_label=None if actor else "system",
        verb="subject_access_export",
        object_type="privacy.subject_access",
        summary=f"Subject access export of {len(complaints)} complaint(s)",
        changes={"fields": ["email", "name"] if name else ["email"]},
    )
    return data, len(complaints)
