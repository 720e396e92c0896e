"""The officer's verdict on each requirement of a file.

A requirement found missing or invalid is "found wanting"; the document version that was
the latest at that verdict is content found wanting, known by its SHA-256. Such content
never counts as a replacement: the applicant cannot upload it again
(``permits.services.documents``), the file cannot be resubmitted before every flagged
requirement has new content (``checks_awaiting_replacement``), and an officer who passes it
as "ok" writes why, which is recorded (``check.reaffirmed_wanting``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from permits.event_names import CHECK_REAFFIRMED_WANTING, CHECK_UPDATED
from permits.models import Application, CheckStatus, Document, RequirementCheck
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


def _versions(check: RequirementCheck) -> list[Document]:
    return list(
        Document.objects.filter(
            application_id=check.application_id, requirement_id=check.requirement_id
        ).order_by("version")
    )


def wanting_digests(check: RequirementCheck, versions: list[Document] | None = None) -> set[str]:
    """The SHA-256 of every version found wanting: at each verdict "missing" or "invalid"
    on this requirement (its history), the latest version uploaded by then."""
    versions = _versions(check) if versions is None else versions
    verdicts = check.history.filter(status__in=sorted(BAD)).values_list("checked_at", flat=True)
    digests = set()
    for at in verdicts:
        seen = [v for v in versions if at is not None and v.uploaded_at <= at]
        if seen:
            digests.add(seen[-1].sha256)
    return digests


def check_replaced(check: RequirementCheck, versions: list[Document] | None = None) -> bool:
    """Whether a flagged requirement has a document uploaded after the verdict whose content
    differs from every version found wanting (a check not flagged needs nothing)."""
    if check.status not in BAD:
        return True
    versions = _versions(check) if versions is None else versions
    newer = [v for v in versions if check.checked_at is None or v.uploaded_at > check.checked_at]
    if not newer:
        return False
    return newer[-1].sha256 not in wanting_digests(check, versions)


def verdict_stands(check: RequirementCheck, versions: list[Document] | None = None) -> bool:
    """Whether the saved verdict still judges the latest document: one was given and no
    version was uploaded after it (a new document needs a new verdict)."""
    if check.status == CheckStatus.PENDING or check.checked_at is None:
        return False
    versions = _versions(check) if versions is None else versions
    return all(v.uploaded_at <= check.checked_at for v in versions)


def verdict_unchanged(check: RequirementCheck, status: str, note: str) -> bool:
    """Saving (status, note) again would add nothing: the same verdict, still standing."""
    return (check.status, check.note) == (status, note.strip()) and verdict_stands(check)


def checks_awaiting_replacement(*, application: Application) -> list[RequirementCheck]:
    """The requirements found missing or invalid that still wait for a new document: the
    file goes back to its officer only when this is empty."""
    flagged = list(
        application.checks.filter(status__in=sorted(BAD))
        .select_related("requirement")
        .order_by("requirement__position")
    )
    return [check for check in flagged if not check_replaced(check)]


# Why an "ok" is given on content found wanting (``check.updated`` data ``content``).
SAME_HASH = "same_hash"  # the latest document is byte-identical to a version found wanting
NO_NEW_DOCUMENT = "no_new_document"  # nothing uploaded since it was found wanting


def content_found_wanting(
    check: RequirementCheck, previous: str, versions: list[Document] | None = None
) -> str | None:
    """Whether an "ok" now would judge content already found wanting, and how (None: the
    latest document is new content, or the requirement was never found wanting)."""
    versions = _versions(check) if versions is None else versions
    latest = versions[-1] if versions else None
    if previous in BAD and (latest is None or latest.uploaded_at <= check.checked_at):
        return NO_NEW_DOCUMENT
    if latest is not None and latest.sha256 in wanting_digests(check, versions):
        return SAME_HASH
    return None


WANTING_MESSAGES = {
    NO_NEW_DOCUMENT: _lazy(
        "Persyaratan ini sebelumnya kurang atau tidak sah dan belum ada dokumen baru."
    ),
    SAME_HASH: _lazy(
        "Isi dokumen ini sama persis dengan versi yang sebelumnya dinyatakan kurang atau tidak sah."
    ),
}


def wanting_notice(check: RequirementCheck, versions: list[Document] | None = None) -> str:
    """What the checklist tells the officer before an "ok" on this requirement: that its
    document is the one found wanting (or nothing new came), or "" when it is new."""
    reason = content_found_wanting(check, check.status, versions)
    return str(WANTING_MESSAGES[reason]) if reason else ""


def _wanting_reason(check: RequirementCheck, previous: str) -> tuple[str | None, str | None]:
    """(reason code, what the officer is told) when turning this check "ok" needs a note."""
    reason = content_found_wanting(check, previous)
    if reason is None:
        return None, None
    return reason, (
        str(WANTING_MESSAGES[reason])
        + " "
        + _("Tuliskan alasannya pada catatan bila tetap dinyatakan sesuai.")
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

    A requirement found missing or invalid may become "ok" only once a document with new
    content exists, or with a note that says why (for example, the original was shown at
    the counter): a file does not turn complete by a click alone. The same holds for an
    "ok" on a document byte-identical (SHA-256) to a version found wanting, whatever the
    verdict before. Such an "ok" is allowed with the written reason and recorded twice: its
    ``check.updated`` carries ``same_content`` (and ``content``: ``same_hash`` or
    ``no_new_document``) for the FLIP rule, and ``check.reaffirmed_wanting`` names the
    version passed, for the auditors.
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
    wanting = None
    # A new "ok", or an "ok" given again on a document uploaded since (it may be old content).
    if status == CheckStatus.OK and (previous != CheckStatus.OK or not verdict_stands(check)):
        wanting, message = _wanting_reason(check, previous)
        if wanting and not note:
            raise ActionRefused(message)
    check.status, check.note = status, note
    check.checked_by, check.checked_at = actor.user, timezone.now()
    check._history_user = actor.user
    check.save()
    code = check.requirement.code
    file_event(
        application=app,
        action=CHECK_UPDATED,
        actor=actor,
        note=note,
        data={"requirement": code, "from": previous, "to": status}
        | ({"same_content": True, "content": wanting} if wanting else {}),
    )
    if wanting:
        latest = app.documents.filter(requirement_id=check.requirement_id).order_by("-version")
        document = latest.first()
        file_event(
            application=app,
            action=CHECK_REAFFIRMED_WANTING,
            actor=actor,
            note=note,
            data={
                "requirement": code,
                "from": previous,
                "version": document.version if document else None,
                "sha256": document.sha256 if document else None,
            },
        )
    return check


class ChecklistRefused(ActionRefused):
    """The checklist was not saved; ``errors`` maps check ids to what is wrong with each."""

    def __init__(self, message, errors: dict[int, str]) -> None:
        super().__init__(message)
        self.errors = errors


@held_attempts_recorded
@transaction.atomic
def checklist_save(
    *,
    application: Application,
    verdicts: dict[int, tuple[str, str]],
    actor: Actor,
    data: tuple[str, str, list[str]] | None = None,
) -> list[RequirementCheck]:
    """Save the verdict on every requirement of the file at once (``verdicts`` maps check
    ids to (status, note)), and on its data when its type has fields of its own (``data``:
    (status, note, fields to correct); ``permits.services.data_checks``).

    There is no default verdict: every requirement needs a choice, or nothing is saved.
    Each changed verdict goes through ``check_update`` and its rules; one refusal saves
    nothing and says which requirement.
    """
    app = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if not may_check(app, actor.user):
        raise PermissionDenied(_("Anda tidak dapat memeriksa persyaratan berkas ini sekarang."))
    if app.held_since is not None:
        raise HeldRefused(app.pk, actor, "check")
    checks = list(app.checks.select_related("requirement").order_by("requirement__position"))
    unchosen = {
        c.pk: _("Pilih hasil pemeriksaan.")
        for c in checks
        if not verdicts.get(c.pk, ("", ""))[0] or verdicts[c.pk][0] == CheckStatus.PENDING
    }
    from permits.services.data_checks import data_check_of, data_check_update

    data_check = data_check_of(app)
    if data_check is not None and not (data and data[0]):
        unchosen["data"] = _("Pilih hasil pemeriksaan data permohonan.")
    if unchosen:
        names = [c.requirement.name for c in checks if c.pk in unchosen]
        names += [_("Data permohonan")] if "data" in unchosen else []
        names = ", ".join(names)
        raise ChecklistRefused(
            _("Pilih hasil pemeriksaan untuk setiap persyaratan. Belum dipilih: %(names)s.")
            % {"names": names},
            unchosen,
        )
    for check in checks:
        status, note = verdicts[check.pk]
        if verdict_unchanged(check, status, note):
            continue
        try:
            check_update(check=check, status=status, note=note, actor=actor, application=app)
        except ActionRefused as refused:
            message = f"{check.requirement.name}: {refused.message}"
            raise ChecklistRefused(message, {check.pk: refused.message}) from refused
    if data_check is not None:
        status, note, fields = data
        try:
            data_check_update(
                application=app, status=status, note=note, fields=fields, actor=actor, locked=True
            )
        except ActionRefused as refused:
            message = f"{_('Data permohonan')}: {refused.message}"
            raise ChecklistRefused(message, {"data": refused.message}) from refused
    return checks
