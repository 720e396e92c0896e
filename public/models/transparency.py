"""The transparency dashboard's cached figures: one snapshot per period, refreshed by a task."""

from django.db import models

from core.moments import moment_text


class DashboardSnapshot(models.Model):
    """The dashboard of one period (``2026``, ``2026-11``) as computed at ``computed_at``.

    ``refresh_requested_at`` is the claim of the one refresh under way (single flight): a
    request that finds the snapshot stale or missing claims it and enqueues the task, the
    others serve what is stored. A period never computed has no data until the task ran."""

    period = models.CharField(max_length=7, unique=True)
    data = models.JSONField(null=True)
    computed_at = models.DateTimeField(null=True)
    refresh_requested_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        when = moment_text(self.computed_at) if self.computed_at else "-"
        return f"{self.period} @ {when}"

    @property
    def ready(self) -> bool:
        return self.data is not None
