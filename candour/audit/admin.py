from django.contrib import admin

from candour.audit.models import AuditEvent
from candour.shell.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read only: no one may add, change or delete an audit event through the admin."""

    list_display = ("occurred_at", "actor_label", "verb", "object_type", "object_id", "organisation")
    list_filter = ("verb", "object_type")
    search_fields = ("summary", "actor_label", "object_id", "request_id")
