"""Filing for an applicant through the API (issue 21.3 and 21.6): a partner creates a draft
(once per Idempotency-Key), uploads a document per requirement, submits, answers a return
and reads the permit, through the pages' own services and checks; it acts only on the files
it filed, only with the scopes it holds, and never on a held file."""

from __future__ import annotations

import hashlib
import uuid

import pytest
from django.test import Client

from accounts.models import Role
from api.models import ApiCall, IdempotentRequest, PartnerFile
from api.services import partner_deactivate
from permits.event_names import INTEGRITY_HELD_ATTEMPT
from permits.forms import WalkInForm
from permits.models import Application, ApplicationEvent, Channel, Stage
from permits.selectors.backoffice import applications_visible_to
from tests.conftest import LOGIN, PASSWORD
from tests.factories import PDF, PNG, at_once, hold, return_file, walk

pytestmark = pytest.mark.django_db

FILES = "/api/v1/files/"
WRITE = ("applications:write", "applications:read", "documents:write", "permits:read")
APPLICANT = {
    "applicant_name": "Siti Rahmawati",
    "applicant_nik": "3201014101900001",
    "applicant_phone": "081234567890",
    "applicant_email": "siti@contoh.id",
    "applicant_address": "Jl. Merdeka 1, Sukamaju",
}


def create(client, token, body=None, key=None, **headers):
    body = {"permit_type": "KES-SIP", **APPLICANT} if body is None else body
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(
        FILES, body, content_type="application/json", HTTP_AUTHORIZATION=token, **headers
    )


def upload(client, token, file_id, code, content=PDF, name="dokumen.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"{FILES}{file_id}/documents/",
        {"requirement": code, "file": SimpleUploadedFile(name, content)},
        HTTP_AUTHORIZATION=token,
    )


def submit(client, token, file_id, path="submit"):
    return client.post(
        f"{FILES}{file_id}/{path}/", content_type="application/json", HTTP_AUTHORIZATION=token
    )


@pytest.fixture
def filer(client, bearer, office):
    partner, token = bearer(scopes=WRITE)
    return partner, token


def filed(client, token) -> str:
    """A new draft's id, created with a fresh key."""
    answer = create(client, token, key=str(uuid.uuid4()))
    assert answer.status_code == 201, answer.content
    return answer.json()["id"]


def submitted_by_api(client, token) -> Application:
    file_id = filed(client, token)
    for code in ("KTP", "STR"):
        assert upload(client, token, file_id, code).status_code == 201
    assert submit(client, token, file_id).status_code == 200
    return Application.objects.get(public_id=file_id)


# --- the whole path ------------------------------------------------------------------------


