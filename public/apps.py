from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """What the public holds the office to: complaints, the satisfaction survey, the
    integrity index and the transparency dashboard."""

    name = "public"
    verbose_name = _("Akuntabilitas publik")

    def ready(self) -> None:
        from public import (  # noqa: F401  (they register themselves)
            monev,
            receivers,
            story,
        )
