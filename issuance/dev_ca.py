"""The development signing CA's name, and how to recognise its certificates.

Kept free of Django imports: the settings use it to refuse the development CA when DEBUG is off.
"""

from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import NameOID

CA_COMMON_NAME = "Terang Development Root CA (not for production)"


def dev_signing_files(paths: list[Path]) -> list[Path]:
    """Those of ``paths`` that hold a certificate issued by (or being) the development CA;
    missing or unreadable files are not this check's business (signing reports them)."""
    found = []
    for path in paths:
        try:
            certificate = x509.load_pem_x509_certificate(Path(path).read_bytes())
        except (OSError, ValueError):
            continue
        names = (certificate.issuer, certificate.subject)
        if any(
            attribute.value == CA_COMMON_NAME
            for name in names
            for attribute in name.get_attributes_for_oid(NameOID.COMMON_NAME)
        ):
            found.append(path)
    return found
