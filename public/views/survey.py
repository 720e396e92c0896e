"""The satisfaction survey, answered through the single-use link sent when a file ends
(/survei/<token>/). No sign-in: the token is the key, kept only as a hash. The page shows
the file's permit type and unit, never personal data; nothing is cached."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from core.ratelimit import allow, client_address
from public.services.survey import SurveyRefused, invitation_answer, invitation_for
from public.survey_forms import SurveyForm

# Unknown links per address in ten minutes before the page stops answering (tokens are
# unguessable; this only keeps a scanner from hammering the table).
MISS_LIMIT = 30
STATUS = {"unknown": 404, "used": 410, "expired": 410}


def _closed(request, refused: SurveyRefused):
    status = STATUS.get(refused.reason, 400)
    if refused.reason == "unknown" and not allow(
        "survey-miss", client_address(request), limit=MISS_LIMIT, window=600
    ):
        status = 429
        refused = SurveyRefused(
            _("Terlalu banyak percobaan dari alamat ini. Silakan coba lagi beberapa menit lagi."),
            "unknown",
        )
    context = {"message": refused.message, "reason": refused.reason}
    return _private(render(request, "public/survey/closed.html", context, status=status))


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token is in the address: never sent to another site (same-origin keeps the
    # Origin header that the CSRF check needs; "no-referrer" would make it "null").
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request, token: str):
    try:
        invitation = invitation_for(token)
    except SurveyRefused as refused:
        return _closed(request, refused)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            answers = form.answers()
            try:
                invitation_answer(invitation=invitation, **answers)
            except SurveyRefused as refused:
                if refused.reason != "invalid":
                    return _closed(request, refused)
                form.add_error(None, refused.message)
            else:
                url = reverse("survey:thanks")
                if any(answers["integrity"].values()):
                    url += "?lapor=1"
                return redirect(url)
        status = 400
    app = invitation.application
    context = {
        "form": form,
        "permit_type": app.permit_type,
        "unit": app.permit_type.opd,
        "finished_at": app.finished_at,
        "expires_at": invitation.expires_at,
    }
    return _private(render(request, "public/survey/answer.html", context, status=status))


@never_cache
@require_safe
def thanks(request):
    context = {"reported": request.GET.get("lapor") == "1"}
    return _private(render(request, "public/survey/thanks.html", context))
