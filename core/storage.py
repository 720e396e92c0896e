"""Stored files read back only when they are what was stored (issue 20.2).

Every file Terang keeps (a document version, a receipt, a permit, a complaint's evidence,
a monev report) has its SHA-256 written beside it when it is stored. Whether the bytes
live on disk or in a bucket, a view hands them out through ``checked_response``: the
stored object is read once into a spooled temporary file while its digest is computed,
and only bytes whose digest matches are sent. A file changed where it is stored (by hand
in the bucket, by a disk fault) is refused with a plain message and an ERROR in the log,
never served as if it were the original.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
IN_MEMORY = 4 * 1024 * 1024  # a larger file spills to a temporary file on disk


def _storage_errors() -> tuple[type[Exception], ...]:
    """What a storage that cannot be reached raises: the disk's OSError, botocore's errors
    for a bucket (when django-storages' S3 backend is installed)."""
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # pragma: no cover - botocore comes with the S3 backend
        return (OSError,)
    return (OSError, BotoCoreError, ClientError)


STORAGE_ERRORS = _storage_errors()


class StorageUnavailable(Exception):
    """The file could not be stored: the person is told, the rest of the form is kept."""

    def __init__(self):
        self.message = _(
            "Penyimpanan berkas sedang tidak dapat dijangkau, jadi berkas Anda belum tersimpan. "
            "Silakan unggah lagi beberapa saat lagi; isian lain tidak hilang."
        )
        super().__init__(self.message)


def store(field_file, name: str, content) -> None:
    """Save ``content`` under ``name`` in the field's storage (disk or bucket), without
    saving the row; ``StorageUnavailable`` when the storage cannot be reached."""
    try:
        field_file.save(name, content, save=False)
    except STORAGE_ERRORS as exc:
        logger.error("File storage unreachable, %s not stored: %s", name, exc)
        raise StorageUnavailable from exc


class StoredFileAltered(Exception):
    def __init__(self, name: str, expected: str, found: str):
        super().__init__(f"{name}: SHA-256 {found}, stored as {expected}")
        self.name, self.expected, self.found = name, expected, found


def read_checked(field_file, sha256: str):
    """The stored bytes as a file rewound to its start, if their SHA-256 is ``sha256``;
    ``StoredFileAltered`` otherwise."""
    digest = hashlib.sha256()
    copy = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 (returned open)
    with field_file.storage.open(field_file.name, "rb") as stored:
        while chunk := stored.read(CHUNK):
            digest.update(chunk)
            copy.write(chunk)
    found = digest.hexdigest()
    if found != sha256:
        copy.close()
        raise StoredFileAltered(field_file.name, sha256, found)
    copy.seek(0)
    return copy


def file_sha256(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as stored:
        while chunk := stored.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def checked_response(field_file, sha256: str, **kwargs) -> HttpResponse:
    """A ``FileResponse`` of the stored file (``kwargs`` as FileResponse takes them) when
    it is intact; a 500 that says so when it is not."""
    try:
        content = read_checked(field_file, sha256)
    except StoredFileAltered as altered:
        logger.error("Stored file altered, not served: %s", altered)
        return HttpResponse(
            _(
                "Berkas tersimpan ini tidak sama dengan yang dulu disimpan (sidik SHA-256 "
                "berbeda), jadi tidak kami berikan. Kejadian ini tercatat untuk diperiksa petugas."
            ),
            status=500,
            content_type="text/plain; charset=utf-8",
        )
    response = FileResponse(content, **kwargs)
    response["Cache-Control"] = "private, no-store"
    return response
