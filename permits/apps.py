from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    name = "permits"
    verbose_name = _("Perizinan")

    def ready(self) -> None:
        from permits import purposes, signals  # noqa: F401 (connect the receivers, hooks)
