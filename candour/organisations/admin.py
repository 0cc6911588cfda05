from django.contrib import admin

from candour.organisations import services
from candour.organisations.models import ClosureDay, Membership, Organisation


class ClosureDayInline(admin.TabularInline):
    model = ClosureDay
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "nation", "parent", "accepts_complaints")
    list_filter = ("kind", "nation", "accepts_complaints")
    search_fields = ("name", "slug")
    readonly_fields = ("path",)
    inlines = [ClosureDayInline]

    def save_model(self, request, obj, form, change):
        """Through the services, so the tree path is kept and the change is audited."""
        if change:
            changes = {
                field: form.cleaned_data[field] for field in form.changed_data if field in services.SETTING_FIELDS
            }
            if changes:
                services.update_organisation(actor=request.user, organisation=obj, **changes)
            return
        fields = {k: v for k, v in form.cleaned_data.items() if k not in {"slug", "name", "kind", "parent"}}
        created = services.create_organisation(
            actor=request.user, slug=obj.slug, name=obj.name, kind=obj.kind, parent=obj.parent, **fields
        )
        obj.pk = created.pk
        obj.path = created.path

    def get_readonly_fields(self, request, obj=None):
        # Moving an organisation in the tree is not supported through the admin (it would orphan its path).
        return ("path", "parent", "kind", "slug") if obj else ("path",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "organisation__name")

    def save_model(self, request, obj, form, change):
        if change:
            services.remove_membership(actor=request.user, membership=Membership.objects.get(pk=obj.pk))
        created = services.add_membership(
            actor=request.user, user=obj.user, organisation=obj.organisation, role=obj.role
        )
        obj.pk = created.pk

    def delete_model(self, request, obj):
        services.remove_membership(actor=request.user, membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            services.remove_membership(actor=request.user, membership=membership)
