"""The integrity pages of the back office (/kantor/integritas/): the officer's register of
affiliations, declarations on a file, cases with their review and decision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import OVERSIGHT_ROLES, STAFF_ROLES, Role, User
from accounts.selectors import responsible_staff
from integrity.conflicts.forms import (
    AffiliationFormSet,
    ConflictDeclarationForm,
    DecisionForm,
    GratificationForm,
    KpkReportForm,
    OpenCaseForm,
    RegisterNoteForm,
    ReviewForm,
    SanctionForm,
    SuspicionForm,
)
from integrity.conflicts.models import (
    AppealStatus,
    CaseOrigin,
    CaseState,
)
from integrity.conflicts.selectors import (
    cases_visible_to,
    gratifications_visible_to,
    sanctions_visible_to,
    suspicions_visible_to,
)
from integrity.conflicts.services.cases import (
    case_decide,
    case_open,
    case_review,
    file_officers,
    may_decide,
    may_review,
)
from integrity.conflicts.services.declarations import DECLARING_ROLES, file_declare
from integrity.conflicts.services.gratification import (
    gratification_kpk_reported,
    gratification_report,
)
from integrity.conflicts.services.register import (
    register_current,
    register_declare,
    registers_overdue,
)
from integrity.conflicts.services.sanctions import (
    may_record_sanction,
    sanction_appeal_update,
    sanction_record,
)
from integrity.conflicts.services.suspicions import (
    may_report_suspicion,
    suspicion_officers,
    suspicion_report,
)
from permits.selectors.backoffice import application_for_page, applications_visible_to
from permits.services.context import ActionRefused, Actor
from permits.views.backoffice import backoffice, file_page_render

INTEGRITY_ROLES = STAFF_ROLES | {Role.AUDITOR}


@backoffice(roles=INTEGRITY_ROLES)
def dashboard(request):
    user = request.user
    cases = cases_visible_to(user)
    context = {
        "section": "integrity",
        "open_cases": list(cases.exclude(state=CaseState.CLOSED)[:200]),
        "closed_cases": list(cases.filter(state=CaseState.CLOSED)[:50]),
        "suspicions": list(suspicions_visible_to(user).exclude(reporter=user)[:100])
        if user.role in OVERSIGHT_ROLES
        else [],
        "register": register_current(user) if user.role in DECLARING_ROLES else None,
        "overdue_registers": registers_overdue(list(User.objects.filter(supervisor=user)))
        if user.role in {Role.SUPERVISOR, Role.HEAD}
        else [],
    }
    return render(request, "integrity/conflicts/dashboard.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@backoffice(roles=DECLARING_ROLES)
def register(request):
    user = request.user
    current = register_current(user)
    initial = (
        [
            {
                f: getattr(item, f)
                for f in ("kind", "name", "relationship", "role", "nik", "nib", "npwp", "address")
            }
            for item in current.items.all()
        ]
        if current
        else []
    )
    formset = AffiliationFormSet(request.POST or None, initial=initial, prefix="a")
    note_form = RegisterNoteForm(request.POST or None)
    if request.method == "POST" and formset.is_valid() and note_form.is_valid():
        items = [form.cleaned_data for form in formset if form.cleaned_data.get("name")]
        register_declare(
            officer=user,
            items=items,
            note=note_form.cleaned_data["note"],
            actor=Actor.from_request(request),
        )
        messages.success(request, _("Register afiliasi Anda tersimpan sebagai versi baru."))
        return redirect("integrity:register")
    context = {
        "section": "integrity",
        "formset": formset,
        "note_form": note_form,
        "current": current,
        "versions": list(user.affiliation_declarations.order_by("-version")[:20]),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "integrity/conflicts/register.html", context, status=status)


@require_POST
@backoffice(roles=DECLARING_ROLES)
def declare(request, public_id):
    """The officer's declaration on a file: "no conflict", or a conflict with its details."""
    app = application_for_page(user=request.user, public_id=public_id)
    actor = Actor.from_request(request)
    try:
        if request.POST.get("has_conflict") == "1":
            form = ConflictDeclarationForm(request.POST)
            if not form.is_valid():  # the page again, the summary on top, nothing lost
                return file_page_render(request, app, forms={"conflict_form": form}, status=400)
            file_declare(application=app, actor=actor, has_conflict=True, **form.cleaned_data)
            messages.success(
                request,
                _("Konflik kepentingan tercatat. Berkas ditahan dan atasan Anda diminta menelaah."),
            )
        else:
            file_declare(application=app, actor=actor, has_conflict=False)
            messages.success(request, _("Pernyataan tidak ada konflik kepentingan tercatat."))
    except ActionRefused as refused:
        messages.error(request, refused.message)
    return redirect("backoffice:file", public_id=app.public_id)


