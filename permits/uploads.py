"""Checking an uploaded document by its content, not by its name."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _

# The first bytes of each accepted format.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


class UploadRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def sniff_format(head: bytes) -> str | None:
    for name, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return name
    return None


def upload_inspect(uploaded, *, formats: list[str], max_size_kb: int) -> tuple[str, str]:
    """Validate an uploaded file; return (format, sha256) or raise ``UploadRejected``."""
    size = uploaded.size or 0
    if size == 0:
        raise UploadRejected(_("Berkas kosong. Pilih berkas yang berisi dokumen."))
    if size > max_size_kb * 1024:
        raise UploadRejected(
            _("Berkas terlalu besar (%(size)s KB). Batasnya %(limit)s KB.")
            % {"size": (size + 1023) // 1024, "limit": max_size_kb}
        )
    uploaded.seek(0)
    kind = sniff_format(uploaded.read(16))
    accepted = ", ".join(f.upper() for f in formats)
    if kind is None:
        raise UploadRejected(
            _(
                "Isi berkas bukan PDF, JPEG atau PNG (nama berkas tidak menentukan jenisnya). "
                "Format yang diterima: %(formats)s."
            )
            % {"formats": accepted}
        )
    if kind not in formats:
        raise UploadRejected(_("Dokumen ini harus berformat %(formats)s.") % {"formats": accepted})
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return kind, digest.hexdigest()
