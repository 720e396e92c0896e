"""A held file says one true thing about its SOP clock on every page: held before the
file is complete, the check is paused and the clock has not started; held after, the
clock keeps running and the delay is the office's. Never both."""

import re
import uuid

import pytest
from django.test import Client

from integrity.conflicts.services.cases import case_open
from integrity.models import CaseOrigin
from permits.models import Stage
from tests.factories import act, new_file, walk

pytestmark = pytest.mark.django_db

NOT_STARTED = "SOP belum berjalan"
RUNNING = "Waktu SOP tetap berjalan"
PUBLIC_BEFORE = (
    "Pemeriksaan berkas Anda dihentikan sementara untuk pemeriksaan internal kantor; "
    "waktu SOP belum berjalan dan baru dimulai setelah berkas dinyatakan lengkap."
)
PUBLIC_AFTER = (
    "Berkas Anda sedang dalam pemeriksaan internal kantor. Waktu SOP tetap berjalan; "
    "keterlambatan karena pemeriksaan ini menjadi tanggung jawab kantor."
)
OFFICE_BEFORE = "Waktu SOP belum berjalan: berkas belum dinyatakan lengkap."
OFFICE_AFTER = "Waktu SOP tetap berjalan; keterlambatan karenanya menjadi tanggung jawab kantor."


def held(office, stage):
    app = walk(office, new_file(office), stage)
    case_open(
        application=app,
        officer=app.assigned_to,
        actor=act(office.auditor),
        origin=CaseOrigin.AUDITOR,
        note="Pola: pemohon yang sama selalu dilayani petugas ini.",
    )
    app.refresh_from_db()
    assert app.held_since is not None
    return app


def text_of(response) -> str:
    assert response.status_code == 200
    body = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def pages(office, app, staff) -> dict[str, str]:
    public = Client(REMOTE_ADDR=f"2001:db8:{uuid.uuid4().hex[:4]}::1")
    applicant = Client()
    applicant.force_login(office.applicant)
    staff.force_login(office.supervisor)
    return {
        "tracking": text_of(public.get(f"/lacak/{app.tracking_code}/")),
        "applicant": text_of(applicant.get(f"/saya/berkas/{app.public_id}/")),
        "office": text_of(staff.get(f"/kantor/berkas/{app.public_id}/")),
    }


def test_a_file_held_before_completion_says_the_clock_has_not_started(office, client):
    seen = pages(office, held(office, Stage.VERIFICATION), client)
    for name in ("tracking", "applicant"):
        assert seen[name].count(PUBLIC_BEFORE) == 1, name
        assert NOT_STARTED in seen[name]  # the badge agrees
    assert seen["office"].count(OFFICE_BEFORE) == 1
    for name, text in seen.items():
        assert RUNNING not in text, name
        assert "mulai berjalan setelah berkas dinyatakan lengkap" not in text, name  # said once


def test_a_file_held_after_completion_says_the_clock_runs_on(office, client):
    seen = pages(office, held(office, Stage.TECHNICAL_REVIEW), client)
    for name in ("tracking", "applicant"):
        assert seen[name].count(PUBLIC_AFTER) == 1, name
    assert seen["office"].count(OFFICE_AFTER) == 1
    for name, text in seen.items():
        assert NOT_STARTED not in text and "belum berjalan" not in text, name
        assert text.count(RUNNING) == 1, name


def test_the_applicant_sees_the_hold_on_their_file_page_in_english(office):
    app = held(office, Stage.VERIFICATION)
    applicant = Client()
    applicant.force_login(office.applicant)
    applicant.cookies["django_language"] = "en"
    text = text_of(applicant.get(f"/saya/berkas/{app.public_id}/"))
    assert "internal review" in text and "has not started" in text
