from django.db.models import Q, QuerySet

from candour.audit.models import AuditEvent
from candour.organisations.roles import Cap
from candour.permissions import organisation_ids_with


def events_visible_to(user) -> QuerySet[AuditEvent]:
    org_ids = organisation_ids_with(user, Cap.VIEW_AUDIT)
    return AuditEvent.objects.filter(organisation_id__in=org_ids).select_related("actor", "organisation")


def search_events(user, *, text: str = "", object_type: str = "", object_id: str = "", verb: str = "") -> QuerySet:
    events = events_visible_to(user)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if verb:
        events = events.filter(verb=verb)
    if text:
        events = events.filter(Q(summary__icontains=text) | Q(actor_label__icontains=text) | Q(verb__icontains=text))
    return events
