"""The first page of a PDF document as a PNG, for the counter's checklist.

Rendered once with poppler's ``pdftoppm`` and kept beside the documents (a document
version never changes, so neither does its preview). An unreadable PDF has no preview.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile

from core.storage import StoredFileAltered, read_checked
from permits.models import Document

log = logging.getLogger(__name__)
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"  # poppler-utils
WIDTH_PX = 900
TIMEOUT_S = 20


def preview_name(document: Document) -> str:
    return f"previews/{document.public_id}.png"


def pdf_first_page(document: Document) -> str | None:
    """The storage name of the document's first-page PNG (rendered on first use), or None
    when the PDF cannot be rendered."""
    storage, name = document.file.storage, preview_name(document)
    if storage.exists(name):
        return name
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "document.pdf"
        try:
            with read_checked(document.file, document.sha256) as stored:
                source.write_bytes(stored.read())
        except StoredFileAltered as altered:  # the download says so; no picture of it
            log.error("Stored file altered, no preview: %s", altered)
            return None
        target = Path(work) / "page"
        try:
            # Fixed arguments; the input is our own copy in a temporary directory.
            subprocess.run(  # noqa: S603
                [
                    PDFTOPPM,
                    "-png",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    "-scale-to",
                    str(WIDTH_PX),
                    str(source),
                    str(target),
                ],
                check=True,
                capture_output=True,
                timeout=TIMEOUT_S,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            log.info("no preview for document %s: %s", document.public_id, exc)
            return None
        png = target.with_suffix(".png").read_bytes()
    if not storage.exists(name):
        storage.save(name, ContentFile(png))
    return name
