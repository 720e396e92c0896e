"""The officer's verdict on each requirement of a file."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from permits.models import Application, CheckStatus, RequirementCheck
from permits.models.stages import CHECK_STAGES
from permits.services.context import ActionRefused, Actor, HeldRefused, action_guards_check
from permits.services.events import file_event, held_attempts_recorded

BAD = {CheckStatus.MISSING, CheckStatus.INVALID}


def may_check(application: Application, user) -> bool:
    role = CHECK_STAGES.get(application.state)
    return (
        user is not None
        and role is not None
        and user.role == role
        and application.assigned_to_id == user.pk
        and not application.is_applicant(user)
    )


@held_attempts_recorded
@transaction.atomic
def check_update(
    *,
    check: RequirementCheck,
    status: str,
    note: str,
    actor: Actor,
    application: Application | None = None,
) -> RequirementCheck:
    """Record a verdict on one requirement.

    A requirement found missing or invalid may become "ok" only once a newer document
    version exists, or with a note that says why (for example, the original was shown at
    the counter): a file does not turn complete by a click alone.
    """
    app = application or Application.objects.select_for_update().get(pk=check.application_id)
    if not may_check(app, actor.user):
        raise PermissionDenied(_("Anda tidak dapat memeriksa persyaratan berkas ini sekarang."))
    if app.held_since is not None:
        raise HeldRefused(app.pk, actor, "check")
    action_guards_check(app, actor.user, "check")
    if status not in CheckStatus.values or status == CheckStatus.PENDING:
        raise ActionRefused(_("Pilih hasil pemeriksaan."))
    note = note.strip()
    if status in BAD and not note:
        raise ActionRefused(
            _("Tuliskan catatan: apa yang kurang atau salah, dan cara memperbaikinya.")
        )
    previous = check.status
    if previous in BAD and status == CheckStatus.OK and not note:
        newer = app.documents.filter(
            requirement_id=check.requirement_id, uploaded_at__gt=check.checked_at
        ).exists()
        if not newer:
            raise ActionRefused(
                _(
                    "Persyaratan ini sebelumnya kurang atau tidak sah dan belum ada dokumen baru. "
                    "Tuliskan catatan bila tetap dinyatakan sesuai."
                )
            )
    check.status, check.note = status, note
    check.checked_by, check.checked_at = actor.user, timezone.now()
    check._history_user = actor.user
    check.save()
    file_event(
        application=app,
        action="check.updated",
        actor=actor,
        note=note,
        data={"requirement": check.requirement.code, "from": previous, "to": status},
    )
    return check
