from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from outbox.models import Message, MessageStatus
from outbox.services import message_retry


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "channel", "address", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["address", "subject", "application__registration_number"]
    date_hierarchy = "created_at"
    actions = ["retry"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Kirim ulang pesan yang gagal"))
    def retry(self, request, queryset):
        failed = list(queryset.filter(status=MessageStatus.FAILED))
        for message in failed:
            message_retry(message)
        self.message_user(
            request, _("%(n)d pesan dijadwalkan ulang.") % {"n": len(failed)}, messages.SUCCESS
        )