@require_POST
@backoffice(roles=DECLARING_ROLES)
def report_suspicion(request, public_id):
    """A colleague who does not hold the file reports a suspected conflict on it."""
    app = application_for_page(user=request.user, public_id=public_id)
    if not may_report_suspicion(app, request.user):
        raise PermissionDenied
    officers = suspicion_officers(app, request.user)
    form = SuspicionForm(request.POST, officers=officers)
    if not form.is_valid():  # the page again, the summary on top, nothing lost
        return file_page_render(request, app, forms={"suspicion_form": form}, status=400)
    data = form.cleaned_data
    officer = next((o for o in officers if o.pk == data["officer"]), None)
    try:
        report = suspicion_report(
            application=app,
            actor=Actor.from_request(request),
            route=data["route"],
            description=data["description"],
            officer=officer,
        )
    except ActionRefused as refused:
        form.add_error(None, refused.message)
        return file_page_render(request, app, forms={"suspicion_form": form}, status=400)
    if report.recipient is not None:
        messages.success(
            request,
            _("Laporan dugaan Anda diteruskan kepada %(name)s. Berkas tidak ditahan.")
            % {"name": report.recipient.display_name},
        )
    else:
        messages.success(
            request, _("Laporan dugaan Anda diteruskan kepada Inspektorat. Berkas tidak ditahan.")
        )
    return redirect("backoffice:file", public_id=app.public_id)


@require_POST
@backoffice(roles=OVERSIGHT_ROLES)
def open_case(request, public_id):
    app = application_for_page(user=request.user, public_id=public_id)
    officers = file_officers(app)
    form = OpenCaseForm(request.POST, officers=officers)
    if not form.is_valid():  # the page again, the summary on top, nothing lost
        return file_page_render(request, app, forms={"case_form": form}, status=400)
    officer = next(o for o in officers if o.pk == form.cleaned_data["officer"])
    origin = CaseOrigin.AUDITOR if request.user.role == Role.AUDITOR else CaseOrigin.SUPERVISOR
    try:
        case = case_open(
            application=app,
            officer=officer,
            actor=Actor.from_request(request),
            origin=origin,
            note=form.cleaned_data["note"],
        )
    except ActionRefused as refused:
        messages.error(request, refused.message)
        return redirect("backoffice:file", public_id=app.public_id)
    messages.success(request, _("Kasus dibuka; berkas ditahan."))
    return redirect("integrity:case", public_id=case.public_id)


