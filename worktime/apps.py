from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "worktime"
    verbose_name = _("Kalender kerja")

    def ready(self) -> None:
        from worktime import signals  # noqa: F401  (connects the cache invalidation)
