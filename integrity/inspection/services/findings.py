"""The inspectorate's work on flags and findings (temuan) and their follow-up.

Auditors (APIP) review flags: dismiss one with a reason, or open a finding from it (or
from any file) with a recommendation, the person responsible for the follow-up and a due
date. The responsible person reports what was done; the auditor accepts the follow-up
(the finding is closed) or returns it. Auditors stay read-only on operations: nothing here
touches a file's stage.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RESPONSIBLE_ROLES, User
from integrity.inspection.models import (
    Finding,
    FindingState,
    Flag,
    FlagState,
    FlagVerdict,
    FollowUp,
)
from integrity.inspection.selectors.findings import is_auditor, may_report
from outbox.services import message_queue
from permits.numbering import next_value
from permits.services.context import ActionRefused, Actor


def _require_auditor(actor: Actor) -> None:
    if not is_auditor(actor.user):
        raise PermissionDenied(_("Hanya auditor Inspektorat yang dapat melakukan ini."))


@transaction.atomic
def flag_dismiss(*, flag: Flag, actor: Actor, reason: str) -> Flag:
    """An auditor sets a flag aside, saying why (the reason stays on the record)."""
    _require_auditor(actor)
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.state != FlagState.OPEN:
        raise ActionRefused(_("Bendera ini sudah ditelaah."))
    if not reason.strip():
        raise ActionRefused(_("Tuliskan alasan bendera ini diabaikan."))
    flag.state, flag.dismiss_reason = FlagState.DISMISSED, reason.strip()
    flag.closed_by, flag.closed_at = actor.user, timezone.now()
    flag._history_user = actor.user
    flag.save()
    _verdict(flag, confirmed=False)
    return flag


def _verdict(flag: Flag, *, confirmed: bool) -> FlagVerdict:
    """Keep the auditor's verdict as the rule's label (``rule_precision`` reads them)."""
    return FlagVerdict.objects.create(
        flag=flag,
        rule=flag.rule,
        confirmed=confirmed,
        judged_by=flag.closed_by,
        judged_at=flag.closed_at,
    )


@transaction.atomic
def finding_open(
    *,
    actor: Actor,
    title: str,
    condition: str,
    recommendation: str,
    responsible: User,
    due_date: datetime.date,
    criteria: str = "",
    sanction_level: str = "",
    application=None,
    officer=None,
    flags=(),
) -> Finding:
    """Record a finding; the flags it comes from are closed as "finding". The responsible
    person is told through the outbox."""
    _require_auditor(actor)
    if not (title.strip() and condition.strip() and recommendation.strip()):
        raise ActionRefused(_("Judul, kondisi, dan rekomendasi temuan wajib diisi."))
    if due_date < timezone.localdate():
        raise ActionRefused(_("Batas tindak lanjut tidak boleh di masa lalu."))
    if responsible.role not in RESPONSIBLE_ROLES or not responsible.is_active:
        raise ActionRefused(_("Penanggung jawab harus pegawai aktif."))
    now = timezone.now()
    year = timezone.localtime(now).year
    finding = Finding(
        number=f"TEMUAN/{year}/{next_value(f'finding:{year}'):04d}",
        application=application,
        officer=officer,
        title=title.strip(),
        condition=condition.strip(),
        criteria=criteria.strip(),
        recommendation=recommendation.strip(),
        sanction_level=sanction_level,
        responsible=responsible,
        due_date=due_date,
        opened_by=actor.user,
        opened_at=now,
    )
    finding._history_user = actor.user
    finding.save()
    for flag in Flag.objects.select_for_update().filter(pk__in=[f.pk for f in flags]):
        if flag.state != FlagState.OPEN:
            raise ActionRefused(_("Bendera ini sudah ditelaah."))
        flag.state, flag.finding = FlagState.FINDING, finding
        flag.closed_by, flag.closed_at = actor.user, now
        flag._history_user = actor.user
        flag.save()
        _verdict(flag, confirmed=True)
    _tell(finding.responsible, "integrity.finding_opened", finding)
    return finding


@transaction.atomic
def finding_report(*, finding: Finding, actor: Actor, note: str) -> FollowUp:
    """The responsible person reports what was done; the finding is then in follow-up."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if not may_report(finding, actor.user):
        raise PermissionDenied(_("Hanya penanggung jawab yang melaporkan tindak lanjut."))
    if not note.strip():
        raise ActionRefused(_("Uraikan tindak lanjut yang sudah dilakukan."))
    follow_up = _follow_up(finding, actor, FollowUp.Kind.REPORT, note)
    if finding.state == FindingState.OPEN:
        finding.state = FindingState.IN_PROGRESS
        finding._history_user = actor.user
        finding.save(update_fields=["state"])
    for auditor in User.objects.filter(pk=finding.opened_by_id, is_active=True):
        _tell(auditor, "integrity.finding_reported", finding)
    return follow_up


@transaction.atomic
def finding_assess(*, finding: Finding, actor: Actor, accepted: bool, note: str) -> FollowUp:
    """The auditor accepts the follow-up (the finding closes) or returns it as not yet
    adequate (it stays open for the responsible person)."""
    _require_auditor(actor)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.state == FindingState.CLOSED:
        raise ActionRefused(_("Temuan ini sudah selesai."))
    if not note.strip():
        raise ActionRefused(_("Tuliskan penilaian atas tindak lanjut."))
    latest = finding.follow_ups.order_by("-created_at", "-id").first()
    if accepted and (latest is None or latest.kind != FollowUp.Kind.REPORT):
        # Nothing reported, or the last report was already sent back: wait for a new one.
        raise ActionRefused(_("Belum ada laporan tindak lanjut baru untuk diterima."))
    kind = FollowUp.Kind.ACCEPTED if accepted else FollowUp.Kind.RETURNED
    follow_up = _follow_up(finding, actor, kind, note)
    if accepted:
        finding.state, finding.closed_at = FindingState.CLOSED, timezone.now()
    finding._history_user = actor.user
    finding.save(update_fields=["state", "closed_at"])
    _tell(finding.responsible, "integrity.finding_assessed", finding, accepted=accepted)
    return follow_up


def _follow_up(finding: Finding, actor: Actor, kind: str, note: str) -> FollowUp:
    return FollowUp.objects.create(
        finding=finding,
        kind=kind,
        note=note.strip(),
        author=actor.user,
        author_role=actor.user.role,
    )


def _tell(user, kind: str, finding: Finding, **extra) -> None:
    message_queue(
        kind=kind,
        context={"finding": finding, "site_url": settings.SITE_URL, **extra},
        recipient=user,
    )
