from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "worktime"
    verbose_name = _("Kalender kerja")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from worktime.models import DayOverride, ServiceHours
        from worktime.signals import calendar_changed

        # A change of service hours or of a day off rebuilds the cached calendar.
        for model in (ServiceHours, DayOverride):
            for signal in (post_save, post_delete):
                signal.connect(
                    calendar_changed,
                    sender=model,
                    dispatch_uid=f"worktime.calendar_changed.{model._meta.model_name}",
                )
