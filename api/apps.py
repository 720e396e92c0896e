from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API mitra")

    def ready(self) -> None:
        from api import schema  # noqa: F401  (registers the OpenAPI security extension)
        from trail.seals import sealed_models_register

        # Every partner's call is a record the audit relies on, like a staff act.
        sealed_models_register("api.ApiCall")

        from api.receivers import on_permit_revoked, on_transition
        from issuance.services.issue import permit_revoked
        from permits.services.applications import transition_fired

        # Webhook deliveries, inside the transaction of the act they report.
        transition_fired.connect(on_transition, dispatch_uid="api.webhooks.transition")
        permit_revoked.connect(on_permit_revoked, dispatch_uid="api.webhooks.revoked")
