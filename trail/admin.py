"""Read-only: a recorded day head is written by the nightly task, never by hand."""

from django.contrib import admin

from trail.models import ChainDay


@admin.register(ChainDay)
class ChainDayAdmin(admin.ModelAdmin):
    list_display = ["day", "last_seq", "head_hash", "recorded_at"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
