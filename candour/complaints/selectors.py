"""Reads of complaints, scoped to what the user may see."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from candour.audit import services as audit
from candour.complaints.models import Complaint
from candour.organisations.roles import Cap
from candour.organisations.selectors import calendar_for
from candour.permissions import has_capability, organisation_ids_with


def complaints_visible_to(user) -> QuerySet[Complaint]:
    return Complaint.objects.filter(organisation_id__in=organisation_ids_with(user, Cap.VIEW_CASES))


def complaint_for_user(user, reference: str, *, record_view: bool = True) -> Complaint:
    """One complaint, if the user may see it; viewing its personal data is recorded in the audit trail."""
    complaint = (
        Complaint.objects.select_related("organisation", "team", "service_area", "stage1_handler", "stage2_handler")
        .filter(reference=reference)
        .first()
    )
    if complaint is None or not has_capability(user, Cap.VIEW_CASES, complaint.organisation_id):
        raise PermissionDenied
    if record_view:
        audit.record_view(actor=user, obj=complaint)
    return complaint


def deadline_status(complaint: Complaint, today: datetime.date) -> str | None:
    """'overdue', 'due_soon' or 'on_track' for the response owed now; None if none is owed."""
    if complaint.response_due is None:
        return None
    return str(calendar_for(complaint.organisation).status(complaint.response_due, today))
