from django.contrib import admin

from candour.notifications.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read only: the outbox is written by the sending service, never by hand."""

    list_display = ("created_at", "template", "language", "status", "attempts", "provider", "sent_at", "organisation")
    list_filter = ("status", "template", "language", "provider")
    search_fields = ("idempotency_key", "provider_reference", "related_object_id")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
