"""How the inspectorate's pages say values in words: moments in the office's time zone
("17 Nov 2026, 15.27", from ``core.moments``), working time with a decimal comma
("1,5 jam"), people with their role ("Siti Aminah (Petugas loket)"). In the active
language, so English pages read "17 Nov 2026, 15.27" and "1.5 hours"."""

from __future__ import annotations

import datetime

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Role
from core.moments import moment_text


def moment_words(value: datetime.datetime | None) -> str:
    """A moment in the office's time zone (``core.moments``): "17 Nov 2026, 15.27"."""
    return moment_text(value) or "—"


def hours_words(hours) -> str:
    """Working time in words: "2 menit", "1,5 jam", "16 jam"; "—" when unknown."""
    if hours is None or hours == "":
        return "—"
    hours = abs(float(hours))
    if hours < 1:
        minutes = max(1, round(hours * 60))
        return ngettext("%(n)d menit", "%(n)d menit", minutes) % {"n": minutes}
    value = round(hours, 1)
    places = 0 if value == int(value) else 1
    return _("%(n)s jam") % {"n": formats.number_format(value, decimal_pos=places)}


def duration_words(value: datetime.timedelta | None) -> str:
    """A stored duration (an SOP budget, working time used) in hours, as ``hours_words``."""
    if value is None:
        return "—"
    return hours_words(value.total_seconds() / 3600)


def role_words(role: str) -> str:
    """A role code in words ("counter" → "Petugas loket"); "" stays ""."""
    if role in Role.values:
        return str(Role(role).label)
    return role


def person_words(user, role: str = "") -> str:
    """A person with their role in words: "Siti Aminah (Petugas loket)"."""
    if user is None:
        return _("sistem")
    label = role_words(role or getattr(user, "role", ""))
    return f"{user.display_name} ({label})" if label else user.display_name
