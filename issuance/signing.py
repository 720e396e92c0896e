"""PAdES signing and checking of permit PDFs.

Design
------
* ``pdf_sign`` adds one invisible PAdES baseline signature (SubFilter ``ETSI.CAdES.detached``,
  SHA-256) in a field named ``Signature1``, as an incremental update of the given PDF. The
  signing time is the server clock; there is no timestamp authority (the office may be offline).
* The signer (private key, certificate, chain) comes from files named in settings:
  ``SIGNING_KEY_FILE``, ``SIGNING_CERT_FILE``, ``SIGNING_KEY_PASSPHRASE`` and
  ``SIGNING_CHAIN_FILES`` (certificates embedded in every signature so that a verifier can
  build the path to the root). Loading and decrypting a key costs far more than a signature,
  so the signer is loaded once per process and cached; the cache key holds the paths and
  the files' identity (inode, mtime, size), so a changed setting or a replaced file is picked
  up on the next call.
* ``pdf_signature_check`` validates the last signature of a PDF offline with pyHanko: the
  hash of the signed byte ranges (``intact``), the chain to one of ``SIGNING_TRUST_ROOTS``
  with no revocation fetching (``trusted``) and whether the signature covers the entire file
  (``whole_file``). It never raises: whatever the bytes, the answer is a ``SignatureReport``
  whose ``problem`` explains, in Bahasa Indonesia, what is wrong.

Development and production
--------------------------
``manage.py signing_dev_ca`` creates a development root CA and a signer under ``SIGNING_DIR``;
its signatures are only trusted by this installation. In production the office uses a real
certificate, e.g. one issued by BSrE (Balai Besar Sertifikasi Elektronik): point
``SIGNING_KEY_FILE``/``SIGNING_CERT_FILE`` at its key and certificate, ``SIGNING_CHAIN_FILES`` at
the BSrE intermediate(s) and ``SIGNING_TRUST_ROOTS`` at the root. A key held in a token or HSM
(PKCS#11) would need a different pyHanko ``Signer`` (``pyhanko.sign.pkcs11.PKCS11Signer``) in
place of the ``SimpleSigner`` built by ``_load_signer``; the rest stays as it is.

Both functions are synchronous (pyHanko runs its own event loop inside): call them from
synchronous code or through ``asgiref.sync.sync_to_async``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from pyhanko.keys import load_cert_from_pemder, load_certs_from_pemder, load_private_key_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

logger = logging.getLogger(__name__)

FIELD_NAME = "Signature1"


class SigningUnavailable(Exception):
    """The signing key or certificate is missing or cannot be read."""


@dataclass(frozen=True)
class SignatureReport:
    signed: bool  # the PDF carries at least one signature
    intact: bool  # the signed byte ranges hash to what was signed
    trusted: bool  # the signer certificate chains to one of settings.SIGNING_TRUST_ROOTS
    whole_file: bool  # nothing was appended or changed after the (last) signature
    signer_name: str = ""  # common name of the signer certificate's subject
    signed_at: datetime | None = None  # signing time claimed by the signature
    problem: str = ""  # for the user, in Bahasa Indonesia; empty when valid

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted and self.whole_file


# --- Signing -----------------------------------------------------------------------------


def _file_identity(path: Path) -> tuple:
    """What changes when a file is replaced or rewritten; None for a missing file."""
    try:
        st = Path(path).stat()
    except OSError:
        return (str(path), None)
    return (str(path), st.st_ino, st.st_mtime_ns, st.st_size)


class _PreloadedKeySigner(signers.SimpleSigner):
    """A SimpleSigner that keeps its private key loaded.

    pyHanko's SimpleSigner re-parses (and, for RSA, re-checks) the key on every signature,
    which costs tens of milliseconds; here that happens once, when the signer is loaded.
    """

    def __init__(self, *, private_key, **kwargs):
        super().__init__(**kwargs)
        self._private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        try:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        except ValueError:  # an unusual mechanism: let pyHanko handle it
            return super().sign_raw(data, digest_algorithm)
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._private_key, RSAPrivateKey):
            return self._private_key.sign(data, PKCS1v15(), hash_algo)
        if mechanism == "ecdsa" and isinstance(self._private_key, EllipticCurvePrivateKey):
            return self._private_key.sign(data, ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)


@dataclass(frozen=True)
class _LoadedSigner:
    signer: signers.SimpleSigner
    bytes_reserved: int  # room for the signature container, in hex digits


_signer_lock = threading.Lock()
_signer_cache: tuple[tuple, _LoadedSigner] | None = None


def _signer_key() -> tuple:
    return (
        _file_identity(settings.SIGNING_KEY_FILE),
        _file_identity(settings.SIGNING_CERT_FILE),
        tuple(_file_identity(p) for p in settings.SIGNING_CHAIN_FILES),
        settings.SIGNING_KEY_PASSPHRASE,
    )


def _load_signer() -> _LoadedSigner:
    key_file, cert_file = Path(settings.SIGNING_KEY_FILE), Path(settings.SIGNING_CERT_FILE)
    chain_files = [Path(p) for p in settings.SIGNING_CHAIN_FILES]
    hint = (
        "run `manage.py signing_dev_ca` to create a development signer, or set "
        "SIGNING_KEY_FILE/SIGNING_CERT_FILE (and SIGNING_CHAIN_FILES) to the office's "
        "key, certificate and chain"
    )
    missing = [str(p) for p in (key_file, cert_file, *chain_files) if not p.is_file()]
    if missing:
        raise SigningUnavailable(f"Signing files missing: {', '.join(missing)}; {hint}.")
    passphrase = settings.SIGNING_KEY_PASSPHRASE.encode() or None
    try:
        key_info = load_private_key_from_pemder(key_file, passphrase=passphrase)
        private_key = serialization.load_der_private_key(key_info.dump(), password=None)
        cert = load_cert_from_pemder(cert_file)
        chain = list(load_certs_from_pemder(chain_files))
    except (OSError, ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise SigningUnavailable(
            f"Cannot read the signing key/certificate ({exc}); check SIGNING_KEY_PASSPHRASE, "
            f"or {hint}."
        ) from exc
    signer = _PreloadedKeySigner(
        private_key=private_key,
        signing_cert=cert,
        signing_key=key_info,
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )
    # Reserving the room for the signature up front spares pyHanko a trial signature per
    # document: the container holds the certificates, the signed attributes and the signature
    # value; 4 KB covers the last two for any RSA/EC key. Hex encoding doubles it.
    certs_size = len(cert.dump()) + sum(len(c.dump()) for c in chain)
    return _LoadedSigner(signer=signer, bytes_reserved=2 * (certs_size + 4096))


def _signer() -> _LoadedSigner:
    global _signer_cache
    key = _signer_key()
    with _signer_lock:
        if _signer_cache is None or _signer_cache[0] != key:
            _signer_cache = (key, _load_signer())
        return _signer_cache[1]


def _outside_event_loop(function, *args, **kwargs):
    """pyHanko runs its own asyncio loop (``asyncio.run``), which fails in a thread that
    already runs one (an async view, or Playwright's in the browser tests): there, run the
    call in a worker thread, in the caller's language."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    language = translation.get_language()

    def call():
        with translation.override(language):
            return function(*args, **kwargs)

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def pdf_sign(pdf: bytes, *, reason: str, location: str) -> bytes:
    """Return ``pdf`` with an invisible PAdES signature of the office appended."""
    return _outside_event_loop(_pdf_sign, pdf, reason=reason, location=location)


def _pdf_sign(pdf: bytes, *, reason: str, location: str) -> bytes:
    loaded = _signer()
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    out = signers.PdfSigner(meta, signer=loaded.signer).sign_pdf(
        writer, bytes_reserved=loaded.bytes_reserved, output=BytesIO()
    )
    return out.getvalue()


# --- Checking ----------------------------------------------------------------------------


_roots_lock = threading.Lock()
_roots_cache: tuple[tuple, list] | None = None


def _trust_roots() -> list:
    """Certificates of settings.SIGNING_TRUST_ROOTS; unreadable files are logged, skipped."""
    global _roots_cache
    key = tuple(_file_identity(p) for p in settings.SIGNING_TRUST_ROOTS)
    with _roots_lock:
        if _roots_cache is None or _roots_cache[0] != key:
            roots = []
            for path in settings.SIGNING_TRUST_ROOTS:
                try:
                    roots.extend(load_certs_from_pemder([path]))
                except (OSError, ValueError) as exc:
                    logger.warning("Trust root %s unreadable: %s", path, exc)
            _roots_cache = (key, roots)
        return _roots_cache[1]


def _report(**kwargs) -> SignatureReport:
    base = {"signed": False, "intact": False, "trusted": False, "whole_file": False}
    return SignatureReport(**{**base, **kwargs})


def pdf_signature_check(pdf: bytes) -> SignatureReport:
    """Check the last signature of ``pdf`` against the office's trust roots. Never raises."""
    return _outside_event_loop(_pdf_signature_check, pdf)


def _pdf_signature_check(pdf: bytes) -> SignatureReport:
    try:
        reader = PdfFileReader(BytesIO(pdf))
        if reader.encrypted:
            return _report(
                problem=_("PDF ini terenkripsi sehingga tanda tangannya tidak dapat diperiksa.")
            )
        signatures = reader.embedded_regular_signatures
    except Exception as exc:  # any parse error of untrusted bytes
        logger.info("Unreadable PDF submitted for signature check: %r", exc)
        return _report(problem=_("Berkas ini bukan PDF yang dapat dibaca."))
    if not signatures:
        return _report(problem=_("PDF ini tidak bertanda tangan elektronik."))

    embedded = signatures[-1]
    signer_name = ""
    try:
        signer_name = embedded.signer_cert.subject.native.get("common_name", "") or ""
        context = ValidationContext(
            trust_roots=_trust_roots(),
            allow_fetching=False,
            revocation_mode="soft-fail",
        )
        status = validate_pdf_signature(embedded, signer_validation_context=context)
    except Exception:
        logger.warning("Signature could not be validated", exc_info=True)
        return _report(
            signed=True,
            signer_name=str(signer_name),
            problem=_("Tanda tangan elektronik rusak atau tidak dapat diperiksa."),
        )

    intact = bool(status.intact and status.valid)
    whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    trusted = bool(intact and status.trusted)
    if not intact:
        problem = _(
            "Tanda tangan tidak cocok dengan isi: dokumen telah diubah setelah ditandatangani."
        )
    elif not whole_file:
        problem = _("Dokumen diubah atau ditambah setelah ditandatangani.")
    elif not trusted:
        problem = _("Sertifikat penanda tangan tidak dikenal/tidak dipercaya.")
    else:
        problem = ""
    return SignatureReport(
        signed=True,
        intact=intact,
        trusted=trusted,
        whole_file=whole_file,
        signer_name=str(signer_name),
        signed_at=status.signer_reported_dt,
        problem=problem,
    )
