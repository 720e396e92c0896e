from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from places.models import Desa, Kecamatan, Regency


@admin.register(Regency)
class RegencyAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name"]


class DesaInline(admin.TabularInline):
    model = Desa
    fields = ["code", "name", "active"]
    extra = 0


@admin.register(Kecamatan)
class KecamatanAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]
    inlines = [DesaInline]


@admin.register(Desa)
class DesaAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kecamatan", "active"]
    list_filter = ["active", "kecamatan"]
    search_fields = ["code", "name"]
    list_select_related = ["kecamatan"]
