from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "places"
    verbose_name = _("Wilayah")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from places.models import Desa, Kecamatan
        from places.selectors import places_changed

        # A place added, renamed or retired rebuilds the cached filter choices.
        for model in (Kecamatan, Desa):
            for signal in (post_save, post_delete):
                signal.connect(
                    places_changed,
                    sender=model,
                    dispatch_uid=f"places.places_changed.{model._meta.model_name}",
                )
