"""What a member of the public can do without an account: submit a complaint, and through the progress
link see it, add information and withdraw it.

Writes go through `candour.complaints.services` and `candour.complaints.uploads`; the few reads the public
pages need (a complaint by its access link or submission key) live here too, because they are not scoped
to a user but to something only the complainant holds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from candour.audit import services as audit
from candour.complaints import services, uploads
from candour.complaints.models import Channel, Complaint
from candour.complaints.services import PointInput
from candour.complaints.states import OPEN_STATES

WITHDRAWN_ONLINE = "Withdrawn by the complainant online."


def more_than_12_months_ago(day: datetime.date, today: datetime.date) -> bool:
    """The same test the complaint records in `events_more_than_12_months_ago`."""
    return (today - day).days > 365


# ---- submitting -----------------------------------------------------------------------------------------


@dataclass
class Submitted:
    complaint: Complaint
    created: bool
    access_token: str | None  # only when created (a repeat cannot show the token again: only its hash is kept)


def submit_complaint(
    *,
    organisation,
    answers: dict,
    language: str,
    submission_key: str,
    files: list[dict],
) -> Submitted:
    """Record a complaint made online from the journey's answers, move its staged files onto it, and issue
    the complainant's progress link. A repeated submission_key returns the first complaint untouched."""
    anonymous = answers.get("anonymous") == "yes"
    on_behalf = not anonymous and answers.get("who") == "someone_else"
    fields = {
        "is_anonymous": anonymous,
        "language": "cy" if language == "cy" else "en",
        "outcome_sought": answers.get("outcome_sought", ""),
        "events_date": datetime.date.fromisoformat(answers["events_date"]) if answers.get("events_date") else None,
        "late_reason": answers.get("late_reason", "") if answers.get("late_reason_needed") else "",
        "reasonable_adjustments": answers.get("adjustments_details", "") if answers.get("adjustments") == "yes" else "",
    }
    if not anonymous:
        fields.update(
            complainant_name=answers.get("name", ""),
            complainant_email=answers.get("email", ""),
            complainant_phone=answers.get("phone", ""),
            complainant_address=answers.get("address", ""),
            preferred_contact=answers.get("preferred_contact", "email"),
            on_behalf_of_someone=on_behalf,
        )
        if on_behalf:
            fields.update(
                person_affected_name=answers.get("person_name", ""),
                representative_relationship=answers.get("relationship", ""),
                consent_confirmed=bool(answers.get("consent")),
            )
    points = [PointInput(p["summary"], p.get("outcome_sought", "")) for p in answers.get("points", [])]
    with transaction.atomic():
        complaint, created = services.create_complaint(
            actor=None,
            organisation=organisation,
            channel=Channel.ONLINE,
            description=answers["description"],
            points=points,
            submission_key=submission_key,
            **fields,
        )
        token = None
        if created:
            for entry in files[: uploads.MAX_FILES_PER_COMPLAINT]:
                with uploads.staged_file(entry) as handle:
                    uploads.store_attachment(
                        actor=None, complaint=complaint, uploaded_file=handle, from_complainant=True
                    )
            token = services.issue_access_link(complaint)
            if not complaint.is_anonymous and complaint.complainant_email:
                queue_confirmation_email(complaint, token)
    if created:
        for entry in files:
            uploads.discard_staged(entry)
    return Submitted(complaint=complaint, created=created, access_token=token)


def progress_url(token: str, language: str) -> str:
    """The full address of the progress page, in the complaint's language (for e-mails and the confirmation)."""
    with translation.override(language):
        return settings.CANDOUR_BASE_URL.rstrip("/") + reverse("complaints_public:progress", args=[token])


def queue_confirmation_email(complaint: Complaint, token: str) -> None:
    """The confirmation e-mail, stored in the outbox in the complaint's transaction and sent once it commits."""
    from candour.notifications import services as notifications

    notifications.queue_email(
        to=complaint.complainant_email,
        template="acknowledgement",
        context={
            "reference": complaint.reference,
            "organisation_name": complaint.organisation.display_name(complaint.language),
            "due_date": complaint.stage1_due,
            "name": complaint.complainant_name,
            "track_url": progress_url(token, complaint.language),
        },
        language=complaint.language,
        organisation=complaint.organisation,
        obj=complaint,
        idempotency_key=f"complaint-confirmation-{complaint.pk}",
    )


def complaint_by_submission_key(submission_key: str) -> Complaint | None:
    if not submission_key:
        return None
    return Complaint.objects.select_related("organisation").filter(submission_key=submission_key).first()


# ---- the progress link ----------------------------------------------------------------------------------


class LinkExpired(Exception):
    def __init__(self, complaint: Complaint):
        super().__init__("The progress link has expired.")
        self.complaint = complaint


def complaint_for_token(token: str) -> Complaint | None:
    """The complaint a progress link opens; None if no complaint has it; LinkExpired if it has expired."""
    if not token or len(token) > 100:
        return None
    complaint = (
        Complaint.objects.select_related("organisation").filter(access_token_hash=services.hash_token(token)).first()
    )
    if complaint is None:
        return None
    if complaint.access_token_expires_at is None or complaint.access_token_expires_at <= timezone.now():
        raise LinkExpired(complaint)
    return complaint


def record_progress_view(complaint: Complaint) -> None:
    audit.record_view(actor=None, obj=complaint, what="the complaint through the complainant's progress link")


def can_change(complaint: Complaint) -> bool:
    """A complainant can add information to, or withdraw, a complaint that is still open."""
    return complaint.status in OPEN_STATES


@transaction.atomic
def add_information(*, complaint: Complaint, text: str, uploaded_file=None) -> list:
    """More information from the complainant: the text is kept as a text file on the complaint (so staff see
    it with the evidence, dated), any file is attached, and the addition is recorded in the audit trail."""
    if not can_change(complaint):
        raise ValidationError(_("You can no longer add information to this complaint."))
    text = (text or "").strip()
    if not text and uploaded_file is None:
        raise ValidationError({"information": _("Enter the information you want to add, or choose a file")})
    added = []
    if text:
        from django.core.files.base import ContentFile

        stamp = timezone.localtime().strftime("%Y-%m-%d %H%M")
        note = ContentFile(text.encode("utf-8"), name=f"Information from the complainant {stamp}.txt")
        added.append(
            uploads.store_attachment(actor=None, complaint=complaint, uploaded_file=note, from_complainant=True)
        )
    if uploaded_file is not None:
        added.append(
            uploads.store_attachment(
                actor=None, complaint=complaint, uploaded_file=uploaded_file, from_complainant=True
            )
        )
    audit.record(
        actor=None,
        verb="complainant_added_information",
        obj=complaint,
        summary="The complainant added information through their progress link",
        changes={"fields": sorted(["note"] * bool(text) + ["file"] * (uploaded_file is not None))},
    )
    return added


def withdraw(*, complaint: Complaint, reason: str) -> Complaint:
    """The complainant withdraws their complaint; the reason they gave (if any) is recorded."""
    reason = (reason or "").strip()
    full_reason = f"{WITHDRAWN_ONLINE} {reason}".strip() if reason else WITHDRAWN_ONLINE
    return services.transition(actor=None, complaint=complaint, name="withdraw", reason=full_reason)
