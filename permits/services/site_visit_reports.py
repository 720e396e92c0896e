"""The site visit's report (berita acara peninjauan lapangan, issue 22.2).

Once the agreed time has come, the lead writes the report: a result for every item of the
type's checklist (a "tidak sesuai" says why), a conclusion and an account of the visit.
Then every officer of the team signs it (each declares on the file first, as the holder
does) and so does the applicant: in their account, where they may write an objection, or
on site in front of the team, where the lead records who signed. When the last signature
is in, the report is rendered as a PDF, numbered by the file, stored with its SHA-256 and
attached to the file; the inspection can then be finished (``Application.
finish_inspection`` asks for it).

Every act under the file's guards (row lock, hold, declaration), with its event and field
history; the team and the applicant are told through the outbox.
"""

from __future__ import annotations

import base64
import hashlib
import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import ImageOps

from accounts.models import Role
from core.queue import enqueue_on_commit
from outbox.services import message_queue
from permits.event_names import (
    SITE_VISIT_APPLICANT_SIGNED,
    SITE_VISIT_REPORTED,
    SITE_VISIT_SIGNED,
)
from permits.models import (
    DEFAULT_CHECKLIST,
    ApplicantSignature,
    Application,
    Conclusion,
    FindingResult,
    SiteVisit,
    SiteVisitFinding,
    Stage,
    VisitStatus,
)
from permits.services.context import ActionRefused, Actor
from permits.services.events import file_event, held_attempts_recorded
from permits.services.notices import applicant_notify
from permits.services.site_visits import file_locked, visit_locked

# The acts on a report, as the action guards (and the declaration rule) know them.
REPORT, SIGN, APPLICANT_SIGN = "site_visit_report", "site_visit_sign", "site_visit_applicant_sign"
PHOTO = "site_visit_photo"
TEAM_ACTIONS = frozenset({SIGN, PHOTO})


def checklist_of(app: Application) -> list[str]:
    """What the team checks on this file's site: its type's items, else the general ones."""
    items = [str(item).strip() for item in app.permit_type.inspection_checklist or []]
    return [item for item in items if item] or [str(item) for item in DEFAULT_CHECKLIST]


def visit_locked_agreed(
    app: Application, actor: Actor, action: str
) -> tuple[Application, SiteVisit]:
    """The file and its visit, locked, under the guards of every act on a visit; the visit
    agreed or reported (the report is written, signed and photographed then)."""
    locked = file_locked(app, actor, action, NOT_IN_INSPECTION)
    visit = visit_locked(locked, (VisitStatus.CONFIRMED, VisitStatus.REPORTED))
    if visit is None:
        raise ActionRefused(_("Belum ada peninjauan dengan jadwal yang disepakati."))
    return locked, visit


NOT_IN_INSPECTION = gettext_lazy("Berita acara hanya dibuat pada tahap peninjauan lapangan.")


def visit_team_actor(app: Application, user) -> bool:
    """``user`` is on the team of the file's visit and has something to do on it: photos
    to add (agreed or reported) or the report to sign. They declare on the file first, as
    its holder does."""
    if user is None or not user.is_active or user.role != Role.TECHNICAL:
        return False
    if app.state != Stage.INSPECTION:
        return False
    return app.site_visits.filter(
        status__in=(VisitStatus.CONFIRMED, VisitStatus.REPORTED),
        members__officer=user,
        members__signed_at__isnull=True,
    ).exists()


def may_report(app: Application, visit: SiteVisit | None, user) -> bool:
    """The lead, once the agreed time has come, until somebody signed."""
    if user is None or visit is None or app.held_since is not None:
        return False
    if visit.lead_id != user.pk or app.assigned_to_id != user.pk:
        return False
    if visit.status == VisitStatus.CONFIRMED:
        return visit.appointment_at <= timezone.now()
    return visit.status == VisitStatus.REPORTED and not _anyone_signed(visit)


def _anyone_signed(visit: SiteVisit) -> bool:
    return visit.applicant_signed_at is not None or any(
        m.signed_at is not None for m in visit.members.all()
    )


