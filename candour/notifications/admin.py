from django.contrib import admin

from candour.notifications.models import Message
from candour.shell.admin import ReadOnlyAdmin


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    """Read only: the outbox is written by the sending service, never by hand."""

    list_display = ("created_at", "template", "language", "status", "attempts", "provider", "sent_at", "organisation")
    list_filter = ("status", "template", "language", "provider")
    search_fields = ("idempotency_key", "provider_reference", "related_object_id")
    date_hierarchy = "created_at"
