"""Complaints while Redis is down (issue 16, point 1): the one-time form tokens live in the
database, so a complaint, a message in its thread and every handler's action land once,
and a double submit still acts once, whether Redis is up or not."""

from __future__ import annotations

import re
import threading
import uuid
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse

from public.models import Complaint, ComplaintCategory, ComplaintSubject, FormToken
from public.once import TOKENS, token_claim
from public.selectors.complaints import complaint_by_code
from public.services.complaints import complaint_submit
from tests.conftest import SignedInClient

pytestmark = pytest.mark.django_db

DESCRIPTION = "Berkas saya sudah dua minggu tidak ada kabarnya sama sekali."


def browser(user=None) -> SignedInClient:
    client = SignedInClient(REMOTE_ADDR=f"2001:db8:{uuid.uuid4().hex[:4]}::1")
    if user is not None:
        client.force_login(user)
    return client


def token_on(client, url) -> str:
    return re.search(r'name="token" value="([^"]+)"', client.get(url).content.decode())[1]


def complaint_form(client, token=None) -> dict:
    return {
        "subject": "service",
        "category": "delay",
        "description": DESCRIPTION,
        "name": "Rahasia Pelapor",
        "email": "pelapor.rahasia@example.com",
        "token": token or token_on(client, reverse("complaints:new")),
    }


@pytest.fixture
def complaint(office):
    complaint, _code = complaint_submit(
        subject=ComplaintSubject.OFFICER,
        officer=office.counter,
        category=ComplaintCategory.IMPROPER,
        description="Petugas loket berkata kasar ketika saya bertanya syarat.",
        contact_name="Rahasia Pelapor",
        contact_email="pelapor.rahasia@example.com",
    )
    return complaint


def test_a_public_complaint_is_saved_and_its_code_shown_while_redis_is_down(
    office, redis_down, django_capture_on_commit_callbacks, caplog
):
    client = browser()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("complaints:new"), complaint_form(client), follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "kedaluwarsa" not in page
    saved = Complaint.objects.get()
    assert saved.description == DESCRIPTION
    code = re.search(r'class="secret complaints__code">([A-Z0-9-]+)<', page)[1]
    assert complaint_by_code(code) == saved
    assert saved.number in page
    assert "broker unreachable" in caplog.text  # it really went to the dead Redis


@pytest.mark.parametrize("redis", ["up", "down"])
def test_a_double_submitted_complaint_is_saved_once(office, redis, request):
    if redis == "down":
        request.getfixturevalue("redis_down")
    client = browser()
    data = complaint_form(client)
    first = client.post(reverse("complaints:new"), data)
    second = client.post(reverse("complaints:new"), data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("complaints:done")
    assert Complaint.objects.count() == 1


def test_a_message_in_the_thread_is_stored_once_while_redis_is_down(
    complaint, redis_down, django_capture_on_commit_callbacks
):
    client = browser()
    session = client.session
    session["complaint_grants"] = [complaint.pk]
    session.save()
    url = reverse("complaints:thread", args=[complaint.public_id])
    data = {"body": "Belum selesai, saya masih diminta uang.", "token": token_on(client, url)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data, follow=True)
    client.post(url, data)
    assert "Pesan Anda terkirim" in response.content.decode()
    assert complaint.entries.filter(body=data["body"]).count() == 1


@pytest.mark.parametrize(
    ("action", "body", "done", "kind"),
    [
        ("note", "Cek rekaman CCTV loket.", "Catatan internal tersimpan", "note"),
        ("answer", "Petugas sudah ditegur.", "Jawaban terkirim", "reply"),
        ("forward", "Kami periksa ke loket.", "Pengaduan diteruskan", "forwarded"),
        ("close", "Petugas dibina.", "Pengaduan ditutup", "closed"),
    ],
)
def test_a_handlers_action_is_stored_once_while_redis_is_down(
    complaint, office, redis_down, django_capture_on_commit_callbacks, action, body, done, kind
):
    client = browser(office.auditor)
    url = reverse("complaints_staff:detail", args=[complaint.public_id])
    data = {"action": action, "body": body, "token": token_on(client, url)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data, follow=True)
    again = client.post(url, data, follow=True)
    page = response.content.decode()
    assert done in page and "sudah dikirim" not in page
    assert "Tindakan ini sudah dikirim" in again.content.decode()
    assert complaint.entries.filter(kind=kind, body=body).count() == 1


def test_a_refused_action_gives_its_token_back_for_the_corrected_form(complaint, office):
    client = browser(office.auditor)
    url = reverse("complaints_staff:detail", args=[complaint.public_id])
    token = token_on(client, url)
    refused = client.post(url, {"action": "close", "body": "", "token": token}, follow=True)
    assert "Tulis hasil penanganan" in refused.content.decode()
    client.post(url, {"action": "close", "body": "Petugas dibina.", "token": token})
    complaint.refresh_from_db()
    assert complaint.outcome == "Petugas dibina."


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_six_simultaneous_posts_of_one_token_claim_it_once():
    token = "simultaneous-token"
    barrier = threading.Barrier(6)
    claims = []

    def claim():
        try:
            barrier.wait()
            claims.append(token_claim(SimpleNamespace(session={TOKENS: [token]}), token))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claims) == [False] * 5 + [True]
    assert FormToken.objects.count() == 1