def test_a_partner_files_uploads_and_submits_for_an_applicant(client, filer, office):
    partner, token = filer
    answer = create(client, token, key="oss-2026-000001")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert answer["Location"] == body["links"]["self"] == f"{FILES}{body['id']}/"
    assert (body["stage"], body["stage_label"], body["registration_number"]) == (
        "draft",
        "Draf",
        None,
    )
    assert body["wanting"] == {"documents": ["KTP", "STR"], "details": []}
    assert body["applicant_nik"].endswith("0001") and "3201014101" not in body["applicant_nik"]
    app = Application.objects.get(public_id=body["id"])
    assert (app.channel, app.created_by, app.applicant) == (Channel.PARTNER, partner.account, None)
    assert PartnerFile.objects.filter(partner=partner, application=app).exists()
    # Not the office's yet: a draft is not in any worklist.
    assert not applications_visible_to(office.counter).filter(pk=app.pk).exists()

    early = submit(client, token, body["id"])
    assert early.status_code == 409
    assert early.json()["detail"].startswith("Unggah dulu dokumen wajib:")
    for code in ("KTP", "STR"):
        uploaded = upload(client, token, body["id"], code)
        assert uploaded.status_code == 201, uploaded.content
    [ktp] = [r for r in uploaded.json()["requirements"] if r["code"] == "KTP"]
    assert ktp["documents"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert ktp["documents"][0]["uploaded_at"].endswith("+07:00")

    done = submit(client, token, body["id"])
    assert done.status_code == 200, done.content
    app.refresh_from_db()
    assert done.json()["stage"] == "submitted"
    assert done.json()["registration_number"] == app.registration_number
    assert done.json()["links"]["status"] == f"/api/v1/applications/{app.registration_number}/"
    status = client.get(done.json()["links"]["status"], HTTP_AUTHORIZATION=token)
    assert status.status_code == 200 and status.json()["stage"] == "submitted"
    assert applications_visible_to(office.counter).filter(pk=app.pk).exists()
    # Every act names the partner's account, as a staff act names its officer.
    acts = ApplicationEvent.objects.filter(application=app).values_list("actor", flat=True)
    assert set(acts) == {partner.account.pk}
    assert app.history.first().history_user == partner.account
    # A second submit (a retry, a double click) changes nothing.
    again = submit(client, token, body["id"])
    assert again.status_code == 409
    assert Application.objects.get(pk=app.pk).registration_number == app.registration_number


def test_the_same_key_never_makes_a_second_file(client, filer):
    partner, token = filer
    first = create(client, token, key="oss-42")
    second = create(client, token, key="oss-42")
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json() and second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert PartnerFile.objects.filter(partner=partner).count() == 1
    targets = ApiCall.objects.filter(partner=partner, operation="file_create")
    assert (
        list(targets.values_list("target", "status")) == [(f"file:{first.json()['id']}", 201)] * 2
    )
    other_body = create(client, token, {**APPLICANT, "permit_type": "KES-APOTEK"}, key="oss-42")
    assert other_body.status_code == 422
    assert "sudah dipakai untuk permintaan lain" in other_body.json()["detail"]
    assert PartnerFile.objects.filter(partner=partner).count() == 1


def test_one_partners_key_is_not_anothers(client, bearer, office):
    _a, first = bearer(scopes=WRITE)
    _b, second = bearer(scopes=WRITE, name="SPLP")
    one, two = create(client, first, key="k-1"), create(client, second, key="k-1")
    assert one.status_code == two.status_code == 201
    assert one.json()["id"] != two.json()["id"]


def test_a_create_without_a_key_or_with_a_bad_one_is_refused(client, filer):
    _partner, token = filer
    missing = create(client, token)
    assert missing.status_code == 400
    assert missing.json()["errors"]["Idempotency-Key"] == [
        "Sertakan header Idempotency-Key: satu nilai unik per berkas baru."
    ]
    too_long = create(client, token, key="k" * 256)
    assert too_long.status_code == 400
    assert Application.objects.count() == 0


@pytest.mark.postgres
def test_two_retries_at_once_make_one_file(office, bearer, client, transactional_db):
    _partner, token = bearer(scopes=WRITE)

    def work():
        return create(Client(), token, key="at-once").json()["id"]

    ids, errors = at_once(work, 4)
    assert errors == []
    assert len(set(ids)) == 1
    assert Application.objects.count() == 1
    assert IdempotentRequest.objects.count() == 1


# --- bad input: the pages' own messages, nothing made ---------------------------------------


def test_bad_input_gets_the_pages_messages_and_makes_nothing(client, filer):
    _partner, token = filer
    form = WalkInForm(data={**APPLICANT, "applicant_nik": "1234"})
    form.is_valid()
    answer = create(
        client, token, {**APPLICANT, "applicant_nik": "1234", "permit_type": "KES-SIP"}, key="a"
    )
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["errors"]["applicant_nik"] == form.errors["applicant_nik"]
    unknown = create(client, token, {**APPLICANT, "permit_type": "NOPE"}, key="b")
    assert unknown.json()["errors"]["permit_type"] == [
        "Jenis izin ini tidak ada di katalog atau sedang tidak dilayani."
    ]
    english = create(
        client, token, {**APPLICANT, "permit_type": "KES-SIP", "applicant_email": "x"}, key="c",
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert english.status_code == 400 and english.json()["title"] == "Invalid input"
    details = create(
        client, token, {**APPLICANT, "permit_type": "KES-SIP", "details": {"luas": 1}}, key="d"
    )
    assert details.status_code == 400
    assert "details.luas" in details.json()["errors"]
    for body in ([1, 2], "teks", {"permit_type": ["KES-SIP"], **{k: {} for k in APPLICANT}}):
        assert create(client, token, body, key=str(uuid.uuid4())).status_code == 400
    assert Application.objects.count() == 0
    # Refused input keeps no key: the corrected retry is carried out.
    fixed = create(client, token, key="a")
    assert fixed.status_code == 201


def test_an_upload_is_checked_by_its_content(client, filer):
    _partner, token = filer
    file_id = filed(client, token)
    fake = upload(client, token, file_id, "KTP", content=b"MZ\x90\x00 not a pdf", name="ktp.pdf")
    assert fake.status_code == 400
    assert fake.json()["errors"]["file"][0].startswith("KTP") or fake.json()["errors"]["file"]
    wrong_format = upload(client, token, file_id, "FOTO", content=PDF, name="foto.pdf")
    assert wrong_format.status_code == 400
    no_such = upload(client, token, file_id, "SIUP")
    assert no_such.json()["errors"]["requirement"] == [
        "Pilih persyaratan dari jenis izin berkas ini."
    ]
    assert upload(client, token, file_id, "FOTO", content=PNG, name="foto.png").status_code == 201
    app = Application.objects.get(public_id=file_id)
    assert list(app.documents.values_list("requirement__code", flat=True)) == ["FOTO"]


# --- answering a return ----------------------------------------------------------------------


def test_a_partner_answers_a_return_with_a_new_document(client, filer, office):
    _partner, token = filer
    app = submitted_by_api(client, token)
    app = walk(office, app, Stage.VERIFICATION)
    return_file(office, app)
    body = client.get(f"{FILES}{app.public_id}/", HTTP_AUTHORIZATION=token).json()
    assert body["stage"] == "returned"
    assert body["wanting"]["documents"] == ["STR"]
    [str_] = [r for r in body["requirements"] if r["code"] == "STR"]
    assert (str_["verdict"], str_["note"]) == ("invalid", "STR sudah habis masa berlakunya.")
    early = submit(client, token, app.public_id, "resubmit")
    assert early.status_code == 409
    assert early.json()["detail"].startswith("Ganti dulu dokumen yang dikembalikan petugas")
    same = upload(client, token, app.public_id, "STR")
    assert same.status_code == 400
    assert "sama persis dengan yang dikembalikan petugas" in same.json()["errors"]["file"][0]
    fixed = PDF.replace(b"1.4", b"1.7")
    assert upload(client, token, app.public_id, "STR", content=fixed).status_code == 201
    answered = submit(client, token, app.public_id, "resubmit")
    assert answered.status_code == 200, answered.content
    assert answered.json()["stage"] == "verification"


def test_a_partner_cannot_act_on_a_held_file(client, filer, office):
    _partner, token = filer
    app = submitted_by_api(client, token)
    app = walk(office, app, Stage.VERIFICATION)
    return_file(office, app)
    hold(office, app)
    refused = submit(client, token, app.public_id, "resubmit")
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("Berkas ini sedang ditahan")
    assert Application.objects.get(pk=app.pk).state == Stage.RETURNED
    assert ApplicationEvent.objects.filter(application=app, action=INTEGRITY_HELD_ATTEMPT).exists()


# --- whose files, which scopes ---------------------------------------------------------------


def test_a_partner_reaches_only_the_files_it_filed(client, bearer, office):
    _a, first = bearer(scopes=WRITE)
    _b, second = bearer(scopes=WRITE, name="Bank Jabar")
    _bus, bus = bearer(scopes=WRITE, name="SPLP", kind="bus", reads_all_files=True)
    file_id = filed(client, first)
    for token in (second, bus):
        assert upload(client, token, file_id, "KTP").status_code == 404
        assert submit(client, token, file_id).status_code == 404
    assert client.get(f"{FILES}{file_id}/", HTTP_AUTHORIZATION=second).status_code == 404
    assert client.get(f"{FILES}{file_id}/", HTTP_AUTHORIZATION=bus).status_code == 200
    guessed = client.get(f"{FILES}{uuid.uuid4()}/", HTTP_AUTHORIZATION=first)
    assert guessed.status_code == 404
    assert client.get(f"{FILES}42/", HTTP_AUTHORIZATION=first).status_code == 404
    # An applicant's own online file is no partner's either.
    from tests.factories import new_file

    online = new_file(office, office.simple_type)
    assert client.get(f"{FILES}{online.public_id}/", HTTP_AUTHORIZATION=first).status_code == 404


@pytest.mark.parametrize(
    ("scopes", "refused"),
    [
        (("applications:read",), "create"),
        (("applications:write", "applications:read"), "upload"),
        (("documents:write", "applications:read"), "submit"),
    ],
)
def test_each_act_needs_its_scope(client, bearer, filer, scopes, refused):
    owner, token = filer
    file_id = filed(client, token)
    narrow = owner.application.accesstoken_set.first()  # the same partner, fewer scopes
    narrow.scope = " ".join(scopes)
    narrow.save()
    answer = {
        "create": lambda: create(client, token, key="x"),
        "upload": lambda: upload(client, token, file_id, "KTP"),
        "submit": lambda: submit(client, token, file_id),
    }[refused]()
    assert answer.status_code == 403
    assert ApiCall.objects.filter(status=403).exists()


def test_a_deactivated_partner_files_nothing_more(client, filer, office):
    partner, token = filer
    file_id = filed(client, token)
    partner_deactivate(partner=partner, by=office.admin)
    assert upload(client, token, file_id, "KTP").status_code == 401
    partner.account.refresh_from_db()
    assert partner.account.is_active is False
    app = Application.objects.get(public_id=file_id)
    assert app.may_fire("submit", partner.account) is False


def test_a_partners_account_never_signs_in(filer):
    partner, _token = filer
    assert partner.account.role == Role.PARTNER
    assert not partner.account.has_usable_password()
    browser = Client()
    page = browser.post(LOGIN, {"username": partner.account.username, "password": PASSWORD})
    assert "_auth_user_id" not in browser.session
    assert page.status_code == 200


def test_no_person_acts_on_a_partners_draft(client, filer, office):
    _partner, token = filer
    app = Application.objects.get(public_id=filed(client, token))
    for person in (office.counter, office.applicant, office.supervisor, office.admin):
        assert not app.speaks_for_applicant(person)
        assert not app.may_fire("submit", person)


# --- the permit --------------------------------------------------------------------------------


def test_a_partner_reads_and_downloads_the_permit_of_its_file(
    client, filer, office, signing_ca, django_capture_on_commit_callbacks
):
    from tests.factories import signable_type

    _partner, token = filer
    permit_type = signable_type(office, "KES-SIPP")
    create_body = {**APPLICANT, "permit_type": permit_type.code}
    created = create(client, token, create_body, key="permit-1").json()
    assert upload(client, token, created["id"], "KTP").status_code == 201
    none_yet = client.get(f"{FILES}{created['id']}/permit/", HTTP_AUTHORIZATION=token)
    assert none_yet.status_code == 404
    assert none_yet.json()["detail"] == "Izin berkas ini belum terbit."
    with django_capture_on_commit_callbacks(execute=True):
        assert submit(client, token, created["id"]).status_code == 200
        app = walk(office, Application.objects.get(public_id=created["id"]), Stage.SIGNING)
        walk(office, app, Stage.ISSUED)
    answer = client.get(f"{FILES}{created['id']}/permit/", HTTP_AUTHORIZATION=token)
    assert answer.status_code == 200, answer.content
    permit = answer.json()
    assert permit["status"] == "valid" and permit["issued_at"].endswith("+07:00")
    assert permit["holder"] == "Siti Rahmawati"
    pdf = client.get(permit["pdf"], HTTP_AUTHORIZATION=token, HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content)
    assert hashlib.sha256(content).hexdigest() == permit["pdf_sha256"]


def test_keys_are_kept_a_month_and_expired_tokens_are_cleared(client, filer):
    import datetime

    import time_machine
    from oauth2_provider.models import AccessToken

    from api.tasks import api_housekeeping

    partner, token = filer
    first = create(client, token, key="oss-month")
    assert api_housekeeping() == 0
    assert create(client, token, key="oss-month").json()["id"] == first.json()["id"]
    with time_machine.travel(datetime.timedelta(days=31)):
        assert api_housekeeping() == 1  # the key forgotten, its file kept
        assert not AccessToken.objects.filter(application=partner.application).exists()
    assert Application.objects.filter(public_id=first.json()["id"]).exists()
    assert not IdempotentRequest.objects.exists()
