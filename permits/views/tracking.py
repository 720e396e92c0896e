"""Public tracking: /lacak/ (by code, or registration number and the NIK's last 4 digits)
and /lacak/<code>/. No sign-in; lookups are rate-limited per address; an unknown file gets
one message whatever was wrong, so nothing tells which codes or numbers exist."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from core.ratelimit import allow, client_address
from core.shell import KeptRenders, kept_page
from core.templatetags.form_errors import page_error
from permits.models import Stage, normalise_tracking_code
from permits.models.application import TRACKING_ALPHABET
from permits.selectors.catalogue import catalogue_version
from permits.selectors.tracking import tracking_code_by_registration, tracking_lookup
from permits.templatetags.permits_tags import sla_badge

NOT_FOUND = _(
    "Berkas tidak ditemukan. Periksa kembali kode lacak pada tanda terima Anda, atau nomor "
    "registrasi dan 4 angka terakhir NIK pemohon."
)
TOO_MANY = _("Terlalu banyak pencarian dari alamat ini. Silakan coba lagi beberapa menit lagi.")


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Kode lacak"), required=False, max_length=20)
    number = forms.CharField(label=_("Nomor registrasi"), required=False, max_length=20)
    nik4 = forms.CharField(label=_("4 angka terakhir NIK"), required=False, max_length=4)

    def clean(self):
        data = super().clean()
        code = normalise_tracking_code(data.get("code", ""))
        if code:
            raw = code.replace("-", "")
            if len(raw) != 12 or any(ch not in TRACKING_ALPHABET for ch in raw):
                raise forms.ValidationError(
                    _("Kode lacak terdiri dari 12 huruf dan angka, misalnya 7KQM-P3XA-9TRD.")
                )
            data["code"] = code
            return data
        number, nik4 = data.get("number", "").strip(), data.get("nik4", "").strip()
        if number or nik4:
            if not (number and len(nik4) == 4 and nik4.isdigit()):
                raise forms.ValidationError(
                    _("Isi nomor registrasi beserta 4 angka terakhir NIK pemohon.")
                )
            return data
        raise forms.ValidationError(
            _("Masukkan kode lacak, atau nomor registrasi dan 4 angka terakhir NIK.")
        )


def _allowed(request, *, miss: bool = False) -> bool:
    """Every lookup counts; failed ones count again, against a tighter limit."""
    who = client_address(request)
    factor = 10 if who in settings.KIOSK_ADDRESSES else 1
    if miss:
        return allow("tracking-miss", who, limit=settings.TRACKING_MISS_LIMIT * factor, window=600)
    return allow("tracking", who, limit=settings.TRACKING_LOOKUP_LIMIT * factor, window=600)


def _is_kiosk(request) -> bool:
    return (request.GET.get("kios") or request.POST.get("kios")) == "1"


def _tracking_url(code: str, kiosk: bool) -> str:
    url = reverse("tracking:file", args=[code])
    return f"{url}?{urlencode({'kios': 1})}" if kiosk else url


def _start(request, form, *, status=200, error=""):
    context = {"form": form, "kiosk": _is_kiosk(request), "error": error}
    if error and request.method == "POST":  # what was looked up: in the summary on top
        target = "id_number" if form.data.get("number") and not form.data.get("code") else "id_code"
        context["page_errors"] = [page_error(error, target=target)]
    return render(request, "permits/tracking/start.html", context, status=status)


# The file's part of the page as rendered HTML, by everything it is drawn from: the rows
# read for it (``Tracking.source``), what the clock shows of them at this moment, the
# language, the kiosk mode and the catalogue's version. A view of the same file that finds
# the same rows and the same clock skips the rendering, nothing else; the panel of a file
# awaiting payment or issued reads its bill or permit as it renders, so those are rendered
# every time. Kept in this process, the most recent 256 (issue 20.6).
_rendered = KeptRenders(256)
_RENDERED_EVERY_TIME = {Stage.AWAITING_PAYMENT, Stage.ISSUED}


def _body(request, tracking, kiosk: bool) -> str:
    context = {"t": tracking, "app": tracking.app, "kiosk": kiosk}
    if tracking.app.state in _RENDERED_EVERY_TIME:
        return render_to_string("permits/tracking/_file.html", context, request)
    key = (
        get_script_prefix(),
        tracking.source,
        # What the page shows of the clock (the badge's time left moves on as it runs).
        sla_badge(tracking.status),
        repr((tracking.status.state, tracking.status.deadline, tracking.check)),
        tracking.working_days_left,
        get_language(),
        kiosk,
        catalogue_version(),
    )
    html = _rendered.get(key)
    if html is None:
        html = _rendered.keep(
            key, render_to_string("permits/tracking/_file.html", context, request)
        )
    return mark_safe(html)  # noqa: S308 (our own template's output, escaped as it was rendered)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track_start(request):
    form = TrackForm(request.POST if request.method == "POST" else None)
    if request.method != "POST":
        return _start(request, form)
    if not _allowed(request):
        return _start(request, form, status=429, error=TOO_MANY)
    if not form.is_valid():
        return _start(request, form, status=400)
    code = form.cleaned_data["code"] or tracking_code_by_registration(
        form.cleaned_data["number"], form.cleaned_data["nik4"]
    )
    if not code or tracking_lookup(code) is None:
        status, error = (404, NOT_FOUND) if _allowed(request, miss=True) else (429, TOO_MANY)
        return _start(request, form, status=status, error=error)
    return redirect(_tracking_url(code, _is_kiosk(request)))


@never_cache
@require_safe
def track(request, code: str):
    if not _allowed(request):
        return _start(request, TrackForm(), status=429, error=TOO_MANY)
    tracking = tracking_lookup(code)
    if tracking is None:
        status, error = (404, NOT_FOUND) if _allowed(request, miss=True) else (429, TOO_MANY)
        return _start(request, TrackForm(), status=status, error=error)
    kiosk = _is_kiosk(request)
    context = {"t": tracking, "app": tracking.app, "kiosk": kiosk}
    response = kept_page(
        request,
        "permits/tracking/file.html",
        context,
        content=_body(request, tracking, kiosk),
        varies=(tracking.app.registration_number, kiosk),  # the title; the kiosk's head
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
