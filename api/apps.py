import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# How long a recorded call may wait for its seal before the verifier calls it forged: the
# catch-up its call asks for runs a second later, the sweep every minute.
CALLS_SEALED_WITHIN = datetime.timedelta(minutes=10)


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API mitra")

    def ready(self) -> None:
        from api import schema  # noqa: F401  (registers the OpenAPI security extension)
        from trail.seals import sealed_later_register

        # Every partner's call is a record the audit relies on, like a staff act: sealed a
        # moment after it is recorded, in batches (issue 21.9; trail.seals explains).
        sealed_later_register("api.ApiCall", at="at", within=CALLS_SEALED_WITHIN)

        from api.receivers import on_permit_revoked, on_transition
        from issuance.services.issue import permit_revoked
        from permits.services.applications import transition_fired

        # Webhook deliveries, inside the transaction of the act they report.
        transition_fired.connect(on_transition, dispatch_uid="api.webhooks.transition")
        permit_revoked.connect(on_permit_revoked, dispatch_uid="api.webhooks.revoked")
