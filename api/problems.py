"""Every API error in one format: RFC 9457 problem details (issue 21.5).

``application/problem+json`` with ``type`` (a stable URI naming the kind of problem),
``title`` (the kind, in the caller's language: Indonesian unless ``Accept-Language`` asks
for English), ``status``, ``detail`` (this occurrence) and, for bad input, ``errors``: per
field, the same messages the pages show.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.views import set_rollback

from permits.services.context import ActionRefused
from permits.services.documents import UploadRefused

PROBLEM_TYPE = "https://terang.go.id/problems/{}"
MEDIA_TYPE = "application/problem+json"

# The kind of problem per status: its type's slug and title.
KINDS = {
    400: ("invalid-input", gettext_lazy("Masukan tidak sah")),
    401: ("unauthenticated", gettext_lazy("Perlu token akses")),
    403: ("forbidden", gettext_lazy("Tidak berwenang")),
    404: ("not-found", gettext_lazy("Tidak ditemukan")),
    405: ("method-not-allowed", gettext_lazy("Metode tidak didukung")),
    406: ("not-acceptable", gettext_lazy("Format jawaban tidak didukung")),
    409: ("conflict", gettext_lazy("Bertentangan dengan keadaan berkas")),
    413: ("too-large", gettext_lazy("Kiriman terlalu besar")),
    415: ("unsupported-media-type", gettext_lazy("Jenis isi tidak didukung")),
    422: ("unprocessable", gettext_lazy("Tidak dapat diproses")),
    429: ("too-many-requests", gettext_lazy("Terlalu banyak panggilan")),
}


# The API's own words for what DRF raises with an English default (DRF is not an installed
# app, so its catalogue is not loaded: see portal.settings).
OWN_DETAILS = {
    exceptions.NotAuthenticated: gettext_lazy(
        "Sertakan token akses yang sah: Authorization: Bearer <token>."
    ),
    exceptions.AuthenticationFailed: gettext_lazy("Token akses tidak sah atau sudah kedaluwarsa."),
    exceptions.NotFound: "",  # the view's own words when it gives some, else none
    exceptions.MethodNotAllowed: gettext_lazy("Metode ini tidak didukung di alamat ini."),
    exceptions.NotAcceptable: gettext_lazy("Jawaban hanya tersedia sebagai JSON."),
    exceptions.UnsupportedMediaType: gettext_lazy("Kirim isi permintaan sebagai JSON."),
    exceptions.ParseError: gettext_lazy("Isi permintaan bukan JSON yang sah."),
}


def _detail(exc: exceptions.APIException) -> str:
    if isinstance(exc, exceptions.Throttled):
        return _("Coba lagi setelah %(seconds)s detik.") % {"seconds": int(exc.wait or 60)}
    for kind, text in OWN_DETAILS.items():
        if isinstance(exc, kind) and text:
            return str(text)
    detail = exc.detail if isinstance(exc.detail, str) else ""
    # A message the API gave ("not issued yet", a permission's own words) is kept; DRF's
    # English default not.
    return "" if str(detail) == str(type(exc).default_detail) else str(detail)


def problem(status_code: int, detail: str = "", *, instance: str = "", **extra) -> JsonResponse:
    slug, title = KINDS.get(status_code, ("error", gettext_lazy("Kesalahan")))
    body = {"type": PROBLEM_TYPE.format(slug), "title": str(title), "status": status_code}
    if detail:
        body["detail"] = str(detail)
    if instance:
        body["instance"] = instance
    body.update(extra)
    return JsonResponse(
        body, status=status_code, content_type=MEDIA_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def _field_errors(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            key: [str(m) for m in (value if isinstance(value, list) else [value])]
            for key, value in detail.items()
        }
    messages = detail if isinstance(detail, list) else [detail]
    return {"non_field_errors": [str(m) for m in messages]}


class Refused(exceptions.APIException):
    """A service's refusal (``ActionRefused``): the act conflicts with the file as it is
    now (a stage moved on, a document missing, the file held); its message says why."""

    status_code = 409


def problem_handler(exc, context):
    """DRF's ``EXCEPTION_HANDLER``: what the views raise, as problem details."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, UploadRefused):
        exc = exceptions.ValidationError({"file": [str(exc.message)]})
    elif isinstance(exc, ActionRefused):
        exc = Refused(str(exc.message))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if not isinstance(exc, exceptions.APIException):
        return None  # a real fault: Django's 500, logged
    set_rollback()
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, exceptions.ValidationError):
        response = problem(
            status.HTTP_400_BAD_REQUEST,
            _("Periksa kembali isian yang ditandai."),
            instance=instance,
            errors=_field_errors(exc.detail),
        )
    else:
        response = problem(exc.status_code, _detail(exc), instance=instance)
    if getattr(exc, "auth_header", None):
        response["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        response["Retry-After"] = str(int(exc.wait) + 1)
    return response
