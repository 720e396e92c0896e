"""The inspectorate's workspace (/kantor/audit/): the flag queue, random samples, a file's
whole story, findings and their follow-up, and the audit trail's daily heads.

Auditors read everything here and act only on flags and findings: nothing on these pages
moves a file. Staff see only the findings they must follow up.
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import STAFF_ROLES, Role
from core.moments import MONTH, moment_text
from core.paging import PAGE_AFTER, PAGE_BEFORE, keyset_page
from core.queue import enqueue
from core.storage import checked_response
from integrity.inspection.flags.registry import RULES
from integrity.inspection.forms import (
    FIRST_MONEV_YEAR,
    AssessForm,
    DismissForm,
    FindingForm,
    MonevForm,
    QueueFilterForm,
    ReportForm,
    SampleForm,
)
from integrity.inspection.models import (
    Flag,
    FlagState,
    FollowUp,
    MonevReport,
)
from integrity.inspection.selectors.findings import (
    findings_visible_to,
    may_assess,
    may_report,
)
from integrity.inspection.selectors.story import GROUPS, file_story
from integrity.inspection.selectors.workspace import (
    PRECISION_DAYS,
    QUEUE_PAGE,
    flag_counts,
    flag_explain,
    flag_queue,
    rule_precision,
    unflagged_sample,
)
from integrity.inspection.services.findings import (
    finding_assess,
    finding_open,
    finding_report,
    flag_dismiss,
)
from integrity.tasks import render_monev
from permits.models import Application, FileView
from permits.services.context import ActionRefused, Actor
from permits.services.views_log import file_view_record
from permits.views.backoffice import backoffice
from trail.models import ChainHead
from trail.selectors import chain_days_recent

AUDITORS = frozenset({Role.AUDITOR})
FINDING_ROLES = STAFF_ROLES | AUDITORS


def _queue_context(query) -> dict:
    """The flag queue filtered by a query string (the page's own, or the one a dismissal
    with errors came from)."""
    data = query.copy()
    if data and "state" not in data:
        data["state"] = FlagState.OPEN  # the default holds on every page of the pager too
    form = QueueFilterForm(data or None, initial={"state": FlagState.OPEN})
    flags = flag_queue(**form.filters())
    # Keyset pages: page 40 costs what page 1 does, whatever the queue's length.
    page = keyset_page(
        flags,
        key="occurred_at",
        size=QUEUE_PAGE,
        after=query.get(PAGE_AFTER),
        before=query.get(PAGE_BEFORE),
    )
    for flag in page:
        flag.explanation = flag_explain(flag)
        flag.rule_title = RULES[flag.rule].title if flag.rule in RULES else flag.rule
    data = query.copy()
    for param in ("page", PAGE_AFTER, PAGE_BEFORE):
        data.pop(param, None)
    return {
        "section": "audit",
        "form": form,
        "page": page,
        "query": data.urlencode(),
        "counts": sorted(flag_counts().items()),
        "precision": [
            (RULES[code].title if code in RULES else code, precision)
            for code, precision in rule_precision().items()
        ],
        "precision_days": PRECISION_DAYS,
    }


@require_safe
@backoffice(roles=AUDITORS)
def queue(request):
    context = _queue_context(request.GET)
    context["here"] = request.get_full_path()
    return render(request, "integrity/inspection/queue.html", context)


@require_POST
@backoffice(roles=AUDITORS)
def dismiss(request, public_id):
    flag = get_object_or_404(Flag, public_id=public_id)
    form = DismissForm.for_flag(flag, data=request.POST)
    target = request.POST.get("next", "")
    if not target.startswith("/kantor/audit/"):
        target = reverse("audit:queue")
    if not form.is_valid():  # the page again, the summary on top, nothing lost
        return _audit_page_again(request, target, dismiss_form=form)
    try:
        flag_dismiss(flag=flag, actor=Actor.from_request(request), **form.cleaned_data)
        messages.success(request, _("Bendera diabaikan; alasannya tercatat."))
    except ActionRefused as refused:
        messages.error(request, refused.message)
    return redirect(target)


def _audit_page_again(request, target: str, **forms):
    """The queue or the file's story a row's form was posted from, as it was, with the
    form's errors (status 400)."""
    path, _sep, query = target.partition("?")
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is not None and match.view_name == "audit:story":
        app = _story_file(match.kwargs["public_id"])
        context, template = _story_context(app, QueryDict(query)), "integrity/inspection/story.html"
    else:
        context, template = _queue_context(QueryDict(query)), "integrity/inspection/queue.html"
    context.update(here=target, here_path=path, **forms)
    return render(request, template, context, status=400)


@require_safe
@backoffice(roles=AUDITORS)
def sample(request):
    form = SampleForm(request.GET or None)
    files, seed = [], None
    if form.is_bound and form.is_valid():
        files, seed = unflagged_sample(**form.cleaned_data)
    context = {"section": "audit", "form": form, "files": files, "seed": seed}
    return render(request, "integrity/inspection/sample.html", context)


def _story_file(public_id) -> Application:
    return get_object_or_404(
        Application.objects.select_related("permit_type__opd", "assigned_to"),
        public_id=public_id,
    )


def _story_context(app, query) -> dict:
    flags = list(app.flags.order_by("-occurred_at"))
    for flag in flags:
        flag.explanation = flag_explain(flag)
    known = {code for code, _label in GROUPS}
    chosen = [code for code in query.getlist("jenis") if code in known]
    return {
        "section": "audit",
        "app": app,
        "entries": file_story(app, groups=set(chosen)),
        "groups": [(code, label, not chosen or code in chosen) for code, label in GROUPS],
        "flags": flags,
        "open_state": FlagState.OPEN,
    }


