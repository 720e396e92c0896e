"""Matching runs whenever a file's applicant data are written (created, draft edited)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from integrity.services import matches_refresh
from permits.models import Application
from permits.services.applications import APPLICANT_FIELDS


@receiver(post_save, sender=Application, dispatch_uid="integrity.match_on_save")
def match_on_save(sender, instance, created, update_fields=None, **kwargs) -> None:
    if created or (update_fields and set(update_fields) & set(APPLICANT_FIELDS)):
        matches_refresh(instance)
