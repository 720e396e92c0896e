"""The words of a PDF document, as a digest.

Two PDFs with other bytes and the same words (a certificate exported or printed to PDF
again, a file saved anew) are the same document; a renewed one (new dates, a new number)
is not. The text is read by poppler's ``pdftotext`` and compared with its spacing and case
folded. A scan (a page that is a picture) has no words, nor has an image: no digest, and
nothing is said about them.

Used by the FLIP red flag: an "ok" on a version whose words are those of a version found
wanting is an "ok" on content already refused, whatever its bytes.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess

log = logging.getLogger(__name__)
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"  # poppler-utils
TIMEOUT_S = 20
MIN_CHARS = 20  # fewer words than this say nothing of which document it is


def text_sha256(content: bytes, kind: str) -> str:
    """The SHA-256 of the document's words, or "" when it has too few to tell."""
    if kind != "pdf":
        return ""
    try:
        # Fixed arguments; the PDF comes on standard input.
        result = subprocess.run(  # noqa: S603
            [PDFTOTEXT, "-q", "-enc", "UTF-8", "-", "-"],
            input=content,
            capture_output=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except (subprocess.TimeoutExpired, OSError) as exc:
        log.info("No text digest: pdftotext failed (%s)", exc)
        return ""
    if result.returncode != 0:
        return ""
    words = " ".join(result.stdout.decode("utf-8", "replace").split()).casefold()
    if len(words) < MIN_CHARS:
        return ""
    return hashlib.sha256(words.encode()).hexdigest()
