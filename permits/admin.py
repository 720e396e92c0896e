from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdmin
from permits.models import (
    OPD,
    FormVersion,
    PermitField,
    PermitType,
    Recommendation,
    Requirement,
    SearchNote,
    SiteVisit,
    SiteVisitMember,
    TypeRecommender,
)
from permits.services.form_versions import form_versions_publish


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


class TypeRecommenderInline(admin.TabularInline):
    """The agencies whose recommendation the type needs (tim teknis), each with its share
    of the SOP time; files already asked keep what they were asked."""

    model = TypeRecommender
    fields = ["opd", "working_days"]
    extra = 0


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
    inlines = [RequirementInline, TypeRecommenderInline]
    readonly_fields = ["form_fields_summary"]

    @admin.display(description=_("isian permohonan"))
    def form_fields_summary(self, obj) -> str:
        """The type's fields, edited one by one under "Isian permohonan" (each change
        publishes the type's next form version)."""
        fields = obj.form_fields.filter(active=True).order_by("position") if obj.pk else []
        return ", ".join(f"{f.position}. {f.key} ({f.kind})" for f in fields) or "–"


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


@admin.register(PermitField)
class PermitFieldAdmin(SimpleHistoryAdmin):
    """A type's application fields. Saving or deleting one publishes the type's next form
    version (``permits.services.form_versions``): files already made keep theirs."""

    list_display = [
        "permit_type",
        "position",
        "key",
        "kind",
        "required",
        "printed",
        "public",
        "active",
    ]
    list_filter = ["kind", "printed", "public", "active", "permit_type__opd"]
    search_fields = ["key", "label_id", "label_en", "permit_type__code", "permit_type__name_id"]
    list_select_related = ["permit_type"]
    ordering = ["permit_type__code", "position"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        form_versions_publish(permit_types=[obj.permit_type])

    def delete_model(self, request, obj):
        permit_type = obj.permit_type
        super().delete_model(request, obj)
        form_versions_publish(permit_types=[permit_type])


@admin.register(FormVersion)
class FormVersionAdmin(ReadOnlyAdmin):
    """Frozen: read, never edited (files refer to them)."""

    list_display = ["permit_type", "number", "created_at"]
    list_select_related = ["permit_type"]
    search_fields = ["permit_type__code"]
    readonly_fields = ["permit_type", "number", "spec", "created_at"]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """The technical team's recommendations, read only: they are given in the back office,
    under the file's guards."""

    list_display = ["application", "opd", "verdict", "due_at", "signed_at", "escalated_at"]
    list_filter = ["opd", "verdict"]
    list_select_related = ["application", "opd"]
    search_fields = ["application__registration_number"]


class SiteVisitMemberInline(admin.TabularInline):
    model = SiteVisitMember
    fields = ["position", "officer"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SiteVisit)
class SiteVisitAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Field inspections' appointments and teams, read only: they are set on the file pages,
    under the file's guards."""

    list_display = ["application", "appointment_at", "status", "lead", "proposals"]
    list_filter = ["status"]
    list_select_related = ["application", "lead"]
    search_fields = ["application__registration_number"]
    inlines = [SiteVisitMemberInline]
