"""Reads for investigations, scoped to the user."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, Sum

from candour.complaints.models import Remedy
from candour.investigations.models import (
    ComplaintPartner,
    QualityReview,
    RedressBand,
    ReviewDecision,
)
from candour.organisations.roles import Cap
from candour.permissions import organisation_ids_with


def partners_visible_to(user):
    """Contributions asked of the user's organisations (a partner sees its own part only)."""
    return (
        ComplaintPartner.objects.filter(organisation_id__in=organisation_ids_with(user, Cap.VIEW_CASES))
        .select_related("complaint", "organisation", "complaint__organisation")
        .order_by("status", "-id")
    )


def partner_for_user(user, pk: int) -> ComplaintPartner:
    partner = partners_visible_to(user).filter(pk=pk).first()
    if partner is None or not user.has_perm("investigations.view_part", partner):
        raise PermissionDenied
    return partner


def shared_draft(partner: ComplaintPartner):
    """The one response the complainant will get: what a contributing organisation may read of it."""
    complaint = partner.complaint
    return complaint.responses.filter(stage=complaint.stage).order_by("-id").first()


def reviews_for(user):
    return (
        QualityReview.objects.filter(reviewer=user, decision=ReviewDecision.PENDING)
        .select_related("response__complaint")
        .order_by("requested_at")
    )


def bands_for(organisation, *, active_only: bool = True):
    bands = RedressBand.objects.filter(organisation=organisation)
    return bands.filter(active=True) if active_only else bands


def remedies_report(user, organisation_ids=None) -> list[dict]:
    """Remedies by service area, type and band, with count and amounts: inconsistency becomes visible.
    Aggregates only (no personal data), for those who may view aggregates."""
    allowed = organisation_ids_with(user, Cap.VIEW_AGGREGATES)
    if not allowed:
        raise PermissionDenied
    ids = allowed if organisation_ids is None else allowed & set(organisation_ids)
    rows = (
        Remedy.objects.filter(complaint__organisation_id__in=ids)
        .values(
            "complaint__organisation__name",
            "complaint__service_area__name",
            "type",
            "banding__band__name",
        )
        .annotate(
            count=Count("id"),
            total=Sum("amount"),
            lowest=Min("amount"),
            highest=Max("amount"),
            outside=Count("banding", filter=~_blank("banding__outside_band_reason")),
        )
        .order_by("complaint__organisation__name", "complaint__service_area__name", "type", "banding__band__name")
    )
    labels = dict(Remedy._meta.get_field("type").choices)
    return [
        {
            "organisation": row["complaint__organisation__name"],
            "service_area": row["complaint__service_area__name"] or "Not known",
            "type": labels.get(row["type"], row["type"]),
            "band": row["banding__band__name"] or "—",
            "count": row["count"],
            "total": row["total"],
            "lowest": row["lowest"],
            "highest": row["highest"],
            "outside": row["outside"],
        }
        for row in rows
    ]


def _blank(field):
    from django.db.models import Q

    return Q(**{field: ""})


def contact_restricted(complaint) -> bool:
    """Whether a contact restriction is in force on the complaint (then no surveys are sent)."""
    from candour.investigations.models import ContactRestriction, RestrictionStatus

    return ContactRestriction.objects.filter(complaint=complaint, status=RestrictionStatus.ACTIVE).exists()


def colleagues_involved(complaint) -> list[tuple[object, str]]:
    """(user, part) for colleagues complained about and quality reviewers, for the colleague survey."""
    from candour.investigations.models import InvolvedColleague, QualityReview

    found = [
        (involved.user, "complained_about")
        for involved in InvolvedColleague.objects.filter(complaint=complaint, complained_about=True).select_related(
            "user"
        )
    ]
    found += [
        (review.reviewer, "reviewer")
        for review in QualityReview.objects.filter(response__complaint=complaint).select_related("reviewer")
    ]
    return found
