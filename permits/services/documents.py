"""Uploading documents: every version kept, checked by content, recorded."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from core.storage import StorageUnavailable, store
from permits.document_text import text_sha256
from permits.event_names import DOCUMENT_UPLOADED
from permits.models import Application, Channel, Document, Requirement, Stage
from permits.services.checks import BAD, wanting_digests
from permits.services.context import ActionRefused, Actor
from permits.services.events import file_event
from permits.uploads import CONTENT_TYPES, UploadRejected, upload_inspect

APPLICANT_UPLOAD_STAGES = {Stage.DRAFT, Stage.RETURNED}
COUNTER_UPLOAD_STAGES = {Stage.DRAFT, Stage.SUBMITTED, Stage.VERIFICATION, Stage.RETURNED}


class UploadRefused(ActionRefused):
    """The upload itself is wrong (its content, format or size), not the file's state."""


def may_upload(application: Application, user) -> bool:
    """The applicant (or the partner system that filed it) while the file is theirs to
    complete; counter staff for walk-in files and the counter officer holding the file
    (scans of paper documents)."""
    if user is None:
        return False
    if application.is_applicant(user) or user.role == Role.PARTNER:
        return application.state in APPLICANT_UPLOAD_STAGES and application.speaks_for_applicant(
            user
        )
    if user.role != Role.COUNTER or application.state not in COUNTER_UPLOAD_STAGES:
        return False
    return application.channel == Channel.COUNTER or application.assigned_to_id == user.pk


@transaction.atomic
def document_upload(
    *, application: Application, requirement: Requirement, uploaded, actor: Actor
) -> Document:
    """Store a new version of a requirement's document, checked by its content.

    For a requirement found missing or invalid, content found wanting (the same SHA-256 as
    a version the officer refused) is not a replacement and is refused, with a message
    saying the file is the one returned. Other byte-identical versions are kept and marked
    (``same_as_version``): the officer sees "isi sama dengan versi sebelumnya".
    """
    app = Application.objects.select_for_update().get(pk=application.pk)
    if not may_upload(app, actor.user):
        raise PermissionDenied(_("Anda tidak dapat mengunggah dokumen untuk berkas ini sekarang."))
    if requirement.permit_type_id != app.permit_type_id or not requirement.active:
        raise PermissionDenied
    try:
        kind, sha256 = upload_inspect(
            uploaded, formats=requirement.formats, max_size_kb=requirement.max_size_kb
        )
    except UploadRejected as exc:
        raise UploadRefused(f"{requirement.name}: {exc.message}") from exc
    check = app.checks.filter(requirement=requirement).first()
    if check is not None and check.status in BAD and sha256 in wanting_digests(check):
        raise UploadRefused(
            f"{requirement.name}: "
            + _(
                "Berkas ini sama persis dengan yang dikembalikan petugas. "
                "Unggah dokumen yang sudah diperbaiki."
            )
        )
    latest = app.documents.filter(requirement=requirement).aggregate(v=Max("version"))["v"]
    # Byte-identical to an earlier version (a requirement not refused takes it): the officer
    # is told "isi sama dengan versi sebelumnya", the event names the version.
    same_as = (
        app.documents.filter(requirement=requirement, sha256=sha256)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    document = Document(
        application=app,
        requirement=requirement,
        version=(latest or 0) + 1,
        original_name=(uploaded.name or "dokumen")[-255:],
        content_type=CONTENT_TYPES[kind],
        size=uploaded.size,
        sha256=sha256,
        uploaded_by=actor.user,
        uploaded_at=timezone.now(),
    )
    uploaded.seek(0)
    words = text_sha256(uploaded.read(), kind)
    uploaded.seek(0)
    try:
        store(document.file, f"{document.version}", uploaded)
    except StorageUnavailable as exc:
        raise ActionRefused(exc.message) from exc
    document._history_user = actor.user
    document.save()
    file_event(
        application=app,
        action=DOCUMENT_UPLOADED,
        actor=actor,
        data={
            "requirement": requirement.code,
            "version": document.version,
            "sha256": sha256,
            "size": document.size,
        }
        | ({"same_as_version": same_as} if same_as else {})
        | ({"text_sha256": words} if words else {}),
    )
    return document
