"""Create a development CA and permit-signing certificate (never for production)."""

import datetime as dt
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand

from issuance.dev_ca import CA_COMMON_NAME


def _write(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write ``data`` atomically; a private file is created with mode 0600 from the start."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    if private:
        path.chmod(0o600)


def _key_pem(key: rsa.RSAPrivateKey, passphrase: str) -> bytes:
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


class Command(BaseCommand):
    help = (
        "Create a development root CA and a permit-signing key and certificate issued by it, "
        "at SIGNING_KEY_FILE, SIGNING_CERT_FILE and SIGNING_CHAIN_FILES[0]. "
        "Leaves existing files alone unless --force is given. Not for production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace an existing signing key and certificate.",
        )

    def handle(self, *args, force=False, **options):
        key_file = Path(settings.SIGNING_KEY_FILE)
        cert_file = Path(settings.SIGNING_CERT_FILE)
        ca_cert_file = Path(settings.SIGNING_CHAIN_FILES[0])
        ca_key_file = Path(settings.SIGNING_DIR) / "ca.key"
        passphrase = settings.SIGNING_KEY_PASSPHRASE

        if key_file.exists() and cert_file.exists() and not force:
            self.stdout.write(
                f"Signing key and certificate already exist ({key_file}, {cert_file}); "
                "left unchanged. Use --force to replace them."
            )
            return

        now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)  # tolerate clock skew

        ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ca_name = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, CA_COMMON_NAME),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.OFFICE_SHORT_NAME[:64]),
                x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            ]
        )
        ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
        ca_cert = (
            x509.CertificateBuilder()
            .subject_name(ca_name)
            .issuer_name(ca_name)
            .public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=3652))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(ca_ski, critical=False)
            .sign(ca_key, hashes.SHA256())
        )

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = x509.Name(
            [
                x509.NameAttribute(
                    NameOID.COMMON_NAME,
                    f"Kepala {settings.OFFICE_SHORT_NAME} (pengembangan)"[:64],
                ),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.OFFICE_NAME[:64]),
                x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            ]
        )
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=3 * 365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )

        _write(ca_key_file, _key_pem(ca_key, passphrase), private=True)
        _write(ca_cert_file, ca_cert.public_bytes(serialization.Encoding.PEM))
        _write(key_file, _key_pem(key, passphrase), private=True)
        _write(cert_file, cert.public_bytes(serialization.Encoding.PEM))

        self.stdout.write(
            self.style.SUCCESS("Development signing CA and certificate created:")
            + f"\n  signing key:         {key_file}"
            + f"\n  signing certificate: {cert_file}"
            + f"\n  CA certificate:      {ca_cert_file}"
            + f"\n  CA key:              {ca_key_file}"
        )
        self.stdout.write(
            self.style.WARNING(
                "Warning: this CA is for development only; signatures made with it are not "
                "trusted outside this installation."
            )
        )
