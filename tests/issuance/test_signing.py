import stat
from datetime import UTC, datetime, timedelta
from io import BytesIO, StringIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtensionOID, NameOID
from django.core.management import call_command
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from issuance import signing
from issuance.signing import SigningUnavailable, pdf_sign, pdf_signature_check

FILES = ("signer.key", "signer.pem", "ca.pem", "ca.key")


def sign(pdf: bytes) -> bytes:
    return pdf_sign(pdf, reason="Penerbitan izin", location="Sukamaju")


def snapshot(directory):
    return {name: (directory / name).read_bytes() for name in FILES}


def load_cert(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


# --- manage.py signing_dev_ca ------------------------------------------------------------


def test_command_creates_ca_signer_and_private_key_files(settings, signing_ca):
    for name in FILES:
        assert (signing_ca / name).is_file(), name
    for name in ("signer.key", "ca.key"):
        assert stat.S_IMODE((signing_ca / name).stat().st_mode) == 0o600, name
    assert b"BEGIN PRIVATE KEY" in (signing_ca / "signer.key").read_bytes()

    ca = load_cert(signing_ca / "ca.pem")
    signer = load_cert(signing_ca / "signer.pem")
    ca_cn = ca.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert ca_cn == "Terang Development Root CA (not for production)"
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert ca.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign is True

    assert signer.issuer == ca.subject
    signer_cn = signer.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert signer_cn == f"Kepala {settings.OFFICE_SHORT_NAME} (pengembangan)"
    org = signer.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value
    assert org == settings.OFFICE_NAME[:64]
    assert signer.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "ID"
    usage = signer.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert signer.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    aki = signer.extensions.get_extension_for_oid(ExtensionOID.AUTHORITY_KEY_IDENTIFIER).value
    ski = ca.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_KEY_IDENTIFIER).value
    assert aki.key_identifier == ski.digest
    signer.verify_directly_issued_by(ca)


def test_long_office_name_is_truncated_to_64_characters(settings, make_signing_ca, tmp_path):
    settings.OFFICE_NAME = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu " * 3
    directory = make_signing_ca(tmp_path / "long")
    org = load_cert(directory / "signer.pem").subject.get_attributes_for_oid(
        NameOID.ORGANIZATION_NAME
    )[0]
    assert org.value == settings.OFFICE_NAME[:64]


def test_second_run_leaves_existing_files_unchanged(signing_ca):
    before = snapshot(signing_ca)
    out = StringIO()
    call_command("signing_dev_ca", stdout=out)
    assert snapshot(signing_ca) == before
    assert "already exist" in out.getvalue()


def test_force_replaces_the_files(signing_ca):
    before = snapshot(signing_ca)
    out = StringIO()
    call_command("signing_dev_ca", "--force", stdout=out)
    after = snapshot(signing_ca)
    for name in FILES:
        assert after[name] != before[name], name
    assert "development only" in out.getvalue()


# --- Signing and checking ----------------------------------------------------------------


