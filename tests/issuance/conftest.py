"""The fixtures of tests/issuance/ (its helpers: ``tests.issuance.kit``)."""

from __future__ import annotations

import pytest

from tests.issuance.kit import SECRET


@pytest.fixture(scope="session")
def unsigned_pdf() -> bytes:
    """A small one-page PDF, as WeasyPrint renders permits."""
    import weasyprint

    html = "<title>Izin Usaha</title><h1>Surat Izin Usaha</h1><p>Nomor 503/001/DPMPTSP/2025</p>"
    return weasyprint.HTML(string=html).write_pdf()


@pytest.fixture
def bank(settings):
    settings.BANK_CALLBACK_SECRET = SECRET
    settings.BANK_CALLBACK_TOLERANCE_SECONDS = 300
    return settings
