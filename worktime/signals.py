from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from worktime.calendar import invalidate_calendar
from worktime.models import DayOverride, ServiceHours


@receiver([post_save, post_delete], sender=ServiceHours)
@receiver([post_save, post_delete], sender=DayOverride)
def calendar_changed(**kwargs) -> None:
    invalidate_calendar()
