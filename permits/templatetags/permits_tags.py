from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def rupiah(amount: int | None) -> str:
    """Rupiah with Indonesian digit grouping: 150000 -> "Rp150.000"; 0 -> "Gratis"."""
    if not amount:
        return _("Gratis")
    return "Rp" + f"{int(amount):,}".replace(",", ".")


@register.filter
def working_duration(value) -> str:
    """A working-time duration in words, sign dropped: "2 jam 30 menit kerja"."""
    if value is None:
        return ""
    minutes = abs(int(value.total_seconds())) // 60
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(h)d jam %(m)d menit kerja") % {"h": hours, "m": minutes}
    if hours:
        return _("%(h)d jam kerja") % {"h": hours}
    return _("%(m)d menit kerja") % {"m": minutes}
