from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    name = "permits"
    verbose_name = _("Perizinan")

    def ready(self) -> None:
        # Every hook this app fills or offers is wired here (docs/architecture.md).
        from django.db.models.signals import post_delete, post_save

        from accounts.purposes import sign_in_purpose
        from permits.models import OPD, PermitType, Requirement, SearchNote
        from permits.purposes import apply_for
        from permits.signals import catalogue_changed
        from trail.chain import chained_events_register
        from trail.seals import sealed_models_register

        # What is derived from the catalogue (choices, search, the rendered list) is rebuilt
        # when a type, its requirements, an OPD or a note changes.
        for model in (PermitType, Requirement, OPD, SearchNote):
            for signal in (post_save, post_delete):
                signal.connect(
                    catalogue_changed,
                    sender=model,
                    dispatch_uid=f"permits.catalogue_changed.{model._meta.model_name}",
                )
        sign_in_purpose(apply_for)
        chained_events_register(self.get_model("ApplicationEvent"))
        sealed_models_register(
            "permits.FileMessage", "permits.FileView", "permits.Document", "permits.FormVersion"
        )
