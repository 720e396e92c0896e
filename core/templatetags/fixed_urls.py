"""``{% fixed_url "name" %}``: ``{% url "name" %}`` for a route that takes no arguments,
reversed once per URLconf and script prefix in this process. The base template links a
dozen such routes on every page, and reversing them was a sixth of the public tracking
page's time (issue 20.6)."""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

_reversed: dict[tuple, str] = {}


@register.simple_tag
def fixed_url(name: str) -> str:
    key = (name, get_urlconf(), get_script_prefix())
    url = _reversed.get(key)
    if url is None:
        url = _reversed[key] = reverse(name)
    return url


@receiver(setting_changed)
def _urlconf_changed(*, setting, **kwargs) -> None:
    """``override_settings(ROOT_URLCONF=…)`` (tests, the bench) leaves ``get_urlconf()``
    at None: what was reversed under the old URLconf is forgotten, as Django's own caches."""
    if setting == "ROOT_URLCONF":
        _reversed.clear()
