"""The field inspection's appointment (issue 22.2): the lead proposes a time, the applicant
confirms it or asks for another (online, or by telephone recorded by the lead), the lead
takes the applicant's time or proposes again. The services decide; these views parse the
forms and render the file page again with what was typed when something is wrong."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Role
from permits.forms import SiteVisitAnswerForm, SiteVisitAnswerOnBehalfForm, SiteVisitProposeForm
from permits.selectors.applicant import applicant_file
from permits.selectors.backoffice import application_for_page
from permits.services.context import ActionRefused, Actor
from permits.services.site_visits import site_visit_answer, site_visit_propose
from permits.views.applicant import _file_context, applicant_only
from permits.views.backoffice import backoffice, file_page_render

DONE = {
    "propose": gettext_lazy("Jadwal peninjauan diusulkan kepada pemohon."),
    "agree": gettext_lazy("Jadwal yang diminta pemohon diterima; tim sudah diberi tahu."),
    "confirm": gettext_lazy("Jadwal peninjauan disepakati; tim sudah diberi tahu."),
    "move": gettext_lazy("Permintaan jadwal lain dicatat."),
}
ANSWERED = {
    "confirm": gettext_lazy("Terima kasih. Jadwal peninjauan sudah Anda konfirmasi."),
    "move": gettext_lazy("Permintaan jadwal lain sudah dikirim kepada petugas."),
}


def _answer(form, app, actor, **extra):
    data = form.cleaned_data
    confirm = data["answer"] == "confirm"
    site_visit_answer(
        application=app,
        actor=actor,
        confirm=confirm,
        wished_at=None if confirm else form.moment(),
        note=data.get("note", ""),
        **extra,
    )
    return "confirm" if confirm else "move"


@require_POST
@backoffice(roles={Role.TECHNICAL})
def file_site_visit(request, public_id, act):
    """The lead's acts: propose a time, take the applicant's, record the applicant's answer."""
    if act not in {"propose", "agree", "answer"}:
        raise Http404
    app = application_for_page(user=request.user, public_id=public_id)
    actor = Actor.from_request(request)
    if act == "answer":
        name, form = "visit_answer_form", SiteVisitAnswerOnBehalfForm(request.POST)
    else:
        name, form = "visit_propose_form", SiteVisitProposeForm(request.POST)
    done = act
    if act == "agree" or form.is_valid():
        try:
            if act == "answer":
                done = _answer(form, app, actor, channel=form.cleaned_data["channel"])
            else:
                data = form.cleaned_data if act == "propose" else {}
                site_visit_propose(
                    application=app,
                    actor=actor,
                    appointment_at=form.moment() if act == "propose" else None,
                    address=data.get("address", ""),
                    note=data.get("note", ""),
                    agreed=act == "agree",
                )
        except ActionRefused as refused:
            if act == "agree":
                messages.error(request, refused.message)
                return redirect(_file_url(app))
            form.add_error(None, refused.message)
    if form.errors and act != "agree":
        return file_page_render(request, app, forms={name: form}, status=400)
    messages.success(request, DONE[done])
    return redirect(_file_url(app))


def _file_url(app) -> str:
    return f"{reverse('backoffice:file', args=[app.public_id])}#peninjauan"


@require_POST
@applicant_only
def applicant_site_visit(request, public_id):
    """The applicant confirms the proposed time or asks for another."""
    app = applicant_file(request.user, public_id)
    form = SiteVisitAnswerForm(request.POST)
    if form.is_valid():
        try:
            done = _answer(form, app, Actor.from_request(request))
        except ActionRefused as refused:
            form.add_error(None, refused.message)
    if form.errors:
        context = _file_context(request, app, forms={"visit_answer_form": form})
        return render(request, "permits/applicant/file.html", context, status=400)
    messages.success(request, ANSWERED[done])
    return redirect(f"{reverse('applicant:file', args=[app.public_id])}#peninjauan")
