"""Matching runs whenever a file's applicant data are written (created, draft edited); the
red-flag rules look at each event that one of them depends on, once it commits."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from integrity.flags.registry import rules_for
from integrity.services import matches_refresh
from permits.models import Application, ApplicationEvent
from permits.services.applications import APPLICANT_FIELDS
from portal.queue import enqueue_on_commit


@receiver(post_save, sender=Application, dispatch_uid="integrity.match_on_save")
def match_on_save(sender, instance, created, update_fields=None, **kwargs) -> None:
    if created or (update_fields and set(update_fields) & set(APPLICANT_FIELDS)):
        matches_refresh(instance)


@receiver(post_save, sender=ApplicationEvent, dispatch_uid="integrity.flags_on_event")
def flags_on_event(sender, instance, created, **kwargs) -> None:
    if created and rules_for(instance.action, instance.actor_role):
        from integrity.tasks import evaluate_flags

        enqueue_on_commit(evaluate_flags, instance.pk)
