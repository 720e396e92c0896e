"""Read-only: day heads, anchors and seals are written by the application, never by hand."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from trail.models import ChainAnchor, ChainDay, Seal


@admin.register(ChainDay)
class ChainDayAdmin(ReadOnlyAdmin):
    list_display = ["day", "last_seq", "head_hash", "recorded_at"]
    date_hierarchy = "day"


@admin.register(ChainAnchor)
class ChainAnchorAdmin(ReadOnlyAdmin):
    list_display = ["at", "last_seq", "head_hash", "seal_seq", "seal_hash", "hash"]
    date_hierarchy = "at"


@admin.register(Seal)
class SealAdmin(ReadOnlyAdmin):
    list_display = ["seq", "model", "row_id", "action", "created_at"]
    list_filter = ["action", "model"]
