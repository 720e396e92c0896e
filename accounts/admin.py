from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "unit", "supervisor", "is_active"]
    list_filter = ["role", "unit", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email", "phone"]
    autocomplete_fields = ["supervisor"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Terang"),
            {
                "fields": (
                    "full_name",
                    "role",
                    "unit",
                    "supervisor",
                    "position",
                    "phone",
                    "language",
                    "contact_channel",
                )
            },
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Terang"), {"fields": ("full_name", "role", "unit", "supervisor", "position")}),
    )

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: their names stay on every event and
        # history row they left, and those rows are append-only (trail's triggers).
        return False
