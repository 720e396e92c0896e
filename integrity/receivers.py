"""Matching runs whenever a file's applicant data or details are written (created, draft
edited, corrected); the red-flag rules look at each event that one of them depends on,
once it commits."""

from core.queue import enqueue_on_commit
from integrity.conflicts.services.matches import matches_refresh
from integrity.inspection.flags.registry import rules_for
from permits.services.applications import APPLICANT_FIELDS


def match_on_save(sender, instance, created, update_fields=None, **kwargs) -> None:
    if created or (update_fields and set(update_fields) & {*APPLICANT_FIELDS, "details"}):
        matches_refresh(instance)


def flags_on_event(sender, instance, created, **kwargs) -> None:
    if created and rules_for(instance.action, instance.actor_role):
        from integrity.tasks import evaluate_flags

        enqueue_on_commit(evaluate_flags, instance.pk)
