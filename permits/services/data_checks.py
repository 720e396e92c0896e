"""The counter's verdict on what a file states about the thing permitted (its details), and
the applicant's correction of the fields the counter named (issue 19.4).

The verdict sits beside the requirements' checks: "right", or "wrong" in named fields with a
note for the applicant. A file is complete only once its data is right too. A return may name
fields to correct; the applicant then changes those and nothing else, and a named field left
as it was found wrong holds the resubmission back. Passing as right data found wrong and not
corrected since needs the officer's written reason, recorded for the auditors.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from permits.details.spec import labels
from permits.details.values import details_clean
from permits.event_names import DATA_CHECKED, DATA_CORRECTED
from permits.models import Application, DataCheck, DataStatus, Stage
from permits.services.checks import may_check
from permits.services.context import (
    ActionRefused,
    Actor,
    HeldRefused,
    action_guards_check,
)
from permits.services.events import file_event, held_attempts_recorded
from places.selectors import gazetteer


def data_check_of(application: Application) -> DataCheck | None:
    """The file's data check, or None when its type asks nothing of its own."""
    try:
        return application.data_check
    except DataCheck.DoesNotExist:
        return None


def field_labels(application: Application, keys) -> list[str]:
    return labels(application.form_spec, keys, get_language() or "id")


@held_attempts_recorded
@transaction.atomic
def data_check_update(
    *,
    application: Application,
    status: str,
    note: str,
    actor: Actor,
    fields: list[str] = (),
    locked: bool = False,
) -> DataCheck:
    """Record the verdict on the file's data: ``status`` "ok" or "wrong" (naming ``fields``
    with a ``note`` for the applicant)."""
    app = application if locked else Application.objects.select_for_update().get(pk=application.pk)
    if not may_check(app, actor.user):
        raise PermissionDenied(_("Anda tidak dapat memeriksa data berkas ini sekarang."))
    if app.held_since is not None:
        raise HeldRefused(app.pk, actor, "check")
    action_guards_check(app, actor.user, "check")
    check = DataCheck.objects.select_for_update().get(application=app)
    note, keys = note.strip(), {f["key"] for f in app.form_spec}
    fields = [key for key in dict.fromkeys(fields) if key in keys]
    if status == DataStatus.WRONG:
        if not fields:
            raise ActionRefused(_("Pilih isian data yang harus diperbaiki pemohon."))
        if not note:
            raise ActionRefused(_("Tuliskan catatan: apa yang salah dan cara memperbaikinya."))
    elif status == DataStatus.OK:
        fields = []
    else:
        raise ActionRefused(_("Pilih hasil pemeriksaan data permohonan."))
    uncorrected = check.uncorrected(app.details) if status == DataStatus.OK else []
    if uncorrected and not note:
        raise ActionRefused(
            _(
                "Data yang pernah dinyatakan salah belum diperbaiki pemohon: %(fields)s. "
                "Tuliskan alasannya pada catatan bila tetap dinyatakan benar."
            )
            % {"fields": ", ".join(field_labels(app, uncorrected))}
        )
    previous = check.status
    if (previous, check.note, check.fields) == (status, note, fields) and not uncorrected:
        return check
    check.status, check.note, check.fields = status, note, fields
    check.found = {key: app.details.get(key) for key in fields}
    check.checked_by, check.checked_at = actor.user, timezone.now()
    check._history_user = actor.user
    check.save()
    file_event(
        application=app,
        action=DATA_CHECKED,
        actor=actor,
        note=note,
        data={"from": previous, "to": status, "fields": fields}
        | ({"uncorrected": uncorrected} if uncorrected else {}),
    )
    return check


def may_correct(application: Application, user) -> bool:
    """Whoever speaks for the applicant (the applicant, the counter on a walk-in file, the
    partner system that filed it) may correct the named fields of a returned file."""
    return application.state == Stage.RETURNED and application.speaks_for_applicant(user)


@transaction.atomic
def data_correct(*, application: Application, actor: Actor, values: dict) -> Application:
    """Change the fields the counter named on a returned file, and only those. ``values``
    are the cleaned values of those fields (``permits.details``); the others stay as filed."""
    app = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if not may_correct(app, actor.user):
        raise PermissionDenied(_("Data berkas ini tidak dapat diubah sekarang."))
    check = data_check_of(app)
    named = set(check.fields) if check and check.status == DataStatus.WRONG else set()
    if set(values) - named:
        raise PermissionDenied(_("Hanya isian yang diminta petugas yang dapat diubah."))
    details = {key: value for key, value in app.details.items() if key not in named}
    details |= {key: value for key, value in values.items() if value is not None}
    if details == app.details:
        return app
    changed = sorted(key for key in named if details.get(key) != app.details.get(key))
    app.details = details
    app._history_user = actor.user
    app.save(update_fields=["details"])
    file_event(application=app, action=DATA_CORRECTED, actor=actor, data={"fields": changed})
    return app


def data_wanting(application: Application) -> list[str]:
    """The labels of the named fields a resubmission still waits for: left as found wrong,
    or missing or invalid now."""
    check = data_check_of(application)
    if check is None or check.status != DataStatus.WRONG:
        return []
    cleaned = details_clean(
        application.form_spec, application.details, places=gazetteer(), complete=True
    )
    wanting = set(check.uncorrected(application.details)) | (
        set(cleaned.errors) & set(check.fields)
    )
    return field_labels(application, wanting)
