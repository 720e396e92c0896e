from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from permits.models import OPD, PermitType, Requirement, SearchNote


@admin.register(OPD)
class OPDAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_id", "name_en", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name_id", "name_en"]


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    fields = [
        "position",
        "code",
        "name_id",
        "name_en",
        "mandatory",
        "formats",
        "max_size_kb",
        "active",
    ]


@admin.register(PermitType)
class PermitTypeAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name_id",
        "opd",
        "sop_duration",
        "sop_unit",
        "check_duration",
        "fee",
        "needs_technical_review",
        "needs_inspection",
        "active",
    ]
    list_filter = [
        "opd",
        "family",
        "sop_unit",
        "needs_technical_review",
        "needs_inspection",
        "active",
    ]
    search_fields = ["code", "name_id", "name_en", "search_terms", "legal_basis"]
    list_select_related = ["opd"]
    inlines = [RequirementInline]


@admin.register(Requirement)
class RequirementAdmin(SimpleHistoryAdmin):
    list_display = ["permit_type", "code", "name_id", "mandatory", "max_size_kb", "active"]
    list_filter = ["mandatory", "active", "permit_type__opd"]
    search_fields = ["code", "name_id", "permit_type__code", "permit_type__name_id"]
    list_select_related = ["permit_type"]


@admin.register(SearchNote)
class SearchNoteAdmin(SimpleHistoryAdmin):
    list_display = ["code", "terms", "active"]
    list_filter = ["active"]
    search_fields = ["code", "terms", "text_id"]
