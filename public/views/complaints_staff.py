"""The handlers' complaint pages (/kantor/pengaduan/): supervisors, heads and the
inspectorate read the complaints routed to them and act on them through the services.

Who sees which complaint is ``public.selectors.complaints_visible_to`` (the officer
concerned never does); who complained is shown only where ``may_see_complainant`` allows,
so no page a unit can open names the complainant.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import OVERSIGHT_ROLES
from core.storage import checked_response
from core.templatetags.form_errors import page_error
from permits.selectors.backoffice import applications_visible_to
from permits.views.backoffice import backoffice
from public.complaint_forms import StaffFilterForm, StaffTextForm
from public.models import ComplaintEvidence, ComplaintState
from public.once import token_claim, token_issue, token_release
from public.selectors.complaints import (
    complaints_for_list,
    complaints_visible_to,
    may_see_complainant,
)
from public.services.complaints import (
    ComplaintRefused,
    complaint_answer,
    complaint_close,
    complaint_forward,
    complaint_note,
)

PAGE_SIZE = 25
# Each action: the service, and the name of its text argument.
ACTIONS = {
    "forward": (complaint_forward, "note"),
    "answer": (complaint_answer, "body"),
    "note": (complaint_note, "body"),
    "close": (complaint_close, "outcome"),
}
DONE_MESSAGES = {
    "forward": gettext_lazy("Pengaduan diteruskan untuk ditindaklanjuti."),
    "answer": gettext_lazy("Jawaban terkirim kepada pelapor."),
    "note": gettext_lazy("Catatan internal tersimpan."),
    "close": gettext_lazy("Pengaduan ditutup dengan hasil penanganan."),
}


@require_safe
@backoffice(roles=OVERSIGHT_ROLES)
def complaint_list(request):
    form = StaffFilterForm(request.GET or None)
    now = timezone.now()
    rows = complaints_for_list(user=request.user, now=now, **form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for complaint in page:
        complaint.overdue = complaint.is_overdue(now)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"section": "complaints", "form": form, "page": page, "query": query.urlencode()}
    return render(request, "public/complaints/staff_list.html", context)


def _visible(user, public_id):
    return get_object_or_404(
        complaints_visible_to(user).select_related(
            "application",
            "officer",
            "unit",
            "permit_type",
            "handler",
            "handler_unit",
            "escalated_to",
        ),
        public_id=public_id,
    )


def _act(request, complaint, action: str) -> StaffTextForm | None:
    """Run one handler action from its form; None when it was done, else the form with
    why not (shown in the page's error summary, the text kept)."""
    service, argument = ACTIONS[action]
    form = StaffTextForm(request.POST, auto_id=f"id_{action}_%s")
    form.action = action
    token = request.POST.get("token", "")
    if not form.is_valid():
        return form
    if not token_claim(request, token):
        messages.info(request, _("Tindakan ini sudah dikirim."))
        return None
    try:
        service(complaint=complaint, by=request.user, **{argument: form.cleaned_data["body"]})
    except ComplaintRefused as refused:
        token_release(token)
        form.add_error(None, refused.message)
        return form
    messages.success(request, DONE_MESSAGES[action])
    return None


def _offered(complaint, action: str) -> bool:
    """Whether the page offers this action's form (as staff_detail.html decides)."""
    if complaint.state == ComplaintState.CLOSED:
        return False
    return action != "forward" or complaint.state == ComplaintState.RECEIVED


@require_http_methods(["GET", "HEAD", "POST"])
@backoffice(roles=OVERSIGHT_ROLES)
def complaint_detail(request, public_id):
    user = request.user
    complaint = _visible(user, public_id)
    status, action_form, page_errors = 200, None, []
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            raise Http404
        action_form = _act(request, complaint, action)
        if action_form is None:
            return redirect("complaints_staff:detail", public_id=complaint.public_id)
        status = 400
        complaint = _visible(user, public_id)
        if not _offered(complaint, action):  # its form is gone (closed, forwarded already)
            page_errors = [page_error(message) for message in action_form.non_field_errors()]
            action_form = None
    app = complaint.application
    may_open_file = app is not None and applications_visible_to(user).filter(pk=app.pk).exists()
    context = {
        "section": "complaints",
        "complaint": complaint,
        "entries": complaint.entries.select_related("author"),
        "evidence": complaint.evidence.all(),
        "show_complainant": may_see_complainant(user) and not complaint.anonymous,
        "may_open_file": may_open_file,
        "overdue": complaint.is_overdue(),
        "token": token_issue(request),
        "received": ComplaintState.RECEIVED,
        "closed": ComplaintState.CLOSED,
        "action_form": action_form,
        "page_errors": page_errors,
    }
    return render(request, "public/complaints/staff_detail.html", context, status=status)


@require_safe
@backoffice(roles=OVERSIGHT_ROLES)
def evidence(request, public_id):
    item = get_object_or_404(
        ComplaintEvidence.objects.select_related("complaint"), public_id=public_id
    )
    if not complaints_visible_to(request.user).filter(pk=item.complaint_id).exists():
        raise Http404
    name = f"bukti-{item.complaint.number or item.complaint.pk}-{item.pk}.{item.format}"
    response = checked_response(item.file, item.sha256, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
