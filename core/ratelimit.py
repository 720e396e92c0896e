"""A fixed-window counter per key, shared through the cache (Redis in production).

``allow("tracking", ip, limit=30, window=600)`` is True for the first 30 calls from ``ip`` in
a 10-minute window, then False until the window ends. Works the same on the local-memory
cache of the embedded default.

A request within a visitor's ordinary pace costs no round trip to Redis (issue 20.6).
Each process counts in its own memory and knows the window's total as of its last
exchange with the cache. A request is allowed at once while that total plus what the
process counted since stays under the limit, and while the process has not counted more
than a tenth of the limit since its last exchange. The counts go to the cache in the
background, every ``RATELIMIT_FLUSH_SECONDS`` (one increment per key touched), and come
back as the new total. Any other request asks the cache there and then, and is refused
only if the shared total says so. So a visitor spread over N processes gets at most
N tenths of the limit beyond it per flush interval, and never less than the limit.
While Redis is down each process still counts on its own.
"""

import ipaddress
import logging
import os
import threading
import time
from dataclasses import dataclass
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache

from core.cache import CacheUnavailable


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


logger = logging.getLogger(__name__)
LOCAL_SHARE = 10  # a process allows a tenth of a limit between two exchanges with the cache


@dataclass
class _Count:
    window: int
    known: int = 0  # the shared total as of the last exchange (our sent counts included)
    pending: int = 0  # counted here since, not yet sent


class Limiter:
    """The counters of one process (``limiter``; tests make more, as other processes)."""

    def __init__(self):
        self._counts: dict[str, _Count] = {}
        self._lock = threading.Lock()
        self._thread_pid = None

    def allow(self, scope: str, who: str, *, limit: int, window: int) -> bool:
        if limit < 1:
            return False
        key = f"ratelimit:{scope}:{_visitor(who)}:{int(time.time() // window)}"
        with self._lock:
            count = self._counts.setdefault(key, _Count(window))
            share = max(1, limit // LOCAL_SHARE)
            if count.known + count.pending < limit and count.pending < share:
                count.pending += 1
                self._ensure_flusher()
                return True
            count.pending += 1  # this request, sent now with the rest
            sending, count.pending = count.pending, 0
        total = self._send(key, sending, window)
        with self._lock:
            if total is None:  # the cache is down: what this process counted decides
                count.pending += sending
                return count.known + count.pending <= limit
            count.known = max(count.known, total)
            return total <= limit

    def flush(self) -> None:
        """Send every count made here since the last flush; learn the shared totals."""
        with self._lock:
            now = time.time()
            for key in [k for k, c in self._counts.items() if _expired(k, c, now)]:
                del self._counts[key]
            batch = [(key, c.pending, c.window) for key, c in self._counts.items() if c.pending]
            for key, _sent, _window in batch:
                self._counts[key].pending = 0
        for key, sent, window in batch:
            total = self._send(key, sent, window)
            with self._lock:
                count = self._counts.get(key)
                if count is None:
                    continue
                if total is None:
                    count.pending += sent  # kept for the next flush
                else:
                    count.known = max(count.known, total)

    def forget(self) -> None:
        with self._lock:
            self._counts.clear()

    def _send(self, key: str, delta: int, window: int) -> int | None:
        """Add ``delta`` to the shared count; its new total, or None if the cache is down."""
        try:
            if cache.add(key, delta, timeout=window + 5):
                return delta
            return cache.incr(key, delta)
        except CacheUnavailable:  # Redis is down: counted here meanwhile
            return None
        except ValueError:  # expired between add and incr
            cache.add(key, delta, timeout=window + 5)
            return delta

    def _ensure_flusher(self) -> None:
        every = settings.RATELIMIT_FLUSH_SECONDS
        if every <= 0 or self._thread_pid == os.getpid():
            return
        self._thread_pid = os.getpid()  # a forked worker starts its own
        threading.Thread(target=self._flush_forever, args=(every,), daemon=True).start()

    def _flush_forever(self, every: float) -> None:
        while True:
            time.sleep(every)
            try:
                self.flush()
            except Exception:  # never let the flusher die: the next round tries again
                logger.exception("Rate-limit flush failed")


def _visitor(who: str) -> str:
    """An IPv6 address counts as its /64: one household or phone is given a whole /64
    and may take any address in it, so counting addresses would count nothing."""
    try:
        address = ipaddress.ip_address(who)
    except ValueError:
        return who
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return who


def _expired(key: str, count: _Count, now: float) -> bool:
    bucket = int(key.rsplit(":", 1)[1])
    return (bucket + 1) * count.window < now - 5 and not count.pending


limiter = Limiter()


def allow(scope: str, who: str, *, limit: int, window: int) -> bool:
    return limiter.allow(scope, who, limit=limit, window=window)
