"""Issuance's pages: public verification and register, the permit PDF for whoever may hold it,
the cashier's payment, the head's preview of a permit before signing and its revocation, and
the bank's callback."""

from __future__ import annotations

import datetime
import hashlib
import ipaddress

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Role
from core.masking import mask_name
from core.moments import TIME, moment_iso, moment_parse, moment_text
from core.ratelimit import allow, client_address
from issuance.downloads import permit_pdf_ready, permit_pdf_response
from issuance.forms import PaymentForm, RevokeForm, VerifyLookupForm, VerifyUploadForm
from issuance.models import PaymentChannel, Permit
from issuance.preview import may_preview, permit_preview_png
from issuance.selectors import (
    bill_of_file,
    permit_by_code,
    permit_by_pdf_digest,
    permit_by_tracking_code,
    permit_for_query,
    permit_of_file,
    public_details_of,
    register_chain,
    register_day_sealed,
    register_days,
)
from issuance.services.billing import callback_handle, payment_record
from issuance.services.issue import permit_revoke
from issuance.services.register import day_entries
from issuance.signing import pdf_signature_check
from permits.models import FileView
from permits.selectors.applicant import applicant_file
from permits.selectors.backoffice import application_for_page
from permits.selectors.catalogue import catalogue_types
from permits.selectors.details import file_details
from permits.services.context import ActionRefused, Actor
from permits.services.views_log import file_view_record
from permits.views.applicant import applicant_only
from permits.views.backoffice import backoffice, file_page_render
from permits.views.outcomes import action_done, sentence, told_words
from trail.anchors import anchor_content
from trail.selectors import chain_anchors

NOT_FOUND_PERMIT = gettext_lazy(
    "Izin dengan kode atau nomor itu tidak ditemukan di register kami. Periksa kembali "
    "penulisannya; izin palsu tidak akan pernah ada di sini."
)


def _lookups_allowed(request) -> bool:
    return allow(
        "verify", client_address(request), limit=settings.TRACKING_LOOKUP_LIMIT, window=600
    )


# --- the permit PDF ------------------------------------------------------------------------


def _pdf_response(request, permit: Permit):
    """The stored PDF; if the worker has not made it yet, ask again and say so (202)."""
    if not permit_pdf_ready(permit):
        return render(request, "issuance/permit_pending.html", {"permit": permit}, status=202)
    return permit_pdf_response(permit)


@never_cache
@require_safe
def tracking_permit(request, code: str):
    """The permit of a tracked file: the tracking code stands for its applicant."""
    if not _lookups_allowed(request):
        return render(request, "issuance/too_many.html", status=429)
    permit = permit_by_tracking_code(code)
    if permit is None:
        raise Http404
    return _pdf_response(request, permit)


@require_safe
@applicant_only
def applicant_permit(request, public_id):
    app = applicant_file(request.user, public_id)
    permit = permit_of_file(app)
    return _pdf_response(request, permit)


@require_safe
@backoffice
def office_permit(request, public_id):
    app = application_for_page(user=request.user, public_id=public_id)
    permit = permit_of_file(app)
    file_view_record(
        application=app, actor=Actor.from_request(request), kind=FileView.Kind.DOCUMENT
    )
    return _pdf_response(request, permit)


# --- the cashier and the head of office ----------------------------------------------------


