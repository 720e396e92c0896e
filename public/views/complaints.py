"""Public complaint pages (/pengaduan/): what may be complained about, the complaint form,
the follow-up code shown once, and the password-less follow-up thread.

The follow-up code never travels in a URL: it is posted once, and the session then
remembers which complaints it may open. Submissions and code lookups are rate-limited per
address; a bad tracking code gets one neutral message, so nothing tells which files exist.
A double submit acts once: each form carries a one-time token issued in the session and
claimed in the database (``public.once``), so it holds while Redis is down.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import Role
from core.ratelimit import allow, client_address
from core.templatetags.form_errors import page_error
from public.complaint_forms import (
    NO_FILE,
    ComplaintForm,
    FollowForm,
    MessageForm,
    preset_permit_type,
)
from public.models import Complaint, ComplaintCategory, ComplaintEntry, ComplaintSubject
from public.once import token_claim, token_issue, token_release
from public.selectors.complaints import (
    complaint_by_code,
    complaint_file,
    complaint_public_entries,
    complaints_of,
    file_officers,
)
from public.services.complaints import ComplaintRefused, complaint_message, complaint_submit

GRANTS = "complaint_grants"  # session: ids of the complaints this browser may follow
DONE = "complaint_done"  # session: the number and code to show once after submitting

TOO_MANY = gettext_lazy(
    "Terlalu banyak permintaan dari alamat ini. Silakan coba lagi dalam satu jam."
)
STALE = gettext_lazy(
    "Formulir ini sudah dikirim atau kedaluwarsa. Periksa isinya, lalu kirim sekali lagi."
)
NOT_FOUND = gettext_lazy(
    "Pengaduan tidak ditemukan. Periksa kembali kode pengaduan Anda (16 huruf dan angka)."
)

CATEGORY_HINTS = {
    ComplaintCategory.DELAY: gettext_lazy("Berkas tidak selesai dalam waktu yang dijanjikan SOP."),
    ComplaintCategory.NOT_SERVING: gettext_lazy(
        "Petugas atau loket tidak melayani pada jam layanan, atau menolak tanpa alasan."
    ),
    ComplaintCategory.INCOMPETENCE: gettext_lazy(
        "Petugas tidak menguasai prosedur atau memberi keterangan yang salah."
    ),
    ComplaintCategory.ABUSE: gettext_lazy(
        "Petugas memakai jabatannya di luar kewenangan, misalnya meminta syarat tambahan."
    ),
    ComplaintCategory.PROCEDURE: gettext_lazy(
        "Langkah pelayanan tidak mengikuti SOP atau persyaratan yang diumumkan."
    ),
    ComplaintCategory.MONEY: gettext_lazy(
        "Diminta uang, barang atau jasa di luar retribusi resmi (pungutan liar)."
    ),
    ComplaintCategory.IMPROPER: gettext_lazy(
        "Sikap tidak sopan, tidak pantas atau merendahkan pemohon."
    ),
    ComplaintCategory.PARTIALITY: gettext_lazy(
        "Petugas menguntungkan pihak tertentu, misalnya mendahulukan kenalan."
    ),
    ComplaintCategory.DISCRIMINATION: gettext_lazy(
        "Pelayanan dibedakan karena suku, agama, gender, disabilitas atau status lain."
    ),
    ComplaintCategory.CONFLICT: gettext_lazy(
        "Petugas menangani berkas yang menyangkut keluarga, usaha atau kepentingannya sendiri."
    ),
}


# --- session helpers -------------------------------------------------------------------------


def grant(request, complaint: Complaint) -> None:
    request.session[GRANTS] = [*request.session.get(GRANTS, []), complaint.pk][-20:]


def _followed(request, public_id) -> Complaint:
    """The complaint, if this browser entered its code or it is the signed-in user's own;
    otherwise 404 (nothing tells that the number exists)."""
    complaint = get_object_or_404(
        Complaint.objects.prefetch_related("evidence"), public_id=public_id
    )
    own = request.user.is_authenticated and complaint.complainant_id == request.user.pk
    if complaint.pk not in request.session.get(GRANTS, []) and not own:
        raise Http404
    return complaint


# --- pages -----------------------------------------------------------------------------------


@require_safe
def start(request):
    context = {
        "subjects": ComplaintSubject.choices,
        "categories": [
            (label, CATEGORY_HINTS[value]) for value, label in ComplaintCategory.choices
        ],
        "lapor_url": settings.SP4N_LAPOR_URL,
    }
    return render(request, "public/complaints/start.html", context)


def _form_parts(code: str):
    """The file named by ``code`` and the officers who acted on it."""
    if not code.strip():
        return None, []
    application = complaint_file(code)
    return application, file_officers(application)


def _render_form(request, form, *, status=200, error="", lookup_error=""):
    context = {
        "form": form,
        "error": error,
        "lookup_error": lookup_error,
        "max_files": settings.COMPLAINT_EVIDENCE_MAX_FILES,
        "lapor_url": settings.SP4N_LAPOR_URL,
    }
    if request.method == "POST":  # what the post met, in the error summary on top
        context["page_errors"] = [page_error(error)] if error else []
        if lookup_error:
            context["page_errors"].append(page_error(lookup_error, target="id_berkas"))
    return render(request, "public/complaints/new.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def new(request):
    who = client_address(request)
    signed_in = request.user.is_authenticated
    if request.method == "GET":
        code = request.GET.get("berkas", "")
        if code and not allow(
            "complaint-lookup", who, limit=settings.COMPLAINT_LOOKUP_LIMIT, window=3600
        ):
            code = ""
        application, officers = _form_parts(code)
        category = request.GET.get("kategori", "")
        service = preset_permit_type(request.GET.get("layanan", ""))
        initial = {
            "subject": ComplaintSubject.FILE if code else None,
            "berkas": application.tracking_code if application else code[:20],
            "category": category if category in ComplaintCategory.values else "",
            "token": token_issue(request),
        }
        if service is not None:  # from a service standard page: about that service
            initial |= {"layanan": service.code, "unit": service.opd_id}
            initial["subject"] = initial["subject"] or ComplaintSubject.UNIT
        form = ComplaintForm(
            initial=initial, officers=officers, application=application, signed_in=signed_in
        )
        lookup_error = NO_FILE if code.strip() and application is None else ""
        return _render_form(request, form, lookup_error=lookup_error)

    if "cari" in request.POST:
        return _lookup(request, signed_in=signed_in)
    if not allow("complaint", who, limit=settings.COMPLAINT_LIMIT, window=3600):
        form = ComplaintForm(request.POST, signed_in=signed_in)
        return _render_form(request, form, status=429, error=TOO_MANY)
    application, officers = _form_parts(request.POST.get("berkas", ""))
    data = request.POST.copy()
    token = data.get("token", "")
    data["token"] = token_issue(request)  # a form shown again posts with a fresh token
    form = ComplaintForm(
        data, request.FILES, officers=officers, application=application, signed_in=signed_in
    )
    if not form.is_valid():
        return _render_form(request, form, status=400)
    if not token_claim(request, token):
        if request.session.get(DONE):  # the same form again: it was sent already
            return redirect("complaints:done")
        return _render_form(request, form, status=400, error=STALE)
    arguments = form.service_arguments()
    if signed_in and not arguments["anonymous"]:
        arguments["complainant"] = request.user
    try:
        complaint, code = complaint_submit(evidence=form.cleaned_data["evidence"], **arguments)
    except ComplaintRefused as refused:
        token_release(token)
        return _render_form(request, form, status=400, error=refused.message)
    grant(request, complaint)
    request.session[DONE] = {
        "id": complaint.pk,
        "public_id": str(complaint.public_id),
        "number": complaint.number,
        "code": code,
        "anonymous": complaint.anonymous,
    }
    return redirect("complaints:done")


def _lookup(request, *, signed_in: bool):
    """ "Show the officers of this file": the form again, with the file's officers to choose
    from; nothing is sent. Counts as a lookup against the address."""
    values = {key: request.POST.get(key, "") for key in ComplaintForm.base_fields}
    values["token"] = request.POST.get("token", "") or token_issue(request)
    values["anonymous"] = bool(request.POST.get("anonymous"))
    code = values["berkas"]
    if not allow(
        "complaint-lookup",
        client_address(request),
        limit=settings.COMPLAINT_LOOKUP_LIMIT,
        window=3600,
    ):
        form = ComplaintForm(initial=values, signed_in=signed_in)
        return _render_form(request, form, status=429, error=TOO_MANY)
    application, officers = _form_parts(code)
    if application is not None:
        values["berkas"] = application.tracking_code
    form = ComplaintForm(
        initial=values, officers=officers, application=application, signed_in=signed_in
    )
    context_error = "" if application is not None or not code.strip() else NO_FILE
    return _render_form(request, form, lookup_error=context_error)


@never_cache
@require_safe
def done(request):
    """The number and the follow-up code, once: the code leaves the session as it is shown."""
    shown = request.session.get(DONE)
    if not shown:
        return redirect("complaints:start")
    code = shown.pop("code", "")
    request.session[DONE] = shown
    context = {"done": shown, "code": code}
    return render(request, "public/complaints/done.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def follow(request):
    form = FollowForm(request.POST or None)
    if request.method != "POST":
        return render(request, "public/complaints/follow.html", {"form": form})
    if not allow(
        "complaint-follow",
        client_address(request),
        limit=settings.COMPLAINT_LOOKUP_LIMIT,
        window=3600,
    ):
        context = {"form": form, "error": TOO_MANY}
        return render(request, "public/complaints/follow.html", context, status=429)
    complaint = complaint_by_code(form.data.get("code", "")) if form.is_valid() else None
    if complaint is None:
        error = NOT_FOUND if form.is_valid() else ""
        context = {"form": form, "error": error}
        return render(
            request, "public/complaints/follow.html", context, status=404 if error else 400
        )
    grant(request, complaint)
    return redirect("complaints:thread", public_id=complaint.public_id)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def thread(request, public_id):
    complaint = _followed(request, public_id)
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        token = request.POST.get("token", "")
        if form.is_valid():
            if not token_claim(request, token):
                return redirect("complaints:thread", public_id=complaint.public_id)
            try:
                complaint_message(complaint=complaint, body=form.cleaned_data["body"])
            except ComplaintRefused as refused:
                token_release(token)
                messages.error(request, refused.message)
            else:
                messages.success(request, _("Pesan Anda terkirim kepada petugas pengaduan."))
                return redirect("complaints:thread", public_id=complaint.public_id)
        status = 400
    entries = list(complaint_public_entries(complaint))
    for entry in entries:
        entry.who = _public_author(entry)
    form.initial["token"] = token_issue(request)
    if form.is_bound:
        form.data = form.data.copy()
        form.data["token"] = form.initial["token"]
    context = {
        "complaint": complaint,
        "entries": entries,
        "form": form if complaint.is_open else None,
        "overdue": complaint.is_overdue(),
        "now": timezone.now(),
    }
    response = render(request, "public/complaints/thread.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _public_author(entry: ComplaintEntry) -> str:
    """Who wrote an entry, as the complainant sees it: staff by role, never by name."""
    if entry.kind == ComplaintEntry.Kind.FROM_COMPLAINANT:
        return _("Anda")
    if entry.author_role in Role.values:
        return Role(entry.author_role).label
    return _("Sistem pengaduan")


@never_cache
@require_safe
def mine(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    rows = complaints_of(request.user).order_by("-received_at", "-id")[:100]
    return render(request, "public/complaints/mine.html", {"complaints": rows})
