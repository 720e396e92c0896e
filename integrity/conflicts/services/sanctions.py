"""The sanctions register (PP 94/2021): recorded by the head of office or the
inspectorate, with the outcome of an administrative appeal."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from integrity.conflicts.models import (
    SANCTION_LEVELS,
    AppealStatus,
    Sanction,
)
from permits.services.context import ActionRefused, Actor


def may_record_sanction(user) -> bool:
    return user is not None and user.is_active and user.role in {Role.HEAD, Role.AUDITOR}


@transaction.atomic
def sanction_record(*, actor: Actor, officer: User, **fields) -> Sanction:
    """Record a disciplinary decision (PP 94/2021); the kind must belong to the level."""
    if not may_record_sanction(actor.user):
        raise PermissionDenied(_("Hukuman disiplin dicatat oleh Kepala Dinas atau Inspektorat."))
    if fields["kind"] not in SANCTION_LEVELS.get(fields["level"], ()):
        raise ActionRefused(_("Jenis hukuman tidak sesuai tingkatnya (PP 94/2021 pasal 8)."))
    if not fields.get("legal_basis", "").strip() or not fields.get("decided_by", "").strip():
        raise ActionRefused(_("Isi dasar hukum dan pejabat yang memutus."))
    sanction = Sanction(officer=officer, recorded_by=actor.user, **fields)
    sanction._history_user = actor.user
    sanction.save()
    return sanction


@transaction.atomic
def sanction_appeal_update(*, sanction: Sanction, actor: Actor, status: str) -> Sanction:
    if not may_record_sanction(actor.user) or status not in AppealStatus.values:
        raise PermissionDenied
    sanction.appeal_status = status
    sanction._history_user = actor.user
    sanction.save(update_fields=["appeal_status"])
    return sanction
