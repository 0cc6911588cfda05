"""Every write for UK GDPR: the retention schedule (anonymisation), subject access exports, retention policies.

Anonymisation replaces a complaint's personal data and free text and deletes its files, one transaction
per complaint, and keeps everything the statistics are made of: organisation, channel, dates, stage,
status, outcome, deadlines, working days, triage, remedy types and amounts.
"""

from __future__ import annotations

import datetime
import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from candour.audit import services as audit
from candour.complaints.models import (
    Attachment,
    ClockStop,
    Complaint,
    Extension,
    OmbudsmanReferral,
    PointOfComplaint,
    Remedy,
    Response,
)
from candour.complaints.services import refresh_search_text
from candour.organisations.models import Organisation
from candour.privacy.models import DEFAULT_ANONYMISE_AFTER_YEARS, RetentionPolicy

log = logging.getLogger(__name__)

REMOVED = "[removed under the retention schedule]"

# Personal data: emptied.
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
# Free text that may hold personal data: replaced by REMOVED where there was any.
REPLACED_FIELDS = {
    Complaint: ("summary", "description", "outcome_sought", "late_reason", "late_decision", "signposting",
                "closure_reason"),
    PointOfComplaint: ("summary", "outcome_sought", "should_have_happened", "what_happened", "finding"),
    Response: ("understanding", "what_was_investigated", "how_it_was_investigated", "decision_reasoning", "impact",
               "what_will_happen", "next_steps", "apology", "letter_html"),
    Remedy: ("description",),
    ClockStop: ("reason",),
    Extension: ("reason",),
    OmbudsmanReferral: ("recommendations",),
}  # fmt: skip


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


def due_for_anonymisation(today: datetime.date | None = None):
    """Complaints closed longer ago than their organisation's retention period and not yet anonymised."""
    today = today or timezone.localdate()
    pending = Complaint.objects.filter(anonymised_at__isnull=True, closed_on__isnull=False)
    policies = dict(RetentionPolicy.objects.values_list("organisation_id", "anonymise_after_years"))
    ids = []
    for organisation_id in pending.values_list("organisation_id", flat=True).distinct():
        cutoff = _years_before(today, policies.get(organisation_id, DEFAULT_ANONYMISE_AFTER_YEARS))
        ids += pending.filter(organisation_id=organisation_id, closed_on__lte=cutoff).values_list("pk", flat=True)
    return Complaint.objects.filter(pk__in=ids).order_by("pk")


def _replace(model, queryset) -> None:
    for name in REPLACED_FIELDS[model]:
        queryset.exclude(**{name: ""}).update(**{name: REMOVED})


@transaction.atomic
def anonymise_complaint(*, actor, complaint: Complaint) -> Complaint:
    """Remove the personal data from one complaint, keeping its statistics. Idempotent."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.anonymised_at is not None:
        return complaint
    row = Complaint.objects.filter(pk=complaint.pk)
    row.update(
        **dict.fromkeys(CLEARED_FIELDS, ""),
        access_token_hash="",
        access_token_expires_at=None,
        anonymised_at=timezone.now(),
    )
    _replace(Complaint, row)
    _replace(PointOfComplaint, PointOfComplaint.objects.filter(complaint=complaint))
    _replace(Response, Response.objects.filter(complaint=complaint))
    _replace(Remedy, Remedy.objects.filter(complaint=complaint))
    _replace(ClockStop, ClockStop.objects.filter(complaint=complaint))
    _replace(Extension, Extension.objects.filter(complaint=complaint))
    _replace(OmbudsmanReferral, OmbudsmanReferral.objects.filter(complaint=complaint))
    attachments = list(Attachment.objects.filter(complaint=complaint).values_list("stored_name", flat=True))
    Attachment.objects.filter(complaint=complaint).update(original_name="")
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
