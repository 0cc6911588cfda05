"""Reads for UK GDPR work, scoped to what the user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from candour.complaints.models import Complaint
from candour.organisations.roles import Cap
from candour.permissions import organisation_ids_with


def complaints_about_person(email: str, name: str = "", user=None) -> QuerySet[Complaint]:
    """Complaints made by, or about, a person: by e-mail address, and by name when one is given.

    With a user, only complaints in organisations where they manage cases; without one (the management
    command, run by an operator) every organisation.
    """
    condition = Q(pk__in=[])
    if email.strip():
        condition |= Q(complainant_email__iexact=email.strip())
    if name.strip():
        condition |= Q(complainant_name__iexact=name.strip()) | Q(person_affected_name__iexact=name.strip())
    complaints = Complaint.objects.filter(condition)
    if user is not None:
        complaints = complaints.filter(organisation_id__in=organisation_ids_with(user, Cap.MANAGE_CASES))
    return complaints.select_related("organisation").order_by("received_on", "pk")
