"""Recording audit events. Every service that changes state calls `record`; views of personal data
call `record_view`."""

from __future__ import annotations

from django.db import models

from candour.audit.middleware import current_request_id
from candour.audit.models import AuditEvent


def _actor_fields(actor, actor_label: str | None):
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor, actor_label or actor.get_username()
    return None, actor_label or "public"


def record(
    *,
    actor,
    verb: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    organisation=None,
    summary: str = "",
    changes: dict | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one event. Call inside the same transaction as the change it describes."""
    user, label = _actor_fields(actor, actor_label)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk
        if organisation is None:
            if obj._meta.label_lower == "organisations.organisation":
                organisation = obj
            elif hasattr(obj, "organisation_id"):
                organisation = obj.organisation
    return AuditEvent.objects.create(
        actor=user,
        actor_label=label,
        organisation=organisation,
        object_type=object_type or "",
        object_id=str(object_id or ""),
        verb=verb,
        summary=summary,
        changes=changes or {},
        request_id=current_request_id.get(),
    )


def record_view(*, actor, obj: models.Model, what: str = "personal data") -> AuditEvent:
    return record(actor=actor, verb="viewed", obj=obj, summary=f"Viewed {what}")


def changed_fields(before: dict, after: dict) -> dict:
    """Names of the fields that changed, never their values (values may be personal data)."""
    return {"fields": sorted(key for key in after if before.get(key) != after.get(key))}
