"""What the head of office sees before signing: the permit exactly as it will be issued
(the same snapshot ``permit_issue`` stores, the same template and stylesheet, rendered by
WeasyPrint), marked PRATINJAU, its page turned into a PNG by poppler's pdftoppm. The number
is taken only when signing (numbers are gapless), so the preview says so in its place."""

from __future__ import annotations

import subprocess

from django.utils import timezone

from issuance.document import permit_pdf_unsigned
from issuance.services.issue import permit_draft
from permits.models import Application, Stage

# Always Indonesian, like the permit itself.
NUMBER_PENDING = "(nomor diberikan saat ditandatangani)"
CODE_PENDING = "PRATINJAU"
RESOLUTION = 110  # dots per inch: an A4 page 910 px wide, legible at desk width


def may_preview(app: Application, user) -> bool:
    """Only whoever may sign the file now (the head of office, the file in signing, not
    held, not their own) previews its permit."""
    return (
        user is not None
        and user.is_authenticated
        and app.state == Stage.SIGNING
        and app.may_fire("sign", user)
    )


def permit_preview_pdf(app: Application, signer) -> bytes:
    permit = permit_draft(app, signer, timezone.now(), number=NUMBER_PENDING)
    permit.code = CODE_PENDING
    return permit_pdf_unsigned(permit, preview=True)


def permit_preview_png(app: Application, signer) -> bytes:
    """The preview's first (only) page as a PNG."""
    pdf = permit_preview_pdf(app, signer)
    done = subprocess.run(  # noqa: S603 (a fixed command; the PDF goes in on stdin)
        ["/usr/bin/pdftoppm", "-png", "-r", str(RESOLUTION), "-singlefile", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout
