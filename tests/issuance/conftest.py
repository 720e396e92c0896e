from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.permits.conftest import office  # noqa: F401 (the same small office as elsewhere)


def use_signing_dir(settings, directory: Path) -> Path:
    """Point every SIGNING_* file setting into ``directory``, as the defaults do for VAR_DIR."""
    settings.SIGNING_DIR = directory
    settings.SIGNING_KEY_FILE = directory / "signer.key"
    settings.SIGNING_CERT_FILE = directory / "signer.pem"
    settings.SIGNING_CHAIN_FILES = [directory / "ca.pem"]
    settings.SIGNING_TRUST_ROOTS = [directory / "ca.pem"]
    return directory


@pytest.fixture
def make_signing_ca(settings):
    """Create a development CA and signer in a directory and make it the configured one."""

    def make(directory: Path, *args) -> Path:
        use_signing_dir(settings, directory)
        call_command("signing_dev_ca", *args, stdout=StringIO())
        return directory

    return make


@pytest.fixture
def signing_ca(make_signing_ca, tmp_path) -> Path:
    """A fresh development CA and signer under a temporary SIGNING_DIR (returned)."""
    return make_signing_ca(tmp_path / "signing")


@pytest.fixture(scope="session")
def unsigned_pdf() -> bytes:
    """A small one-page PDF, as WeasyPrint renders permits."""
    import weasyprint

    html = "<title>Izin Usaha</title><h1>Surat Izin Usaha</h1><p>Nomor 503/001/DPMPTSP/2025</p>"
    return weasyprint.HTML(string=html).write_pdf()