@require_safe
@backoffice(roles=AUDITORS)
def story(request, public_id):
    app = _story_file(public_id)
    # Auditors' own reading is on the record too, and shown to the other auditors here.
    file_view_record(application=app, actor=Actor.from_request(request), kind=FileView.Kind.AUDIT)
    context = _story_context(app, request.GET)
    context.update(here=request.get_full_path(), here_path=request.path)
    return render(request, "integrity/inspection/story.html", context)


@require_safe
@backoffice(roles=FINDING_ROLES)
def findings(request):
    rows = findings_visible_to(request.user)
    state = request.GET.get("status", "")
    if state:
        rows = rows.filter(state=state)
    page = Paginator(rows, QUEUE_PAGE).get_page(request.GET.get("page"))
    context = {"section": "audit", "page": page, "state": state}
    return render(request, "integrity/inspection/findings.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@backoffice(roles=AUDITORS)
def finding_new(request):
    flag = None
    if request.GET.get("bendera"):
        flag = get_object_or_404(
            Flag, public_id=_uuid_or_404(request.GET["bendera"]), state=FlagState.OPEN
        )
    app = flag.application if flag else None
    if app is None and request.GET.get("berkas"):
        app = get_object_or_404(Application, public_id=_uuid_or_404(request.GET["berkas"]))
    initial = {}
    if flag is not None:
        initial = {"title": str(RULES[flag.rule].title), "condition": flag_explain(flag)}
    form = FindingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            finding = finding_open(
                actor=Actor.from_request(request),
                application=app,
                officer=flag.officer if flag else None,
                flags=[flag] if flag else [],
                **form.cleaned_data,
            )
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Temuan %(n)s tercatat.") % {"n": finding.number})
            return redirect("audit:finding", public_id=finding.public_id)
    status = 400 if request.method == "POST" else 200
    context = {"section": "audit", "form": form, "flag": flag, "app": app}
    return render(request, "integrity/inspection/finding_new.html", context, status=status)


def _uuid_or_404(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError as exc:
        raise Http404 from exc


@require_http_methods(["GET", "HEAD", "POST"])
@backoffice(roles=FINDING_ROLES)
def finding_page(request, public_id):
    user = request.user
    finding = get_object_or_404(findings_visible_to(user), public_id=public_id)
    report_form = ReportForm(request.POST or None) if may_report(finding, user) else None
    assess_form = AssessForm(request.POST or None) if may_assess(finding, user) else None
    if request.method == "POST":
        actor = Actor.from_request(request)
        try:
            if report_form is not None and report_form.is_valid():
                finding_report(finding=finding, actor=actor, **report_form.cleaned_data)
                messages.success(request, _("Laporan tindak lanjut terkirim ke Inspektorat."))
                return redirect("audit:finding", public_id=finding.public_id)
            if assess_form is not None and assess_form.is_valid():
                finding_assess(finding=finding, actor=actor, **assess_form.cleaned_data)
                messages.success(request, _("Penilaian tersimpan."))
                return redirect("audit:finding", public_id=finding.public_id)
            if report_form is None and assess_form is None:
                raise PermissionDenied
        except ActionRefused as refused:
            messages.error(request, refused.message)
    context = {
        "section": "audit",
        "finding": finding,
        "follow_ups": finding.follow_ups.select_related("author"),
        "flags": finding.flags.all(),
        "report_form": report_form,
        "assess_form": assess_form,
        "report_kind": FollowUp.Kind.REPORT,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "integrity/inspection/finding.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@backoffice(roles=AUDITORS)
def monev(request):
    form = MonevForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        month = form.cleaned_data["month"]
        named = {"m": moment_text(month, MONTH)}
        if enqueue(render_monev, month.isoformat(), request.user.pk):
            messages.success(
                request,
                _("Laporan %(m)s sedang disusun; muat ulang halaman ini sebentar lagi.") % named,
            )
        else:  # the broker is down: say so rather than promise a report nobody makes
            messages.error(
                request,
                _(
                    "Laporan %(m)s belum dapat disusun karena antrean kerja sedang tidak "
                    "tersedia. Silakan minta lagi beberapa menit lagi."
                )
                % named,
            )
        return redirect("audit:monev")
    context = {"section": "audit", "form": form, "reports": MonevReport.objects.all()[:36]}
    status = 400 if request.method == "POST" else 200
    return render(request, "integrity/inspection/monev.html", context, status=status)


@require_safe
@backoffice(roles=AUDITORS)
def monev_file(request, year, month, kind):
    if kind not in {"pdf", "csv"} or not 1 <= month <= 12 or not FIRST_MONEV_YEAR <= year <= 2999:
        raise Http404
    report = get_object_or_404(MonevReport, month=datetime.date(year, month, 1))
    stored, sha256 = (
        (report.pdf, report.pdf_sha256) if kind == "pdf" else (report.csv, report.csv_sha256)
    )
    if not stored:
        raise Http404
    name = f"monev-{report.month:%Y-%m}.{kind}"
    if not sha256:  # a CSV rendered before its digest was kept: nothing to check it by
        return FileResponse(stored.open("rb"), as_attachment=True, filename=name)
    return checked_response(stored, sha256, as_attachment=kind == "csv", filename=name)


@require_safe
@backoffice(roles=AUDITORS)
def trail(request):
    context = {
        "section": "audit",
        "days": chain_days_recent(),
        "head": ChainHead.objects.first(),
    }
    return render(request, "integrity/inspection/trail.html", context)
