"""The transparency dashboard's cached figures: one snapshot per period, refreshed by a task."""

from django.db import models

from core.moments import moment_text


class DashboardSnapshot(models.Model):
    """The dashboard of one period (``2026``, ``2026-11``) as computed at ``computed_at``."""

    period = models.CharField(max_length=7, unique=True)
    data = models.JSONField()
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.period} @ {moment_text(self.computed_at)}"
