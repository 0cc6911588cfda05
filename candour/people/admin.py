"""People in the Django admin: read only. Every change goes through `candour.people.services` (which validate
and write the audit trail) from the staff pages; the admin is for looking things up."""

from django.contrib import admin

from candour.people.models import (
    Acknowledgement,
    PeopleSettings,
    PracticalExample,
    RoleResponsibility,
    SupportRecord,
    TrainingCompletion,
    TrainingImport,
    TrainingModule,
    TrainingReminder,
)
from candour.shell.admin import ReadOnlyAdmin


@admin.register(PeopleSettings)
class PeopleSettingsAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "investigator_training_gate", "reminder_days")
    list_filter = ("investigator_training_gate",)
    search_fields = ("organisation__name",)


@admin.register(RoleResponsibility)
class RoleResponsibilityAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "role", "version", "updated_at")
    list_filter = ("role",)
    search_fields = ("organisation__name", "summary")
    list_select_related = ("organisation",)


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ("user", "responsibility", "version", "acknowledged_at")
    list_filter = ("responsibility__role",)
    search_fields = ("user__username", "responsibility__organisation__name")
    list_select_related = ("user", "responsibility__organisation")
    date_hierarchy = "acknowledged_at"


@admin.register(TrainingModule)
class TrainingModuleAdmin(ReadOnlyAdmin):
    list_display = ("title", "code", "organisation", "refresh_months", "active")
    list_filter = ("active", "organisation")
    search_fields = ("title", "code", "organisation__name")
    list_select_related = ("organisation",)


@admin.register(TrainingCompletion)
class TrainingCompletionAdmin(ReadOnlyAdmin):
    list_display = ("user", "module", "completed_on", "expires_on", "source", "provider")
    list_filter = ("source", "module__organisation", "module__code")
    search_fields = ("user__username", "module__title", "module__code", "provider")
    list_select_related = ("user", "module")
    date_hierarchy = "completed_on"


@admin.register(TrainingImport)
class TrainingImportAdmin(ReadOnlyAdmin):
    list_display = ("filename", "organisation", "status", "imported_count", "uploaded_by", "created_at")
    list_filter = ("status",)
    search_fields = ("filename", "organisation__name")
    list_select_related = ("organisation", "uploaded_by")
    # The uploaded file's rows (names, e-mail addresses) are for the trainer's check page, not the admin.
    exclude = ("content",)


@admin.register(TrainingReminder)
class TrainingReminderAdmin(ReadOnlyAdmin):
    list_display = ("user", "module", "kind", "due_on", "created_at")
    list_filter = ("kind", "module__organisation")
    search_fields = ("user__username", "module__code")
    list_select_related = ("user", "module")
    date_hierarchy = "created_at"


@admin.register(PracticalExample)
class PracticalExampleAdmin(ReadOnlyAdmin):
    list_display = ("title", "author", "organisation", "occurred_on", "approved_for_reports", "approved_by")
    list_filter = ("approved_for_reports", "organisation")
    search_fields = ("title", "author__username")
    list_select_related = ("author", "organisation", "approved_by")
    date_hierarchy = "occurred_on"


@admin.register(SupportRecord)
class SupportRecordAdmin(ReadOnlyAdmin):
    """Debriefs are need-to-know: the list shows when and what kind, and the notes only on the record itself."""

    list_display = ("colleague", "organisation", "interaction_kind", "interaction_on", "debriefed_on", "recorded_by")
    list_filter = ("interaction_kind", "organisation")
    search_fields = ("colleague__username",)
    list_select_related = ("colleague", "organisation", "recorded_by")
    date_hierarchy = "debriefed_on"
