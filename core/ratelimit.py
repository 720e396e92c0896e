"""A fixed-window counter per key in the shared cache (Redis in production).

``allow("tracking", ip, limit=30, window=600)`` is True for the first 30 calls from ``ip`` in
a 10-minute window, then False until the window ends. Works the same on the local-memory
cache of the embedded default.
"""

import ipaddress
import time
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The visitor's address, for the rate limits and django-axes alike.

    REMOTE_ADDR, unless it is a trusted proxy (``settings.TRUSTED_PROXIES``: the Caddy in
    front); then X-Forwarded-For is read from the right, past the trusted proxies, and the
    first other address is the visitor's. A client talking to us directly, or an address
    it wrote itself at the left of the header, is never believed.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    if not _trusted(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part.strip() for part in forwarded.split(",")]):
        if not _valid(hop):
            break  # a malformed hop: nothing left of it can be believed
        if not _trusted(hop):
            return hop
    return remote


def axes_client_address(request) -> str | None:
    """``client_address`` for django-axes, which stores it in an IP address column: None
    when the request has no address (a test client's ``login()``, a management command)."""
    address = client_address(request)
    return address if _valid(address) else None


@memoize
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def _trusted(address: str) -> bool:
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _valid(address):
        return False
    return any(ipaddress.ip_address(address) in network for network in networks)


def allow(scope: str, who: str, *, limit: int, window: int) -> bool:
    bucket = int(time.time() // window)
    key = f"ratelimit:{scope}:{who}:{bucket}"
    if cache.add(key, 1, timeout=window + 5):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        count = 1
    return count <= limit
