from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from permits.models import OPD, PermitType, SearchNote
from permits.selectors import catalogue_choices_invalidate


@receiver([post_save, post_delete], sender=PermitType)
@receiver([post_save, post_delete], sender=OPD)
@receiver([post_save, post_delete], sender=SearchNote)
def catalogue_changed(**kwargs) -> None:
    catalogue_choices_invalidate()
