"""The complaint pages for every role: the public start page and form (bad input, evidence,
double submit, rate limit, the officers of a file, the levy button), the follow-up code
(shown once, never in a URL, rate-limited, a session grant), the two-way thread, and the
handlers' list and page (who may open them, what they never show, constant queries)."""

from __future__ import annotations

import re
import uuid
from html import escape, unescape
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, reverse

from permits.models import Stage
from public import urls_complaints, urls_complaints_staff
from public.models import (
    Complaint,
    ComplaintCategory,
    ComplaintEntry,
    ComplaintEvidence,
    ComplaintState,
    ComplaintSubject,
    Route,
)
from public.services.complaints import complaint_answer, complaint_submit
from tests.conftest import SignedInClient
from tests.factories import PNG, new_file, walk

pytestmark = pytest.mark.django_db

ROLES = ["applicant", "counter", "technical", "supervisor", "head", "cashier", "auditor", "admin"]
HANDLERS = {"supervisor", "head", "auditor"}
LOGIN = "/akun/masuk/"
NAME, EMAIL, PHONE = "Rahasia Pelapor", "pelapor.rahasia@example.com", "+6289999000111"


def shows(body: str, text) -> bool:
    text = str(text)
    return text in body or escape(text) in body


def fresh_client(user=None) -> SignedInClient:
    """A browser from its own address (rate limits are per address) and with its own session."""
    client = SignedInClient(REMOTE_ADDR=f"2001:db8:{uuid.uuid4().hex[:4]}::1")
    if user is not None:
        client.force_login(user)
    return client


