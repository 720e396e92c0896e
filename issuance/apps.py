from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuanceConfig(AppConfig):
    name = "issuance"
    verbose_name = _("Penerbitan izin")

    def ready(self) -> None:
        from issuance.receivers import on_transition
        from permits.services.applications import transition_fired

        # Bills and the permit itself, inside each transition's transaction.
        transition_fired.connect(on_transition, dispatch_uid="issuance.transition")
