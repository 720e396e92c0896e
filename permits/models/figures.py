"""Per-day figures of the office's files: what the transparency dashboard and the monthly
monev report add up, kept as the files move (``permits.services.figures``).

A day is a calendar day in the office's time zone. A file counts on the day of the act:

- received: the day it was submitted (``submit``; a resubmission after a return is not a
  new file);
- returned: each return to the applicant (``return_to_applicant``);
- finished: the day it ended (issued, rejected, withdrawn, expired).

The type's row counts a finished file only when its SOP clock had started (a file never
declared complete has no SOP time to judge), and keeps its working time and budget so that
medians and percentiles stay exact. The place's row (the kecamatan the permit is about, as
the file's details named it at the act; an empty code for types that name no place) counts
every received and finished file, so a day's places add up to the day's files.
"""

from __future__ import annotations

from django.db import models

from permits.models.catalogue import PermitType


class DailyTypeFigures(models.Model):
    """One permit type's files on one office day."""

    day = models.DateField()
    permit_type = models.ForeignKey(PermitType, on_delete=models.PROTECT, related_name="+")
    received = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    # One [work_used, sop_budget] per finished file, in microseconds (budget null when the
    # clock started without one): the exact inputs of the medians and percentiles.
    times = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "permit_type"], name="one_figures_per_type_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.permit_type_id}: +{self.received} -{self.finished}"


class DailyPlaceFigures(models.Model):
    """Files about one kecamatan on one office day."""

    day = models.DateField()
    kecamatan = models.CharField(max_length=8, blank=True)
    received = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "kecamatan"], name="one_figures_per_place_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kecamatan}: +{self.received} -{self.finished}"
