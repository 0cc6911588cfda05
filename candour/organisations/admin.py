from django.contrib import admin

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


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "organisation__name")