def png(name="bukti.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def form_token(client, url=None) -> str:
    body = client.get(url or reverse("complaints:new")).content.decode()
    return re.search(r'name="token" value="([^"]+)"', body)[1]


def post_complaint(client, **fields):
    data = {
        "subject": "service",
        "category": "delay",
        "description": "Berkas saya sudah dua minggu tidak ada kabarnya sama sekali.",
        "name": NAME,
        "email": EMAIL,
    }
    data.update(fields)
    data.setdefault("token", form_token(client))
    return client.post(reverse("complaints:new"), {k: v for k, v in data.items() if v is not None})


def named_complaint(office, **fields):
    fields.setdefault("subject", ComplaintSubject.OFFICER)
    fields.setdefault("officer", office.counter)
    fields.setdefault("category", ComplaintCategory.IMPROPER)
    fields.setdefault("description", "Petugas loket berkata kasar ketika saya bertanya syarat.")
    fields.setdefault("contact_name", NAME)
    fields.setdefault("contact_email", EMAIL)
    fields.setdefault("contact_phone", PHONE)
    return complaint_submit(**fields)


# --- every URL for every role ----------------------------------------------------------------


def test_every_url_is_covered():
    public = {p.name for p in urls_complaints.urlpatterns if isinstance(p, URLPattern)}
    staff = {p.name for p in urls_complaints_staff.urlpatterns if isinstance(p, URLPattern)}
    assert public == {"start", "new", "done", "follow", "thread", "mine"}
    assert staff == {"list", "detail", "evidence"}
    assert reverse("complaints:start") == "/pengaduan/"
    assert reverse("complaints_staff:list") == "/kantor/pengaduan/"


@pytest.fixture
def world(office):
    complaint, code = named_complaint(office, evidence=[png()])
    return SimpleNamespace(complaint=complaint, code=code, evidence=ComplaintEvidence.objects.get())


def staff_urls(world) -> dict[str, str]:
    return {
        "list": reverse("complaints_staff:list"),
        "detail": reverse("complaints_staff:detail", args=[world.complaint.public_id]),
        "evidence": reverse("complaints_staff:evidence", args=[world.evidence.public_id]),
    }


@pytest.mark.parametrize("role", [None, *ROLES])
@pytest.mark.parametrize("name", ["start", "new", "follow"])
def test_the_public_pages_open_for_everyone(office, role, name):
    client = fresh_client(getattr(office, role) if role else None)
    response = client.get(reverse(f"complaints:{name}"))
    assert response.status_code == 200
    assert response["Content-Language"] == "id" or "lang=" in response.content.decode()


@pytest.mark.parametrize("role", [None, *ROLES])
def test_the_thread_is_404_without_the_code_whoever_asks(world, office, role):
    client = fresh_client(getattr(office, role) if role else None)
    response = client.get(reverse("complaints:thread", args=[world.complaint.public_id]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_my_complaints_lists_only_my_own_named_ones(office, role):
    user = getattr(office, role)
    mine, _code = named_complaint(office, complainant=user)
    hidden, _code = named_complaint(office, complainant=user, anonymous=True)
    other, _code = named_complaint(office, complainant=office.other_applicant)
    body = fresh_client(user).get(reverse("complaints:mine")).content.decode()
    assert shows(body, mine.number)
    assert not shows(body, hidden.number)
    assert not shows(body, other.number)


def test_my_complaints_needs_sign_in():
    response = fresh_client().get(reverse("complaints:mine"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("name", ["list", "detail", "evidence"])
def test_anonymous_visitors_are_sent_to_sign_in_from_the_staff_pages(world, name):
    response = fresh_client().get(staff_urls(world)[name])
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("role", sorted(set(ROLES) - HANDLERS))
@pytest.mark.parametrize("name", ["list", "detail", "evidence"])
def test_staff_who_do_not_handle_complaints_are_refused(world, office, role, name):
    response = fresh_client(getattr(office, role)).get(staff_urls(world)[name])
    assert response.status_code == 403
    response = fresh_client(getattr(office, role)).post(
        staff_urls(world)["detail"], {"action": "note", "body": "x"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("role", sorted(HANDLERS))
def test_handlers_open_what_is_theirs_and_nothing_else(world, office, role):
    client = fresh_client(getattr(office, role))
    urls = staff_urls(world)
    mine = role in {"supervisor", "auditor"}  # routed to the counter's supervisor
    assert client.get(urls["list"]).status_code == 200
    listed = shows(client.get(urls["list"]).content.decode(), world.complaint.number)
    assert listed is mine
    assert client.get(urls["detail"]).status_code == (200 if mine else 404)
    assert client.get(urls["evidence"]).status_code == (200 if mine else 404)
    assert client.post(urls["detail"], {"action": "note", "body": "Dicek."}).status_code in (
        {302} if mine else {404}
    )


def test_a_guessed_id_is_404(office):
    client = fresh_client(office.auditor)
    assert client.get(reverse("complaints_staff:detail", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("complaints_staff:evidence", args=[uuid.uuid4()])).status_code == 404


def test_every_post_needs_the_csrf_token(world, office):
    strict = Client(enforce_csrf_checks=True, REMOTE_ADDR="2001:db8:c5f::1")
    assert strict.post(reverse("complaints:new"), {"subject": "service"}).status_code == 403
    assert strict.post(reverse("complaints:follow"), {"code": world.code}).status_code == 403
    strict.force_login(office.applicant)
    assert strict.post(reverse("complaints:new"), {"subject": "service"}).status_code == 403


# --- the start page --------------------------------------------------------------------------


def test_the_start_page_explains_the_categories_and_links_sp4n_lapor(settings):
    settings.SP4N_LAPOR_URL = "https://www.lapor.go.id/"
    body = fresh_client().get(reverse("complaints:start")).content.decode()
    for _value, label in ComplaintCategory.choices:
        assert shows(body, label)
    assert 'href="https://www.lapor.go.id/" rel="noopener"' in body
    assert "nasional" in body
    assert shows(body, "Buat pengaduan") and shows(body, "Ikuti pengaduan (kode)")
    assert "retribusi resmi" in body


# --- the form --------------------------------------------------------------------------------


def test_a_named_complaint_is_received_and_its_code_shown_once(office):
    client = fresh_client()
    response = post_complaint(client, phone="081234567890")
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:done")
    complaint = Complaint.objects.get()
    assert (complaint.contact_name, complaint.contact_email) == (NAME, EMAIL)
    assert complaint.route == Route.UNIT and complaint.handler_unit == office.dpmptsp
    first = client.get(reverse("complaints:done")).content.decode()
    code = re.search(r'class="secret complaints__code">([A-Z0-9-]+)<', first)[1]
    assert shows(first, complaint.number)
    assert "Catat kode ini" in first
    again = client.get(reverse("complaints:done")).content.decode()
    assert code not in again
    assert shows(again, complaint.number)
    # The code opens it, and it is the complaint's (only its digest is kept).
    assert complaint.code_hash != code
    assert code not in response["Location"]


def test_an_anonymous_complaint_needs_no_identity_and_warns_the_code_cannot_be_recovered(office):
    client = fresh_client()
    response = post_complaint(client, anonymous="on", name="", email="")
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.anonymous and not complaint.contact_name
    assert (
        "tidak ada yang dapat memulihkan" in client.get(reverse("complaints:done")).content.decode()
    )


def test_a_signed_in_complainant_is_the_account_unless_anonymous(office):
    client = fresh_client(office.applicant)
    post_complaint(client, name="", email="")
    named = Complaint.objects.get()
    assert named.complainant == office.applicant
    post_complaint(client, name="", email="", anonymous="on")
    anonymous = Complaint.objects.exclude(pk=named.pk).get()
    assert anonymous.complainant is None
    # The signed-in complainant opens their own complaint without the code, not the other.
    other = fresh_client(office.applicant)
    assert other.get(reverse("complaints:thread", args=[named.public_id])).status_code == 200
    assert other.get(reverse("complaints:thread", args=[anonymous.public_id])).status_code == 404


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"category": ""}, "category", "This field is required"),
        ({"description": "Lambat."}, "description", "terlalu singkat"),
        ({"subject": "file", "berkas": ""}, "berkas", "Isi kode lacak"),
        ({"subject": "file", "berkas": "ZZZZ-ZZZZ-ZZZZ"}, "berkas", "Berkas tidak ditemukan"),
        ({"subject": "officer"}, "officer_description", "ciri petugas"),
        ({"subject": "unit"}, "unit", "Pilih OPD"),
        ({"subject": "nonsense"}, "subject", "nonsense"),
        ({"name": ""}, "name", "Isi nama Anda"),
        ({"email": "", "phone": ""}, "email", "surel atau nomor ponsel"),
        ({"email": "bukan-surel"}, "email", "email"),
        ({"phone": "0812-abc"}, "phone", "hanya berisi angka"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_keeps_the_rest(office, fields, field, message):
    client = fresh_client()
    description = fields.get("description", "Berkas saya sudah dua minggu tidak ada kabarnya.")
    response = post_complaint(client, **{"description": description, **fields})
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    errors = " ".join(str(e) for e in form.errors[field])
    if message not in {"This field is required", "nonsense", "email"}:
        assert message in errors
    assert not Complaint.objects.exists()
    body = unescape(response.content.decode())
    assert description in body  # what was typed stays
    if "name" not in fields:
        assert NAME in body


def test_a_bad_tracking_code_gets_the_same_message_as_a_draft(office):
    draft = new_file(office)
    client = fresh_client()
    unknown = post_complaint(client, subject="file", berkas="ZZZZ-ZZZZ-ZZZZ")
    drafted = post_complaint(client, subject="file", berkas=draft.tracking_code)
    assert unknown.context["form"].errors["berkas"] == drafted.context["form"].errors["berkas"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([png("ktp.png", b"MZ\x90\x00 this is a program")], "bukan PDF"),
        ([png("besar.png", PNG + b"\x00" * 4096)], "terlalu besar"),
        ([png("1.png"), png("2.png"), png("3.png"), png("4.png")], "Paling banyak 3"),
    ],
)
def test_evidence_is_refused_on_the_field_and_nothing_else_is_lost(
    office, settings, files, message
):
    settings.COMPLAINT_EVIDENCE_MAX_KB = 2
    settings.COMPLAINT_EVIDENCE_MAX_FILES = 3
    client = fresh_client()
    response = post_complaint(client, evidence=files)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["evidence"])
    assert not Complaint.objects.exists() and not ComplaintEvidence.objects.exists()
    assert "dua minggu" in response.content.decode()
    # The corrected form goes through with the token the page now carries.
    token = response.context["form"]["token"].value()
    assert post_complaint(client, evidence=[png()], token=token).status_code == 302
    assert ComplaintEvidence.objects.get().format == "png"


def test_a_double_submit_creates_one_complaint(office):
    client = fresh_client()
    token = form_token(client)
    first = post_complaint(client, token=token)
    second = post_complaint(client, token=token)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("complaints:done")
    assert Complaint.objects.count() == 1


def test_a_token_from_another_session_does_not_pass(office):
    token = form_token(fresh_client())
    response = post_complaint(fresh_client(), token=token)
    assert response.status_code == 400
    assert "kedaluwarsa" in response.content.decode()
    assert not Complaint.objects.exists()


def test_submissions_are_rate_limited_per_address(office, settings):
    settings.COMPLAINT_LIMIT = 2
    client = fresh_client()
    assert post_complaint(client).status_code == 302
    assert post_complaint(client).status_code == 302
    refused = post_complaint(client)
    assert refused.status_code == 429
    assert "Terlalu banyak" in refused.content.decode()
    assert Complaint.objects.count() == 2
    assert post_complaint(fresh_client()).status_code == 302  # another address


def test_a_files_officers_are_offered_by_name_and_role(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    client = fresh_client()
    response = client.get(reverse("complaints:new") + f"?berkas={app.tracking_code}")
    body = response.content.decode()
    assert shows(body, f"{office.counter.display_name} · {office.counter.role_label}")
    assert not shows(body, office.applicant.display_name)
    # The "show the officers" button does the same without sending anything.
    response = client.post(
        reverse("complaints:new"),
        {"cari": "1", "subject": "officer", "berkas": app.tracking_code.lower(), "token": "x"},
    )
    assert shows(response.content.decode(), office.counter.display_name)
    assert not Complaint.objects.exists()
    response = client.post(
        reverse("complaints:new"), {"cari": "1", "subject": "officer", "berkas": "ZZZZ-ZZZZ-ZZZZ"}
    )
    assert "Berkas tidak ditemukan" in response.content.decode()


def test_a_complaint_about_an_officer_of_a_file_goes_to_their_supervisor(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    client = fresh_client()
    url = reverse("complaints:new") + f"?berkas={app.tracking_code}"
    response = post_complaint(
        client,
        subject="officer",
        berkas=app.tracking_code,
        officer=str(office.counter.pk),
        category="improper",
        token=form_token(client, url),
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.officer, complaint.application) == (office.counter, app)
    assert complaint.handler == office.supervisor


def test_an_officer_who_did_not_act_on_the_file_cannot_be_chosen(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    response = post_complaint(
        fresh_client(), subject="officer", berkas=app.tracking_code, officer=str(office.head.pk)
    )
    assert response.status_code == 400
    assert "officer" in response.context["form"].errors


def test_an_officer_described_without_a_file(office):
    response = post_complaint(
        fresh_client(), subject="officer", officer_description="Petugas loket 3, Senin pagi"
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.officer is None
    assert complaint.officer_description == "Petugas loket 3, Senin pagi"


def test_the_levy_button_leads_to_a_prefilled_form_that_goes_to_the_inspectorate(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    client = fresh_client()
    page = client.get(reverse("tracking:file", args=[app.tracking_code])).content.decode()
    link = re.search(r'href="([^"]*/pengaduan/baru/[^"]*)"[^>]*>Laporkan pungutan liar', page)
    url = unescape(link[1])
    assert f"berkas={app.tracking_code}" in url and "kategori=money" in url
    form = client.get(url).context["form"]
    assert form.initial["category"] == "money"
    assert form.initial["berkas"] == app.tracking_code
    assert form.initial["subject"] == "file"
    token = form.initial["token"]
    response = post_complaint(
        client, subject="file", berkas=app.tracking_code, category="money", token=token
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.route == Route.INSPECTORATE
    assert complaint.application == app


# --- following with the code -----------------------------------------------------------------


def test_the_code_opens_the_thread_and_never_appears_in_a_url(world):
    client = fresh_client()
    response = client.post(reverse("complaints:follow"), {"code": world.code.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:thread", args=[world.complaint.public_id])
    assert world.code not in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert world.code not in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    # The grant is this browser's only.
    assert fresh_client().get(response["Location"]).status_code == 404


def test_a_wrong_code_is_one_neutral_message(world):
    client = fresh_client()
    # One character off the real code: whatever its last letter was, this one differs.
    near_miss = world.code[:-1] + ("Z" if world.code[-1] != "Z" else "Y")
    for code in ["ABCD-EFGH-JKLM-NPQR", "abc", near_miss]:
        response = client.post(reverse("complaints:follow"), {"code": code})
        assert response.status_code == 404
        assert "Pengaduan tidak ditemukan" in response.content.decode()
    assert client.post(reverse("complaints:follow"), {"code": ""}).status_code == 400


def test_code_lookups_are_rate_limited_and_failures_count(world, settings):
    settings.COMPLAINT_LOOKUP_LIMIT = 3
    client = fresh_client()
    for _attempt in range(3):
        assert (
            client.post(reverse("complaints:follow"), {"code": "ABCD-EFGH-JKLM-NPQR"}).status_code
            == 404
        )
    response = client.post(reverse("complaints:follow"), {"code": world.code})
    assert response.status_code == 429
    assert "Terlalu banyak" in response.content.decode()


def test_the_thread_shows_staff_by_role_and_hides_internal_entries(world, office):
    from public.services.complaints import complaint_note

    complaint_note(
        complaint=world.complaint, by=office.supervisor, body="Catatan rahasia internal."
    )
    complaint_answer(complaint=world.complaint, by=office.supervisor, body="Petugas sudah ditegur.")
    client = fresh_client()
    client.post(reverse("complaints:follow"), {"code": world.code})
    body = client.get(
        reverse("complaints:thread", args=[world.complaint.public_id])
    ).content.decode()
    assert "Petugas sudah ditegur." in body
    assert "Catatan rahasia internal." not in body
    assert not shows(body, office.supervisor.display_name)
    assert not shows(body, office.counter.display_name)
    assert shows(body, office.supervisor.role_label)


def test_a_reply_after_the_answer_reopens_the_complaint_once(world, office):
    complaint_answer(complaint=world.complaint, by=office.supervisor, body="Sudah kami tindak.")
    client = fresh_client()
    client.post(reverse("complaints:follow"), {"code": world.code})
    url = reverse("complaints:thread", args=[world.complaint.public_id])
    token = form_token(client, url)
    response = client.post(url, {"body": "Belum selesai, saya masih diminta uang.", "token": token})
    assert response.status_code == 302
    again = client.post(url, {"body": "Belum selesai, saya masih diminta uang.", "token": token})
    assert again.status_code == 302
    world.complaint.refresh_from_db()
    assert world.complaint.state == ComplaintState.FORWARDED
    kinds = list(world.complaint.entries.values_list("kind", flat=True))
    assert kinds.count(ComplaintEntry.Kind.FROM_COMPLAINANT) == 1
    assert ComplaintEntry.Kind.REOPENED in kinds
    assert "masih diminta uang" in client.get(url).content.decode()


def test_an_empty_reply_is_refused_and_a_closed_complaint_takes_none(world, office):
    from public.services.complaints import complaint_close

    client = fresh_client()
    client.post(reverse("complaints:follow"), {"code": world.code})
    url = reverse("complaints:thread", args=[world.complaint.public_id])
    response = client.post(url, {"body": "", "token": form_token(client, url)})
    assert response.status_code == 400
    assert "Pesan tidak boleh kosong" in response.content.decode()
    complaint_close(complaint=world.complaint, by=office.supervisor, outcome="Petugas dibina.")
    page = client.get(url).content.decode()
    assert "Petugas dibina." in page
    assert 'name="body"' not in page


def test_the_thread_runs_a_constant_number_of_queries(world, office, django_assert_max_num_queries):
    from public.services.complaints import complaint_message

    client = fresh_client()
    client.post(reverse("complaints:follow"), {"code": world.code})
    url = reverse("complaints:thread", args=[world.complaint.public_id])
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    for n in range(20):
        complaint_message(complaint=world.complaint, body=f"Pesan tambahan nomor {n}.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).content.decode().count("Pesan tambahan nomor") == 20


# --- the handlers' pages ---------------------------------------------------------------------


def unit_complaint(office, **fields):
    fields.setdefault("subject", ComplaintSubject.UNIT)
    fields.setdefault("unit", office.dpmptsp)
    fields.setdefault("officer", None)
    return named_complaint(office, **fields)[0]


@pytest.mark.parametrize("role", ["supervisor", "supervisor2", "head", "head2"])
def test_no_page_the_unit_opens_names_the_complainant(office, role):
    office.applicant.email, office.applicant.phone = "siti.pelapor@example.com", "+6281111222333"
    office.applicant.full_name = "Siti Pelapor Rahasia"
    office.applicant.save()
    complaint = unit_complaint(office)
    signed_up, _code = named_complaint(
        office,
        subject=ComplaintSubject.UNIT,
        unit=office.dpmptsp,
        officer=None,
        complainant=office.applicant,
    )
    client = fresh_client(getattr(office, role))
    pages = [
        client.get(reverse("complaints_staff:list")).content.decode(),
        client.get(reverse("complaints_staff:detail", args=[complaint.public_id])).content.decode(),
        client.get(reverse("complaints_staff:detail", args=[signed_up.public_id])).content.decode(),
    ]
    assert shows(pages[0], complaint.number)
    for body in pages:
        applicant = office.applicant
        for secret in (NAME, EMAIL, PHONE, applicant.full_name, applicant.email, applicant.phone):
            assert not shows(body, secret)
    assert "Identitas pelapor dirahasiakan" in pages[1]


def test_the_inspectorate_reads_who_complained(office):
    complaint = unit_complaint(office)
    body = (
        fresh_client(office.auditor)
        .get(reverse("complaints_staff:detail", args=[complaint.public_id]))
        .content.decode()
    )
    assert shows(body, NAME) and shows(body, EMAIL)


def test_the_officer_concerned_cannot_open_it_even_as_a_supervisor(office):
    complaint, _code = named_complaint(office, officer=office.supervisor)
    client = fresh_client(office.supervisor)
    assert not shows(
        client.get(reverse("complaints_staff:list")).content.decode(), complaint.number
    )
    url = reverse("complaints_staff:detail", args=[complaint.public_id])
    assert client.get(url).status_code == 404
    assert fresh_client(office.head).get(url).status_code == 200


def test_handlers_forward_answer_note_and_close(world, office):
    client = fresh_client(office.supervisor)
    url = reverse("complaints_staff:detail", args=[world.complaint.public_id])

    def act(action, body=""):
        token = re.search(r'name="token" value="([^"]+)"', client.get(url).content.decode())[1]
        return client.post(url, {"action": action, "body": body, "token": token}, follow=True)

    page = client.get(url).content.decode()
    assert "Batas diteruskan" in page
    assert "Pengaduan diteruskan" in act("forward", "Kami periksa ke loket.").content.decode()
    assert act("note", "Cek rekaman CCTV loket.").status_code == 200
    assert "Jawaban terkirim" in act("answer", "Petugas sudah ditegur.").content.decode()
    refused = act("close", "")
    assert "Tulis hasil penanganan" in refused.content.decode()
    assert "ditutup" in act("close", "Petugas dibina; pelayanan diperbaiki.").content.decode()
    world.complaint.refresh_from_db()
    assert world.complaint.state == ComplaintState.CLOSED
    assert world.complaint.outcome == "Petugas dibina; pelayanan diperbaiki."
    kinds = list(world.complaint.entries.values_list("kind", flat=True))
    assert kinds.count(ComplaintEntry.Kind.NOTE) == 1
    assert kinds.count(ComplaintEntry.Kind.REPLY) == 1
    page = client.get(url).content.decode()
    assert "Cek rekaman CCTV loket." in page  # internal notes are shown to handlers
    assert 'name="action"' not in page


def test_a_double_posted_answer_acts_once(world, office):
    client = fresh_client(office.supervisor)
    url = reverse("complaints_staff:detail", args=[world.complaint.public_id])
    token = re.search(r'name="token" value="([^"]+)"', client.get(url).content.decode())[1]
    for _twice in range(2):
        client.post(url, {"action": "answer", "body": "Sudah ditegur.", "token": token})
    assert world.complaint.entries.filter(kind=ComplaintEntry.Kind.REPLY).count() == 1


def test_an_unknown_action_is_404(world, office):
    url = reverse("complaints_staff:detail", args=[world.complaint.public_id])
    assert fresh_client(office.supervisor).post(url, {"action": "delete"}).status_code == 404


def test_evidence_is_served_as_an_attachment_that_is_never_sniffed(world, office):
    response = fresh_client(office.auditor).get(
        reverse("complaints_staff:evidence", args=[world.evidence.public_id])
    )
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PNG


def test_the_file_link_is_shown_only_to_who_may_open_the_file(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    complaint, _code = named_complaint(office, application=app)
    url = reverse("complaints_staff:detail", args=[complaint.public_id])
    file_url = reverse("backoffice:file", args=[app.public_id])
    assert file_url in fresh_client(office.supervisor).get(url).content.decode()
    story = reverse("audit:story", args=[app.public_id])
    assert story in fresh_client(office.auditor).get(url).content.decode()


def test_the_list_filters_and_shows_what_is_overdue(office):
    import datetime

    from django.utils import timezone

    old = unit_complaint(office, now=timezone.now() - datetime.timedelta(days=30))
    new = unit_complaint(office, category=ComplaintCategory.PROCEDURE)
    client = fresh_client(office.head)
    page = client.get(reverse("complaints_staff:list")).content.decode()
    assert page.count("badge--late") == 1
    overdue = client.get(reverse("complaints_staff:list") + "?overdue=on").content.decode()
    assert shows(overdue, old.number) and not shows(overdue, new.number)
    by_category = client.get(
        reverse("complaints_staff:list") + "?category=procedure"
    ).content.decode()
    assert shows(by_category, new.number) and not shows(by_category, old.number)
    by_state = client.get(reverse("complaints_staff:list") + "?state=closed").content.decode()
    assert not shows(by_state, new.number)


def test_the_list_runs_a_constant_number_of_queries(office, django_assert_max_num_queries):
    client = fresh_client(office.auditor)
    unit_complaint(office)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("complaints_staff:list"))
    for _n in range(20):
        unit_complaint(office, unit=office.dinkes)
        named_complaint(office)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("complaints_staff:list"))
    assert len(response.context["page"]) == 25
    assert "Halaman 1 dari 2" in response.content.decode()