def test_signed_pdf_is_valid(signing_ca, unsigned_pdf):
    signed = sign(unsigned_pdf)

    report = pdf_signature_check(signed)

    assert report.valid
    assert (report.signed, report.intact, report.trusted, report.whole_file) == (True,) * 4
    assert "Kepala" in report.signer_name
    assert report.signed_at is not None
    assert abs(report.signed_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert report.problem == ""


def test_signature_is_pades_and_validates_with_pyhanko(signing_ca, unsigned_pdf):
    signed = sign(unsigned_pdf)
    assert signed.startswith(unsigned_pdf)  # an incremental update: the original stays

    (embedded,) = PdfFileReader(BytesIO(signed)).embedded_signatures
    assert embedded.field_name == "Signature1"
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert embedded.sig_object["/Reason"] == "Penerbitan izin"
    roots = list(load_certs_from_pemder([signing_ca / "ca.pem"]))
    status = validate_pdf_signature(
        embedded, ValidationContext(trust_roots=roots, allow_fetching=False)
    )
    assert status.bottom_line
    assert status.md_algorithm == "sha256"
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    # the chain (the CA) travels inside the signature
    assert [c.dump() for c in embedded.other_embedded_certs] == [roots[0].dump()]


def test_changed_byte_in_signed_content_breaks_the_signature(signing_ca, unsigned_pdf):
    signed = sign(unsigned_pdf)
    assert signed.count(b"Izin Usaha") == 1
    tampered = signed.replace(b"Izin Usaha", b"Izin Usahb")

    report = pdf_signature_check(tampered)

    assert report.signed
    assert not report.intact
    assert not report.valid
    assert "diubah" in report.problem


def test_incremental_update_after_signing_is_detected(signing_ca, unsigned_pdf):
    signed = sign(unsigned_pdf)
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    writer.set_info(
        generic.DictionaryObject({generic.NameObject("/Title"): generic.TextStringObject("X")})
    )
    out = BytesIO()
    writer.write(out)

    report = pdf_signature_check(out.getvalue())

    assert report.signed and report.intact and report.trusted
    assert not report.whole_file
    assert not report.valid
    assert report.problem == "Dokumen diubah atau ditambah setelah ditandatangani."


def test_bytes_appended_after_signing_are_detected(signing_ca, unsigned_pdf):
    report = pdf_signature_check(sign(unsigned_pdf) + b"\n% tambahan\n")

    assert report.signed
    assert not report.whole_file
    assert not report.valid
    assert report.problem


def test_signature_from_another_ca_is_not_trusted(
    settings, make_signing_ca, tmp_path, unsigned_pdf
):
    ours = make_signing_ca(tmp_path / "ours")
    make_signing_ca(tmp_path / "theirs")
    signed = sign(unsigned_pdf)  # by "theirs", now the configured signer
    settings.SIGNING_TRUST_ROOTS = [ours / "ca.pem"]

    report = pdf_signature_check(signed)

    assert report.signed and report.intact and report.whole_file
    assert not report.trusted
    assert not report.valid
    assert report.problem == "Sertifikat penanda tangan tidak dikenal/tidak dipercaya."
    assert "Kepala" in report.signer_name


def test_missing_trust_root_file_means_untrusted(settings, signing_ca, tmp_path, unsigned_pdf):
    signed = sign(unsigned_pdf)
    settings.SIGNING_TRUST_ROOTS = [tmp_path / "nowhere.pem"]

    report = pdf_signature_check(signed)

    assert report.intact and not report.trusted and report.problem


def test_unsigned_pdf(signing_ca, unsigned_pdf):
    report = pdf_signature_check(unsigned_pdf)

    assert not report.signed
    assert not report.valid
    assert report.problem == "PDF ini tidak bertanda tangan elektronik."


@pytest.mark.parametrize(
    "data",
    [b"", b"garbage", b"%PDF-1.7\n garbage", bytes(range(256)) * 10],
    ids=["empty", "garbage", "pdf-header-only", "binary"],
)
def test_unreadable_input_gives_a_report_not_an_exception(signing_ca, data):
    report = pdf_signature_check(data)

    assert not report.signed
    assert not report.valid
    assert report.problem == "Berkas ini bukan PDF yang dapat dibaca."


def test_truncated_signed_pdf_gives_a_report(signing_ca, unsigned_pdf):
    signed = sign(unsigned_pdf)

    report = pdf_signature_check(signed[: len(signed) - 200])

    assert not report.valid
    assert report.problem


def test_encrypted_pdf_gives_a_report(signing_ca, unsigned_pdf):
    writer = copy_into_new_writer(PdfFileReader(BytesIO(unsigned_pdf)))
    writer.encrypt("pemilik", "pengguna")
    out = BytesIO()
    writer.write(out)

    report = pdf_signature_check(out.getvalue())

    assert not report.valid
    assert "terenkripsi" in report.problem


def test_missing_key_raises_signing_unavailable(signing_ca, unsigned_pdf):
    (signing_ca / "signer.key").unlink()

    with pytest.raises(SigningUnavailable, match="signing_dev_ca"):
        sign(unsigned_pdf)


def test_nothing_configured_raises_signing_unavailable(settings, tmp_path, unsigned_pdf):
    from tests.conftest import use_signing_dir

    use_signing_dir(settings, tmp_path / "empty")

    with pytest.raises(SigningUnavailable, match="SIGNING_KEY_FILE"):
        sign(unsigned_pdf)


def test_passphrase_encrypted_key(settings, make_signing_ca, tmp_path, unsigned_pdf):
    settings.SIGNING_KEY_PASSPHRASE = "rahasia-kantor"
    directory = make_signing_ca(tmp_path / "locked")
    assert b"ENCRYPTED PRIVATE KEY" in (directory / "signer.key").read_bytes()

    assert pdf_signature_check(sign(unsigned_pdf)).valid

    settings.SIGNING_KEY_PASSPHRASE = "salah"
    with pytest.raises(SigningUnavailable):
        sign(unsigned_pdf)


def test_signer_is_cached_and_reloaded_when_files_change(signing_ca, unsigned_pdf):
    first = signing._signer()
    assert signing._signer() is first

    call_command("signing_dev_ca", "--force", stdout=StringIO())

    assert signing._signer() is not first
    (embedded,) = PdfFileReader(BytesIO(sign(unsigned_pdf))).embedded_signatures
    new_cert = load_cert(signing_ca / "signer.pem")
    assert embedded.signer_cert.dump() == new_cert.public_bytes(serialization.Encoding.DER)
