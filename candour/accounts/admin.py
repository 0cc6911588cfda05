from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from candour.accounts.models import User


@admin.register(User)
class CandourUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("Candour", {"fields": ("job_title", "line_manager")}),)
