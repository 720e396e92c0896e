"""The page around a public page's content, kept rendered for visitors not signed in
(issue 20.6: the base template was a third of the tracking page's time), and the slots
any kept render fills per request.

For a visitor not signed in, on a GET with no message waiting, what ``base.html`` draws
around a page's content depends only on the page's template and the context its blocks read
(title, head, body class: the caller names what varies), the language, the address (the
language switch returns to it) and the visitor's CSRF token. ``kept_page`` renders the
template once with slots for the content and the token, keeps it, and fills the slots per
request with this visitor's own token. Anyone else (signed in, a message to show, another
method) gets the ordinary render.

A slot is a fresh random string for each render, and the kept render is cut at its slots
once: nothing rendered into the page (an address, a name anyone typed) can be taken for
a slot, and the content put in one is never searched.
"""

from __future__ import annotations

import re
import secrets
from collections import OrderedDict

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import RequestContext, loader
from django.utils.safestring import mark_safe
from django.utils.translation import get_language


class KeptRenders:
    """Renders kept in this process by key, at most ``size`` of them (the oldest kept goes
    first): the one store of every page part kept rendered."""

    def __init__(self, size: int):
        self.size = size
        self._renders: OrderedDict = OrderedDict()

    def get(self, key):
        return self._renders.get(key)

    def keep(self, key, render):
        """``render`` kept under ``key``; returns it."""
        self._renders[key] = render
        while len(self._renders) > self.size:
            self._renders.popitem(last=False)
        return render

    def clear(self) -> None:
        self._renders.clear()


_kept = KeptRenders(512)  # the pages around public content


def slots_new(*names: str) -> dict[str, str]:
    """A fresh slot string per name, for one render."""
    return {name: f"slot-{secrets.token_hex(16)}" for name in names}


def slots_split(html: str, slots: dict[str, str]) -> tuple[str, ...]:
    """``html`` cut at its ``slots``: literal text at even places, slot names at odd ones."""
    names = {value: name for name, value in slots.items()}
    pieces = re.split("(" + "|".join(re.escape(value) for value in names) + ")", html)
    return tuple(names[piece] if i % 2 else piece for i, piece in enumerate(pieces))


def slots_fill(parts: tuple[str, ...], values: dict[str, str]) -> str:
    """The kept render with each slot filled (``values`` by slot name)."""
    return "".join(values[part] if i % 2 else part for i, part in enumerate(parts))


def kept_page(request, template: str, context: dict, *, content: str, varies=()) -> HttpResponse:
    """``render(request, template, context | {"content": content})``, the page around the
    content kept by (template, language, address, ``varies``) for anonymous GETs."""
    if (
        request.method not in ("GET", "HEAD")
        or request.user.is_authenticated
        or _messages_waiting(request)
    ):
        return render(request, template, {**context, "content": mark_safe(content)})  # noqa: S308
    key = (template, get_language(), request.get_full_path(), tuple(varies))
    parts = _kept.get(key)
    if parts is None:
        slots = slots_new("content", "csrf")
        page = RequestContext(request, {**context, "content": mark_safe(slots["content"])})  # noqa: S308
        # Above what the context processors add when the template binds (the real token
        # among them): the kept page holds a slot, never a visitor's token.
        page.push({"csrf_token": slots["csrf"]})
        html = loader.get_template(template).template.render(page)
        parts = _kept.keep(key, slots_split(html, slots))
    # The token is letters and digits; the content is our own template's output.
    return HttpResponse(slots_fill(parts, {"content": content, "csrf": get_token(request)}))


def _messages_waiting(request) -> bool:
    return bool(len(get_messages(request)))  # counted, not read: they stay to be shown


def forget() -> None:
    _kept.clear()
