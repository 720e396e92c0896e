from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def rupiah(amount: int | None) -> str:
    """Rupiah with Indonesian digit grouping: 150000 -> "Rp150.000"; 0 -> "Gratis"."""
    if not amount:
        return _("Gratis")
    return "Rp" + f"{int(amount):,}".replace(",", ".")