@require_http_methods(["GET", "HEAD", "POST"])
@backoffice(roles=INTEGRITY_ROLES)
def case_page(request, public_id):
    user = request.user
    case = get_object_or_404(cases_visible_to(user), public_id=public_id)
    review_form = ReviewForm(request.POST or None) if may_review(case, user) else None
    decision_form = DecisionForm(request.POST or None) if may_decide(case, user) else None
    if request.method == "POST":
        actor = Actor.from_request(request)
        try:
            if review_form is not None and review_form.is_valid():
                case_review(case=case, actor=actor, **review_form.cleaned_data)
                messages.success(request, _("Telaah awal tersimpan; Kepala Dinas diminta memutus."))
                return redirect("integrity:case", public_id=case.public_id)
            if decision_form is not None and decision_form.is_valid():
                case_decide(case=case, actor=actor, **decision_form.cleaned_data)
                messages.success(request, _("Keputusan tersimpan; penahanan berkas dicabut."))
                return redirect("integrity:case", public_id=case.public_id)
            if review_form is None and decision_form is None:
                raise PermissionDenied
        except ActionRefused as refused:
            messages.error(request, refused.message)
    # The officer concerned sees the decision, not who looked or what they wrote on the way.
    concerned_only = user.pk == case.officer_id and user.role != Role.AUDITOR
    context = {
        "section": "integrity",
        "case": case,
        "concerned_only": concerned_only,
        "review_form": review_form,
        "decision_form": decision_form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "integrity/conflicts/case.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@backoffice(roles=INTEGRITY_ROLES)
def gratifications(request):
    """Officers report gifts and offers here; the inspectorate sees every report."""
    user = request.user
    form = GratificationForm(request.POST or None) if user.role in DECLARING_ROLES else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            number = data.pop("registration_number").strip().upper()
            app = None
            if number:
                app = applications_visible_to(user).filter(registration_number=number).first()
            if number and app is None:
                form.add_error("registration_number", _("Berkas dengan nomor itu tidak ditemukan."))
            else:
                try:
                    gratification_report(actor=Actor.from_request(request), application=app, **data)
                except ActionRefused as refused:
                    form.add_error(None, refused.message)
                else:
                    messages.success(
                        request, _("Laporan gratifikasi tercatat dan diteruskan ke Inspektorat.")
                    )
                    return redirect("integrity:gratifications")
    status = 400 if request.method == "POST" else 200
    return _gratifications_page(request, form, status=status)


def _gratifications_page(request, form, *, kpk_form=None, status=200):
    """The page with its report form and, when a row's KPK report was posted with errors,
    that row's form as typed."""
    context = {
        "section": "integrity",
        "form": form,
        "reports": list(gratifications_visible_to(request.user)[:200]),
        "kpk_form": kpk_form,
    }
    return render(request, "integrity/conflicts/gratifications.html", context, status=status)


@require_POST
@backoffice(roles=INTEGRITY_ROLES)
def gratification_kpk(request, public_id):
    report = get_object_or_404(gratifications_visible_to(request.user), public_id=public_id)
    form = KpkReportForm.for_report(report, data=request.POST)
    if not form.is_valid():  # the page again, the summary on top, nothing lost
        blank = GratificationForm() if request.user.role in DECLARING_ROLES else None
        return _gratifications_page(request, blank, kpk_form=form, status=400)
    gratification_kpk_reported(
        report=report,
        actor=Actor.from_request(request),
        reported_on=form.cleaned_data["reported_on"],
        reference=form.cleaned_data["reference"],
    )
    messages.success(request, _("Pelaporan ke KPK tercatat."))
    return redirect("integrity:gratifications")


@require_http_methods(["GET", "HEAD", "POST"])
@backoffice(roles=INTEGRITY_ROLES)
def sanctions(request):
    """The sanctions register: only the officer concerned, supervisors and auditors see it;
    the head of office and auditors record decisions."""
    user = request.user
    officers = list(responsible_staff())
    form = None
    if may_record_sanction(user):
        form = SanctionForm(request.POST or None, officers=officers)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            officer = next(o for o in officers if o.pk == data.pop("officer"))
            try:
                sanction_record(actor=Actor.from_request(request), officer=officer, **data)
            except ActionRefused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Hukuman disiplin tercatat."))
                return redirect("integrity:sanctions")
    context = {
        "section": "integrity",
        "form": form,
        "sanctions": list(sanctions_visible_to(user)[:200]),
        "appeal_choices": AppealStatus.choices,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "integrity/conflicts/sanctions.html", context, status=status)


@require_POST
@backoffice(roles={Role.HEAD, Role.AUDITOR})
def sanction_appeal(request, public_id):
    """The outcome of an administrative appeal (upaya administratif) against a sanction."""
    sanction = get_object_or_404(sanctions_visible_to(request.user), public_id=public_id)
    status = request.POST.get("appeal_status", "")
    if status not in AppealStatus.values:
        messages.error(request, _("Pilih status upaya administratif."))
    else:
        sanction_appeal_update(sanction=sanction, actor=Actor.from_request(request), status=status)
        messages.success(request, _("Status upaya administratif diperbarui."))
    return redirect("integrity:sanctions")
