from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from worktime.models import DayOverride, ServiceHours


@admin.register(ServiceHours)
class ServiceHoursAdmin(SimpleHistoryAdmin):
    list_display = ["weekday", "is_open", "opens", "closes"]
    list_editable = ["is_open", "opens", "closes"]
    ordering = ["weekday"]


@admin.register(DayOverride)
class DayOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]
