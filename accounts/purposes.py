"""Where a person was going when they were asked to sign in (``?next=``).

``next`` is kept only when it is a local URL (``url_has_allowed_host_and_scheme``); it
travels from the sign-in page to sign-up, through the contact verification, and back.
The sign-in page says what signing in is for when an app above knows the URL: apps
register a describer with ``sign_in_purpose`` in their ``ready()`` (an extension point
listed in docs/architecture.md, as ``accounts`` sits below the apps whose pages people
sign in to reach).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.urls import Resolver404, ResolverMatch, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme

Describer = Callable[[ResolverMatch], str | None]
_describers: list[Describer] = []


def sign_in_purpose(describer: Describer) -> Describer:
    """Register a function that says, for a URL it knows, what signing in is for, as a
    phrase that follows "Masuk untuk ..." ("mengajukan Surat Izin Praktik Bidan")."""
    if describer not in _describers:
        _describers.append(describer)
    return describer


def safe_next(request, value: str | None) -> str:
    """``value`` when it is a path of this site, otherwise "". A path begins with "/": a
    bare word ("nan") would be read by ``redirect`` as a view name and fail."""
    value = (value or "").strip()
    if value.startswith("/") and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def next_from(request) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


def with_next(name: str, next_url: str) -> str:
    """The URL of view ``name``, carrying ``next`` when there is one."""
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def purpose_of(next_url: str) -> str | None:
    """What signing in is for, when a registered describer knows ``next_url``."""
    if not next_url:
        return None
    try:
        match = resolve(urlsplit(next_url).path)
    except Resolver404:
        return None
    for describer in _describers:
        text = describer(match)
        if text:
            return text
    return None