@held_attempts_recorded
@transaction.atomic
def site_visit_report(
    *,
    application: Application,
    actor: Actor,
    results: list[tuple[str, str]],
    conclusion: str,
    summary: str,
) -> SiteVisit:
    """The lead's report: ``results`` is (result, note) for each checklist item in order."""
    app, visit = visit_locked_agreed(application, actor, REPORT)
    if not may_report(app, visit, actor.user):
        if visit.lead_id != actor.user.pk:
            raise ActionRefused(_("Hanya ketua tim yang menulis berita acara."))
        if visit.status == VisitStatus.CONFIRMED:
            raise ActionRefused(_("Berita acara ditulis sesudah jadwal peninjauan tiba."))
        raise ActionRefused(_("Berita acara sudah ditandatangani; tidak dapat diubah lagi."))
    items = checklist_of(app)
    if len(results) != len(items):
        raise ActionRefused(_("Isi hasil untuk setiap butir periksa."))
    cleaned = []
    for item, (result, note) in zip(items, results, strict=True):
        if result not in FindingResult.values:
            raise ActionRefused(_("Isi hasil untuk setiap butir periksa."))
        if result == FindingResult.DIFFERS and not note.strip():
            raise ActionRefused(
                _("Tuliskan apa yang tidak sesuai pada butir: %(item)s") % {"item": item}
            )
        cleaned.append((item, result, note.strip()))
    if conclusion not in Conclusion.values:
        raise ActionRefused(_("Pilih kesimpulan peninjauan."))
    if not summary.strip():
        raise ActionRefused(_("Uraikan hasil peninjauan."))
    differs = any(result == FindingResult.DIFFERS for _item, result, _note in cleaned)
    if differs and conclusion == Conclusion.MATCHES:
        raise ActionRefused(
            _('Ada butir yang tidak sesuai: kesimpulannya tidak dapat "sesuai" saja.')
        )
    now = timezone.now()
    visit.findings.all().delete()  # a report written again before anyone signed
    for position, (item, result, note) in enumerate(cleaned, start=1):
        finding = SiteVisitFinding(
            visit=visit, position=position, item=item[:300], result=result, note=note
        )
        finding._history_user = actor.user
        finding.save()
    visit.conclusion, visit.summary = conclusion, summary.strip()
    visit.reported_at, visit.status = now, VisitStatus.REPORTED
    visit._history_user = actor.user
    visit.save()
    file_event(
        application=app,
        action=SITE_VISIT_REPORTED,
        actor=actor,
        data={"visit": visit.pk, "conclusion": conclusion, "differs": differs},
        at=now,
    )
    team = [m.officer for m in visit.members.select_related("officer")]
    for officer in team:
        if officer.pk != actor.user.pk:
            message_queue(
                recipient=officer,
                kind="site_visit.report_to_sign",
                context={"application": app, "visit": visit, "site_url": settings.SITE_URL},
                application=app,
            )
    if app.applicant_id:
        applicant_notify(app, "site_visit.report_written", visit=visit)
    return visit


def may_sign(app: Application, visit: SiteVisit | None, user) -> bool:
    """An officer of the team who has not signed the written report yet."""
    if user is None or visit is None or visit.status != VisitStatus.REPORTED:
        return False
    if app.held_since is not None or app.state != Stage.INSPECTION:
        return False
    return any(m.officer_id == user.pk and m.signed_at is None for m in visit.members.all())


@held_attempts_recorded
@transaction.atomic
def site_visit_sign(*, application: Application, actor: Actor) -> SiteVisit:
    """An officer of the team signs the report (the lead too)."""
    app, visit = visit_locked_agreed(application, actor, SIGN)
    seat = visit.members.filter(officer=actor.user).first()
    if seat is None:
        raise ActionRefused(_("Anda bukan anggota tim peninjauan berkas ini."))
    if visit.status != VisitStatus.REPORTED:
        raise ActionRefused(_("Berita acara belum ditulis."))
    if seat.signed_at is not None:
        raise ActionRefused(_("Anda sudah menandatangani berita acara ini."))
    now = timezone.now()
    seat.signed_at = now
    seat._history_user = actor.user
    seat.save(update_fields=["signed_at"])
    file_event(application=app, action=SITE_VISIT_SIGNED, actor=actor, data={"visit": visit.pk})
    _complete_if_signed(app, visit, now)
    return visit


def may_sign_for_applicant(app: Application, visit: SiteVisit | None, user) -> bool:
    """The applicant in their account, or the lead recording a signature given on site."""
    if user is None or visit is None or visit.status != VisitStatus.REPORTED:
        return False
    if visit.applicant_signed_at is not None or app.held_since is not None:
        return False
    if user.role == Role.APPLICANT:
        return app.applicant_id == user.pk
    return visit.lead_id == user.pk


