"""The page around a public page's content, kept rendered for visitors not signed in
(issue 20.6: the base template was a third of the tracking page's time).

For a visitor not signed in, on a GET with no message waiting, what ``base.html`` draws
around a page's content depends only on the page's template and the context its blocks read
(title, head, body class: the caller names what varies), the language, the address (the
language switch returns to it) and the visitor's CSRF token. ``kept_page`` renders the
template once with slots for the content and the token, keeps it, and fills the slots per
request with this visitor's own token. Anyone else (signed in, a message to show, another
method) gets the ordinary render.
"""

from __future__ import annotations

from collections import OrderedDict

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import RequestContext, loader
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

CONTENT_SLOT = "terang-content-slot-3c9a"
CSRF_SLOT = "terang-csrf-slot-51b0"
KEPT = 512  # the most recent, in this process
_kept: OrderedDict[tuple, str] = OrderedDict()


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
    shell = _kept.get(key)
    if shell is None:
        page = RequestContext(request, {**context, "content": CONTENT_SLOT})
        # Above what the context processors add when the template binds (the real token
        # among them): the kept page holds a slot, never a visitor's token.
        page.push({"csrf_token": CSRF_SLOT})
        shell = _kept[key] = loader.get_template(template).template.render(page)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    before, _slot, after = shell.partition(CONTENT_SLOT)
    token = get_token(request)  # letters and digits
    page = before.replace(CSRF_SLOT, token) + content + after.replace(CSRF_SLOT, token)
    return HttpResponse(page)


def _messages_waiting(request) -> bool:
    return bool(len(get_messages(request)))  # counted, not read: they stay to be shown


def forget() -> None:
    _kept.clear()
