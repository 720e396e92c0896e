"""What every partner operation shares: the bearer token of an active partner, the scope
the operation needs (checked against the token and against the partner as it is now), the
partner's rate, the caller's language, and the record of the call.

An operation is a ``PartnerView`` naming its scope per method (``scopes``). The views stay
thin: they call the same services and selectors as the pages (issue 21.6).
"""

from __future__ import annotations

from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.views import APIView

from api.models import ApiCall, CallOutcome
from api.permissions import PartnerRate, PartnerScope, partner_of
from trail.seals import seals_catch_up_soon

LANGUAGES = ("id", "en")


def api_language(request) -> str:
    """Indonesian unless ``Accept-Language`` prefers English (ranked by Django's own parser,
    which also bounds the header's length); cookies and sessions play no part."""
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        primary = code.split("-")[0]
        if primary in LANGUAGES:
            return primary
    return "id"


def in_callers_language(request, respond):
    """``respond()`` in the caller's language, the answer saying which."""
    language = api_language(request)
    with translation.override(language):
        response = respond()
    response.headers["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language"])
    return response


OUTCOMES = {
    400: CallOutcome.INVALID,
    401: CallOutcome.REFUSED,
    403: CallOutcome.REFUSED,
    404: CallOutcome.NOT_FOUND,
    409: CallOutcome.REFUSED,
    429: CallOutcome.LIMITED,
}


def _outcome(status: int) -> str:
    if status < 400:
        return CallOutcome.OK
    return OUTCOMES.get(status, CallOutcome.INVALID if status < 500 else CallOutcome.FAILED)


class PartnerView(APIView):
    authentication_classes = [OAuth2Authentication]
    permission_classes = [PartnerScope]
    throttle_classes = [PartnerRate]
    scopes: dict[str, str] = {}  # HTTP method -> the scope it needs

    def scope_for(self, request) -> str:
        return self.scopes.get(request.method, self.scopes.get("GET", ""))

    def dispatch(self, request, *args, **kwargs):
        self.target = ""  # what the call was about, set by the operation
        response = in_callers_language(
            request, lambda: super(PartnerView, self).dispatch(request, *args, **kwargs)
        )
        patch_vary_headers(response, ["Authorization"])
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        call_record(request, response, self)
        return response


def call_record(request, response, view: PartnerView) -> None:
    """Keep the call: one INSERT, sealed a moment later with the calls around it
    (``trail.seals.sealed_later_register``). A call no partner can be named for (no or a
    bad token) is left to the access log."""
    partner = partner_of(request)
    if partner is None:
        return
    match = getattr(request, "resolver_match", None)
    ApiCall.objects.create(
        partner=partner,
        method=request.method[:10],
        operation=(match.url_name if match else "")[:80] or "-",
        scope=view.scope_for(request)[:40],
        target=str(getattr(view, "target", ""))[:120],
        status=response.status_code,
        outcome=_outcome(response.status_code),
        request_id=getattr(request, "request_id", "")[:64],
    )
    seals_catch_up_soon()
