from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User
from accounts.services import staff_credentials_reset


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "unit", "supervisor", "is_active"]
    list_filter = ["role", "unit", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email", "phone"]
    autocomplete_fields = ["supervisor"]
    actions = ["credentials_reset"]
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

    @admin.action(description=_("Setel ulang sandi dan faktor kedua"), permissions=["change"])
    def credentials_reset(self, request, queryset):
        """A forgotten staff password: a temporary one to hand over in person, and a new
        authenticator enrolled at the next sign-in (the reset page refuses staff)."""
        for user in queryset:
            temporary = staff_credentials_reset(user=user, by=request.user)
            self.message_user(
                request,
                _(
                    "Sandi sementara %(name)s: %(password)s — serahkan langsung kepada yang "
                    "bersangkutan. Faktor kedua dihapus; ia mendaftarkan aplikasi "
                    "autentikator lagi saat masuk."
                )
                % {"name": user.username, "password": temporary},
                messages.WARNING,
            )
