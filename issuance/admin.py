"""Read-only views for the office and auditors: bills, bank calls, permits and the register
change only through the services (payment, signing, revocation, sealing), never by hand."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdmin
from issuance.models import BankCallback, Bill, Permit, RegisterDay


@admin.register(Bill)
class BillAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["billing_code", "application", "amount", "status", "due_at", "paid_at"]
    list_filter = ["status", "channel"]
    search_fields = ["billing_code", "reference", "application__registration_number"]


@admin.register(BankCallback)
class BankCallbackAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "outcome", "reason", "bill", "ip_address"]
    list_filter = ["outcome"]
    search_fields = ["body", "bill__billing_code"]


@admin.register(Permit)
class PermitAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["number", "permit_type", "issued_at", "valid_until", "revoked_at"]
    list_filter = ["permit_type__family"]
    search_fields = ["number", "code", "application__registration_number"]


@admin.register(RegisterDay)
class RegisterDayAdmin(ReadOnlyAdmin):
    list_display = ["day", "count", "digest", "sealed_at"]