@held_attempts_recorded
@transaction.atomic
def site_visit_applicant_sign(
    *, application: Application, actor: Actor, signer: str = "", objection: str = ""
) -> SiteVisit:
    """The applicant's side signs: in their account (``signer`` is the account's name), or
    on site, recorded by the lead with the name of who signed (the applicant or their
    representative). An objection is kept with the signature and printed on the report."""
    app, visit = visit_locked_agreed(application, actor, APPLICANT_SIGN)
    user = actor.user
    if not may_sign_for_applicant(app, visit, user):
        if visit.applicant_signed_at is not None:
            raise ActionRefused(_("Berita acara ini sudah ditandatangani pihak pemohon."))
        if visit.status != VisitStatus.REPORTED:
            raise ActionRefused(_("Berita acara belum ditulis."))
        raise ActionRefused(_("Anda tidak berwenang menandatangani untuk pemohon."))
    on_site = user.role != Role.APPLICANT
    signer = signer.strip() if on_site else (user.display_name or app.applicant_name)
    if on_site and not signer:
        raise ActionRefused(_("Tuliskan nama yang menandatangani di lokasi."))
    now = timezone.now()
    visit.applicant_signed_at, visit.applicant_signer = now, signer[:150]
    how = ApplicantSignature.ON_SITE if on_site else ApplicantSignature.ACCOUNT
    visit.applicant_signed_how = how
    visit.applicant_objection = objection.strip()
    visit._history_user = user
    visit.save()
    file_event(
        application=app,
        action=SITE_VISIT_APPLICANT_SIGNED,
        actor=actor,
        note=visit.applicant_objection,
        data={"visit": visit.pk, "how": visit.applicant_signed_how, "objection": bool(objection)},
        at=now,
    )
    _complete_if_signed(app, visit, now)
    return visit


def _complete_if_signed(app: Application, visit: SiteVisit, now) -> None:
    """Every signature in: the report is complete; its PDF is rendered after commit."""
    if visit.applicant_signed_at is None or visit.members.filter(signed_at__isnull=True).exists():
        return
    visit.signed_at, visit.status = now, VisitStatus.SIGNED
    visit._history_user = None
    visit.save(update_fields=["signed_at", "status"])
    from permits.tasks import render_visit_report

    enqueue_on_commit(render_visit_report, visit.pk)


# --- the PDF -----------------------------------------------------------------------------


def _thumbnail(photo) -> str:
    """The photo as a data URI, at most ``THUMB_PX`` on its longer side (a phone's photo
    would make the report tens of megabytes)."""
    from PIL import Image

    with photo.image.open("rb") as stored, Image.open(stored) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image.thumbnail((THUMB_PX, THUMB_PX))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()


THUMB_PX = 700


def report_context(visit: SiteVisit) -> dict:
    app = visit.application
    photos = list(visit.photos.select_related("uploaded_by"))
    for photo in photos:
        photo.data_uri = _thumbnail(photo)
    return {
        "visit": visit,
        "app": app,
        "team": list(visit.members.select_related("officer__unit")),
        "findings": list(visit.findings.all()),
        "photos": photos,
        "OFFICE_NAME": settings.OFFICE_NAME,
        "printed_at": timezone.now(),
    }


def visit_report_render(visit: SiteVisit) -> str:
    """Render the signed report as a PDF and store it with its SHA-256 (idempotent)."""
    from weasyprint import HTML

    visit = SiteVisit.objects.select_related("application__permit_type__opd", "lead").get(
        pk=visit.pk
    )
    if visit.status != VisitStatus.SIGNED:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("permits/site_visit_report_pdf.html", report_context(visit))
        pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    digest = hashlib.sha256(pdf).hexdigest()
    name = f"site-visits/{visit.application.public_id.hex}-{visit.pk}.pdf"
    visit.report_pdf.save(name, ContentFile(pdf), save=False)
    with transaction.atomic():
        current = SiteVisit.objects.select_for_update().get(pk=visit.pk)
        current.report_pdf, current.report_sha256 = visit.report_pdf.name, digest
        current._history_user = None
        current.save(update_fields=["report_pdf", "report_sha256"])
    return digest
