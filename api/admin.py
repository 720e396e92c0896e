"""Partners in the admin: registered (the client secret shown once), their scopes and rate
changed, deactivated; never deleted. Their calls are listed read-only.

django-oauth-toolkit's own admin pages are taken down: a client made there would have no
partner and could never call (``api.permissions.PartnerScope``), and deleting one would
orphan a partner's record. Partners are the one place."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_value
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)
from simple_history.admin import SimpleHistoryAdmin

from api.models import (
    ApiCall,
    DeliveryStatus,
    Partner,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from api.scopes import SCOPES
from api.services import partner_deactivate, partner_register
from api.webhooks import delivery_replay
from core.admin import ReadOnlyAdmin

for model in (
    get_application_model(),
    get_access_token_model(),
    get_grant_model(),
    get_id_token_model(),
    get_refresh_token_model(),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class PartnerForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("cakupan yang diberikan"),
        choices=[(name, f"{name}: {text}") for name, text in SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Partner
        fields = ["name", "kind", "scopes", "reads_all_files", "calls_per_minute"]


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    form = PartnerForm
    list_display = ["name", "kind", "client_id", "active", "calls_per_minute"]
    list_filter = ["kind", "active"]
    readonly_fields = ["client_id", "active", "created_at", "deactivated_at"]
    actions = ["deactivate"]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fields(self, request, obj=None):
        fields = ["name", "kind", "scopes", "reads_all_files", "calls_per_minute"]
        return [*fields, *self.readonly_fields] if obj else fields

    def save_model(self, request, obj, form, change):
        if change:
            obj._history_user = request.user
            super().save_model(request, obj, form, change)
            return
        partner, secret = partner_register(
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            scopes=form.cleaned_data["scopes"],
            by=request.user,
            reads_all_files=form.cleaned_data["reads_all_files"],
            calls_per_minute=form.cleaned_data["calls_per_minute"],
        )
        obj.pk = partner.pk
        messages.warning(
            request,
            _(
                "Mitra terdaftar. client_id: %(id)s · client_secret: %(secret)s. Rahasia ini "
                "hanya tampil sekali: serahkan kepada mitra melalui saluran aman."
            )
            % {"id": partner.client_id, "secret": secret},
        )

    @admin.action(description=_("Nonaktifkan mitra terpilih (token dicabut)"))
    def deactivate(self, request, queryset):
        for partner in queryset:
            partner_deactivate(partner=partner, by=request.user)


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnlyAdmin):
    list_display = ["at", "partner", "method", "operation", "target", "status", "outcome"]
    list_filter = ["outcome", "partner"]
    date_hierarchy = "at"


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ReadOnlyAdmin):
    """Partners make their subscriptions through the API; here they are read (never their
    secret)."""

    list_display = ["partner", "url", "active", "created_at"]
    list_filter = ["active", "partner"]
    exclude = ["secret"]


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["at", "status_code", "error", "duration_ms"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    """Every delivery and its attempts; a parked one (``dead``) is replayed from here."""

    list_display = ["created_at", "event", "partner", "status", "attempts", "delivered_at"]
    list_filter = ["status", "event", "subscription__partner"]
    list_select_related = ["subscription__partner"]
    date_hierarchy = "created_at"
    inlines = [AttemptInline]
    actions = ["replay"]
    fields = [
        "subscription", "event", "status", "attempts", "next_attempt", "created_at",
        "delivered_at", "replayed_by", "replayed_at", "payload",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("mitra"), ordering="subscription__partner__name")
    def partner(self, delivery):
        return delivery.subscription.partner

    @admin.display(description=_("coba lagi pada"))
    def next_attempt(self, delivery):
        """None for a delivery that is delivered or parked: nothing more is tried."""
        shown = delivery.next_attempt_at if delivery.status == DeliveryStatus.PENDING else None
        return display_for_value(shown, self.get_empty_value_display())

    def get_actions(self, request):
        actions = super().get_actions(request)  # ReadOnlyAdmin: no change, but this acts
        if "replay" not in actions:
            actions["replay"] = self.get_action("replay")
        return actions

    @admin.action(description=_("Kirim ulang kiriman yang terhenti"))
    def replay(self, request, queryset):
        parked = list(queryset.filter(status=DeliveryStatus.DEAD))
        for delivery in parked:
            delivery_replay(delivery, by=request.user)
        self.message_user(
            request, _("%(n)d kiriman dijadwalkan ulang.") % {"n": len(parked)}, messages.SUCCESS
        )
