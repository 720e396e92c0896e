"""The office's working-day calendar: service hours per weekday and local days off.

National holidays and cuti bersama (collective leave) come from the ``holidays`` package;
the admin adds local days off (a regency anniversary) or removes a national day the office
works anyway. ``worktime.calendar`` turns these rows into working-time arithmetic.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Senin")
    TUESDAY = 1, _("Selasa")
    WEDNESDAY = 2, _("Rabu")
    THURSDAY = 3, _("Kamis")
    FRIDAY = 4, _("Jumat")
    SATURDAY = 5, _("Sabtu")
    SUNDAY = 6, _("Minggu")


# Mon–Thu 08:00–15:30, Fri 08:00–15:00: a regional government office's usual hours. Used
# while the ServiceHours table is empty (its migration installs the same rows).
DEFAULT_SERVICE_HOURS = {
    Weekday.MONDAY: (datetime.time(8), datetime.time(15, 30)),
    Weekday.TUESDAY: (datetime.time(8), datetime.time(15, 30)),
    Weekday.WEDNESDAY: (datetime.time(8), datetime.time(15, 30)),
    Weekday.THURSDAY: (datetime.time(8), datetime.time(15, 30)),
    Weekday.FRIDAY: (datetime.time(8), datetime.time(15)),
}


class ServiceHours(models.Model):
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices, unique=True)
    is_open = models.BooleanField(_("buka"), default=True)
    opens = models.TimeField(_("jam buka"), default=datetime.time(8))
    closes = models.TimeField(_("jam tutup"), default=datetime.time(15, 30))

    history = HistoricalRecords()

    class Meta:
        ordering = ["weekday"]
        verbose_name = _("jam layanan")
        verbose_name_plural = _("jam layanan")

    def __str__(self) -> str:
        if not self.is_open:
            closed = _("tutup")
            return f"{self.get_weekday_display()}: {closed}"
        return f"{self.get_weekday_display()}: {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.is_open and self.opens >= self.closes:
            raise ValidationError({"closes": _("Jam tutup harus setelah jam buka.")})


class DayOverride(models.Model):
    """A local change to the national calendar for one date."""

    class Kind(models.TextChoices):
        DAY_OFF = "off", _("Libur lokal (tambahan)")
        WORKING_DAY = "working", _("Tetap masuk kerja (hapus libur nasional)")

    date = models.DateField(_("tanggal"), unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("keterangan"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("perubahan hari kerja")
        verbose_name_plural = _("perubahan hari kerja")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}: {self.name}"