@require_safe
@backoffice(roles={Role.HEAD})
def permit_preview(request, public_id):
    """The permit as it will be issued, for the head of office about to sign it."""
    app = application_for_page(user=request.user, public_id=public_id)
    if not may_preview(app, request.user):
        raise PermissionDenied
    file_view_record(
        application=app, actor=Actor.from_request(request), kind=FileView.Kind.DOCUMENT
    )
    response = HttpResponse(permit_preview_png(app, request.user), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@backoffice(roles={Role.CASHIER})
def payment(request, public_id):
    app = application_for_page(user=request.user, public_id=public_id)
    bill = bill_of_file(app)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        return file_page_render(request, app, forms={"payment_form": form}, status=400)
    if form.cleaned_data["expected_state"] != app.state:
        messages.error(request, _("Berkas ini sudah berubah; periksa lagi sebelum mencatat."))
        return redirect("backoffice:file", public_id=app.public_id)
    before_id = app.assigned_to_id
    try:
        bill = payment_record(
            bill=bill,
            actor=Actor.from_request(request),
            channel=PaymentChannel.CASHIER,
            reference=form.cleaned_data["reference"],
            amount=form.cleaned_data["amount"],
        )
    except ActionRefused as refused:
        form.add_error(None, refused.message)
        return file_page_render(request, app, forms={"payment_form": form}, status=400)
    done = action_done("confirm_payment", before_id=before_id, app=bill.application)
    messages.success(request, done)
    return redirect("backoffice:file", public_id=app.public_id)


@require_POST
@backoffice(roles={Role.HEAD})
def revoke(request, public_id):
    app = application_for_page(user=request.user, public_id=public_id)
    permit = permit_of_file(app)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return file_page_render(request, app, forms={"revoke_form": form}, status=400)
    try:
        permit = permit_revoke(
            permit=permit, actor=Actor.from_request(request), reason=form.cleaned_data["reason"]
        )
    except ActionRefused as refused:
        form.add_error(None, refused.message)
        return file_page_render(request, app, forms={"revoke_form": form}, status=400)
    told = told_words(permit.notice, who=_("pemegang izin"))
    messages.success(request, sentence(_("Izin dicabut"), told))
    return redirect("backoffice:file", public_id=app.public_id)


# --- public verification -------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify_start(request):
    """Find a permit by code or number (GET ?q=), or check an uploaded PDF (POST)."""
    lookup = VerifyLookupForm(request.GET if "q" in request.GET else None)
    upload = VerifyUploadForm(request.POST or None, request.FILES or None)
    context = {"lookup": lookup, "upload": upload}
    status = 200
    if lookup.is_bound:
        if not _lookups_allowed(request):
            return render(request, "issuance/too_many.html", status=429)
        if lookup.is_valid():
            permit = permit_for_query(lookup.cleaned_data["q"])
            if permit is not None:
                return redirect("issuance:verify", code=permit.code)
            context["not_found"] = NOT_FOUND_PERMIT
            status = 404
        else:
            status = 400
    if request.method == "POST":
        if not _lookups_allowed(request):
            return render(request, "issuance/too_many.html", status=429)
        if upload.is_valid():
            data = upload.cleaned_data["pdf"]
            digest = hashlib.sha256(data).hexdigest()
            context["check"] = {
                "sha256": digest,
                "permit": permit_by_pdf_digest(digest),
                "signature": pdf_signature_check(data),
            }
        else:
            status = 400
    return render(request, "issuance/verify_start.html", context, status=status)


@never_cache
@require_safe
def verify(request, code: str):
    if not _lookups_allowed(request):
        return render(request, "issuance/too_many.html", status=429)
    permit = permit_by_code(code)
    if permit is None:
        context = {"lookup": VerifyLookupForm(), "upload": VerifyUploadForm()}
        context["not_found"] = NOT_FOUND_PERMIT
        return render(request, "issuance/verify_start.html", context, status=404)
    context = {
        "permit": permit,
        "holder_masked": mask_name(permit.holder_name),
        "business_masked": mask_name(permit.business_name) if permit.business_name else "",
        "details": file_details(permit.application, only="public"),
        "OFFICE_NAME": settings.OFFICE_NAME,
        "upload": VerifyUploadForm(),
    }
    response = render(request, "issuance/verify.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


# --- the public register -------------------------------------------------------------------

REGISTER_PAGE = 31
ANCHOR_PAGE = 24


def _type_names() -> dict[str, str]:
    return {t.code: t.name for t in catalogue_types().values()}


@require_safe
def register_index(request):
    page = Paginator(register_days(), REGISTER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    anchors = Paginator(chain_anchors(), ANCHOR_PAGE).get_page(request.GET.get("jangkar"))
    context = {
        "page": page,
        "today": today,
        "today_count": len(day_entries(today)),
        "anchors": anchors,
    }
    return render(request, "issuance/register_index.html", context)


def _parse_day(day: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(day)
    except ValueError as exc:
        raise Http404 from exc


@require_safe
def register_day(request, day: str):
    date = _parse_day(day)
    sealed = register_day_sealed(date)
    if sealed is None and date > timezone.localdate():
        raise Http404
    entries = sealed.entries if sealed else day_entries(date)
    names = _type_names()
    about = public_details_of([number for number, _code, _at in entries])
    rows = [
        {
            "number": number,
            "type": names.get(code, code),
            "at": moment_text(moment_parse(at), TIME),
            "about": about.get(number, ""),
        }
        for number, code, at in entries
    ]
    context = {
        "day": date,
        "sealed": sealed,
        "rows": rows,
        "is_today": date == timezone.localdate(),
    }
    return render(request, "issuance/register_day.html", context)


@require_safe
@cache_control(public=True, max_age=300)
def register_day_json(request, day: str):
    """A sealed day exactly as hashed: recompute ``digest`` from ``day``, ``entries`` and
    ``previous`` (see ``issuance.models.register_digest``)."""
    sealed = register_day_sealed(_parse_day(day))
    if sealed is None:
        raise Http404
    return JsonResponse(
        {
            "day": sealed.day.isoformat(),
            "entries": sealed.entries,
            "previous": sealed.previous_digest,
            "digest": sealed.digest,
            "sealed_at": moment_iso(sealed.sealed_at),
            "algorithm": "sha256(json.dumps({day, entries, previous}, sort_keys=True, "
            "separators=(',', ':'), ensure_ascii=False).encode('utf-8'))",
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
@cache_control(public=True, max_age=300)
def register_chain_json(request):
    """Every sealed day's digest, oldest first: the chain to keep a copy of."""
    chain = [
        {"day": day.isoformat(), "count": count, "previous": previous, "digest": digest}
        for day, count, previous, digest in register_chain()
    ]
    return JsonResponse({"days": chain})


@require_safe
@cache_control(public=True, max_age=300)
def register_anchors_json(request):
    """The audit trail's hourly anchors, newest first, ``ANCHOR_PAGE`` a page (``?page=``):
    both chains' heads at each hour, chained anchor to anchor (``trail.anchors``)."""
    page = Paginator(chain_anchors(), ANCHOR_PAGE).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "anchors": [
                {
                    "at": anchor_content(anchor)["at"],
                    "event_seq": anchor.last_seq,
                    "event_hash": anchor.head_hash,
                    "seal_seq": anchor.seal_seq,
                    "seal_hash": anchor.seal_hash,
                    "previous": anchor.prev_hash,
                    "hash": anchor.hash,
                }
                for anchor in page
            ],
            "page": page.number,
            "pages": page.paginator.num_pages,
            "algorithm": "sha256(json.dumps({at (UTC, ISO-8601 with microseconds), last_seq, "
            "head_hash, seal_seq, seal_hash, prev}, sort_keys=True, separators=(',', ':')))",
        }
    )


# --- the bank ------------------------------------------------------------------------------


@csrf_exempt
@require_POST
def bank_callback(request):
    """``POST`` JSON ``{billing_code, amount, reference, paid_at}`` with headers
    ``X-Terang-Timestamp`` (Unix seconds) and ``X-Terang-Signature`` (hex HMAC-SHA256 of
    ``<timestamp>.<body>`` with the shared secret). See
    ``issuance.services.billing.callback_handle``."""
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        address = None
    result = callback_handle(
        body=request.body,
        timestamp=request.headers.get("X-Terang-Timestamp", ""),
        signature=request.headers.get("X-Terang-Signature", ""),
        ip=address,
    )
    return JsonResponse(result.as_json(), status=result.status)
