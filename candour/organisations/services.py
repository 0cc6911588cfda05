"""Every write to organisations, closure days and memberships, each audited in its own transaction."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from candour.audit import services as audit
from candour.organisations.models import BODY_KINDS, ClosureDay, Membership, Organisation
from candour.permissions import forget_scope


@transaction.atomic
def create_organisation(*, actor, slug: str, name: str, kind: str, parent: Organisation | None = None, **fields):
    if kind not in BODY_KINDS and parent is None:
        raise ValidationError({"parent": "A directorate or team must belong to an organisation."})
    if parent is not None:
        fields.setdefault("nation", parent.nation)
    org = Organisation(slug=slug, name=name, kind=kind, parent=parent, **fields)
    org.full_clean(exclude=["path"])
    org.save()
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    audit.record(actor=actor, verb="created", obj=org, organisation=org, summary=f"Created {org.get_kind_display()}")
    return org


TIMESCALE_FIELDS = ("acknowledge_days", "stage1_response_days", "stage2_response_days")
SETTING_FIELDS = TIMESCALE_FIELDS + (
    "name",
    "name_cy",
    "nation",
    "welsh_language_service",
    "accepts_complaints",
    "allows_anonymous_complaints",
)


@transaction.atomic
def update_organisation(*, actor, organisation: Organisation, **changes) -> Organisation:
    unknown = set(changes) - set(SETTING_FIELDS)
    if unknown:
        raise ValueError(f"Not an organisation setting: {', '.join(sorted(unknown))}")
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = {field: getattr(org, field) for field in changes}
    for field, value in changes.items():
        setattr(org, field, value)
    org.full_clean(exclude=["path"])
    org.save(update_fields=list(changes))
    audit.record(
        actor=actor,
        verb="updated",
        obj=org,
        organisation=org,
        summary="Changed organisation settings",
        changes=audit.changed_fields(before, changes),
    )
    return org


@transaction.atomic
def add_closure_day(*, actor, organisation: Organisation, date: datetime.date, reason: str) -> ClosureDay:
    if ClosureDay.objects.filter(organisation=organisation, date=date).exists():
        raise ValidationError({"date": "This organisation already has a closure day on that date."})
    day = ClosureDay(organisation=organisation, date=date, reason=reason)
    day.full_clean()
    day.save()
    audit.record(actor=actor, verb="added_closure_day", obj=day, organisation=organisation, summary=f"{date}")
    return day


@transaction.atomic
def remove_closure_day(*, actor, closure_day: ClosureDay) -> None:
    audit.record(
        actor=actor,
        verb="removed_closure_day",
        obj=closure_day,
        organisation=closure_day.organisation,
        summary=f"{closure_day.date}",
    )
    closure_day.delete()


@transaction.atomic
def add_membership(*, actor, user, organisation: Organisation, role: str) -> Membership:
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if created:
        audit.record(
            actor=actor,
            verb="granted_role",
            obj=membership,
            organisation=organisation,
            summary=f"Granted {membership.get_role_display()}",
        )
        forget_scope(user)
    return membership


@transaction.atomic
def remove_membership(*, actor, membership: Membership) -> None:
    audit.record(
        actor=actor,
        verb="removed_role",
        obj=membership,
        organisation=membership.organisation,
        summary=f"Removed {membership.get_role_display()}",
    )
    membership.delete()
    forget_scope(membership.user)
