"""Public tracking without sign-in: what the holder of a tracking code sees, and what
nobody can learn by guessing."""

import datetime
import re
import uuid
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from permits.models import Stage
from tests.factories import fire, new_file, return_file, walk

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db
NOT_FOUND = "Berkas tidak ditemukan."


@pytest.fixture
def visitor():
    """An anonymous visitor from an address of their own (rate limits count per address)."""
    return Client(REMOTE_ADDR=f"2001:db8:{uuid.uuid4().hex[:4]}::1")


def page(visitor, app, **params):
    return visitor.get(f"/lacak/{app.tracking_code}/", params)


def test_the_holder_of_the_code_sees_where_the_file_is_and_who_holds_it(visitor, office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    response = page(visitor, app)
    body = response.content.decode()
    assert response.status_code == 200
    assert f'<span class="stage">{app.stage_label}</span>' in body
    assert "Petugas loket sedang memeriksa kelengkapan berkas Anda." in body
    officer = app.assigned_to
    assert officer.display_name in body and "petugas loket" in body
    assert "Permohonan diajukan" in body and "Pemeriksaan kelengkapan dimulai" in body
    assert app.registration_number in body


def test_personal_data_is_masked(visitor, office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    body = page(visitor, app).content.decode()
    assert "Siti R********" in body
    assert "Rahmawati" not in body
    assert "************0001" in body
    assert app.applicant_nik not in body
    assert app.applicant_phone not in body and "Merdeka" not in body


def test_the_page_is_private_and_not_indexed(visitor, office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    response = page(visitor, app)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_a_returned_file_says_what_is_missing_and_that_the_clock_stopped(visitor, office):
    app = return_file(office, walk(office, new_file(office), Stage.VERIFICATION))
    body = page(visitor, app).content.decode()
    assert "Yang perlu Anda lengkapi" in body
    assert "STR sudah habis masa berlakunya." in body
    assert "Lengkapi paling lambat" in body


def test_a_running_file_shows_its_promise_and_the_working_days_left(visitor, office):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=WIB), tick=False):
        app = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
        body = page(visitor, app).content.decode()
    assert "Janji SOP: selesai paling lambat Kamis, 5 November 2026, 10.00." in body
    assert "Sisa 3 hari kerja." in body


def test_a_late_file_apologises_and_counts_the_working_days_late(visitor, office):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=WIB), tick=False):
        app = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    with time_machine.travel(datetime.datetime(2026, 11, 10, 11, tzinfo=WIB), tick=False):
        body = page(visitor, app).content.decode()
    assert "Kami terlambat dan mohon maaf." in body
    assert "Terlambat 3 hari kerja." in body  # Fri 6, Mon 9, Tue 10


def test_a_waiting_file_shows_by_when_its_completeness_check_is_due(visitor, office):
    # Submitted Friday 13 November 14.00 WIB (07.00 UTC): checked by Monday 14.00 WIB.
    with time_machine.travel(datetime.datetime(2026, 11, 13, 14, tzinfo=WIB), tick=False):
        app = walk(office, new_file(office, office.simple_type), Stage.SUBMITTED)
    with time_machine.travel(datetime.datetime(2026, 11, 16, 9, tzinfo=WIB), tick=False):
        body = page(visitor, app).content.decode()
    assert "Pemeriksaan kelengkapan selesai paling lambat Senin, 16 November 2026, 14.00." in body
    with time_machine.travel(datetime.datetime(2026, 11, 16, 14, 1, tzinfo=WIB), tick=False):
        body = page(visitor, app).content.decode()
    assert (
        "Pemeriksaan kelengkapan seharusnya selesai paling lambat Senin, 16 November 2026, "
        "14.00. Kami terlambat dan mohon maaf." in body
    )
    with time_machine.travel(datetime.datetime(2026, 11, 16, 15, tzinfo=WIB), tick=False):
        app = walk(office, app, Stage.APPROVAL)
        body = page(visitor, app).content.decode()
    assert "Pemeriksaan kelengkapan" not in body.split("track__sop")[0].split("track__now")[1]


def test_a_rejected_file_shows_the_reason_and_legal_basis(visitor, office):
    app = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    fire(
        app,
        "reject",
        app.assigned_to,
        reason="Lokasi tidak sesuai tata ruang.",
        legal_basis="Perda Kabupaten Sukamaju Nomor 3 Tahun 2020",
    )
    body = page(visitor, app).content.decode()
    assert "Lokasi tidak sesuai tata ruang." in body
    assert "Perda Kabupaten Sukamaju Nomor 3 Tahun 2020" in body


def test_an_unknown_code_gets_one_message(visitor, office):
    response = visitor.get("/lacak/ABCD-EFGH-JKMN/")
    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


def test_a_draft_cannot_be_tracked(visitor, office):
    app = new_file(office)
    response = page(visitor, app)
    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


def test_the_form_accepts_a_code_typed_loosely(visitor, office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    typed = app.tracking_code.replace("-", "").lower()
    response = visitor.post("/lacak/", {"code": f" {typed} "})
    assert response.status_code == 302
    assert response["Location"] == f"/lacak/{app.tracking_code}/"


def test_the_registration_number_and_nik_digits_find_the_file(visitor, office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    number = app.registration_number.lower()
    response = visitor.post("/lacak/", {"number": number, "nik4": "0001"})
    assert response["Location"] == f"/lacak/{app.tracking_code}/"


def test_wrong_nik_digits_get_the_same_message_as_an_unknown_number(visitor, office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    wrong_digits = visitor.post("/lacak/", {"number": app.registration_number, "nik4": "9999"})
    unknown = visitor.post("/lacak/", {"number": "MPP-2026-999999", "nik4": "0001"})
    assert wrong_digits.status_code == unknown.status_code == 404
    assert NOT_FOUND in wrong_digits.content.decode()
    assert NOT_FOUND in unknown.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Masukkan kode lacak, atau nomor registrasi dan 4 angka terakhir NIK."),
        ({"code": "12"}, "Kode lacak terdiri dari 12 huruf dan angka"),
        ({"code": "OOOO-IIII-1111"}, "Kode lacak terdiri dari 12 huruf dan angka"),
        ({"number": "MPP-2026-000001"}, "Isi nomor registrasi beserta 4 angka terakhir NIK"),
        ({"number": "MPP-2026-000001", "nik4": "12a4"}, "Isi nomor registrasi beserta"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(visitor, db, data, message):
    response = visitor.post("/lacak/", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    if "number" in data:
        assert f'value="{data["number"]}"' in body


def test_failed_lookups_are_limited_per_address(visitor, office, settings):
    settings.TRACKING_MISS_LIMIT = 3
    app = walk(office, new_file(office), Stage.SUBMITTED)
    statuses = [visitor.get("/lacak/ABCD-EFGH-JKMN/").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    assert "Terlalu banyak pencarian" in visitor.get("/lacak/ABCD-EFGH-JKMN/").content.decode()
    # Another address is not affected.
    assert page(Client(REMOTE_ADDR="2001:db8:beef::1"), app).status_code == 200


def test_all_lookups_are_limited_per_address(visitor, office, settings):
    settings.TRACKING_LOOKUP_LIMIT = 2
    app = walk(office, new_file(office), Stage.SUBMITTED)
    assert [page(visitor, app).status_code for _ in range(3)] == [200, 200, 429]


def test_the_kiosk_gets_more_room_before_the_limit(office, settings):
    settings.TRACKING_LOOKUP_LIMIT = 1
    settings.KIOSK_ADDRESSES = ["10.0.0.50"]
    app = walk(office, new_file(office), Stage.SUBMITTED)
    kiosk = Client(REMOTE_ADDR="10.0.0.50")
    assert [page(kiosk, app, kios=1).status_code for _ in range(3)] == [200, 200, 200]


def test_kiosk_mode_uses_large_type_and_resets_itself(visitor, office, settings):
    settings.KIOSK_RESET_SECONDS = 45
    app = walk(office, new_file(office), Stage.SUBMITTED)
    body = page(visitor, app, kios=1).content.decode()
    assert 'class="kiosk"' in body
    assert 'http-equiv="refresh" content="45;url=/lacak/?kios=1"' in body
    assert 'class="kiosk"' not in page(visitor, app).content.decode()


def test_the_form_needs_its_csrf_token(office):
    strict = Client(enforce_csrf_checks=True, REMOTE_ADDR="2001:db8:c5f::1")
    assert strict.post("/lacak/", {"code": "ABCD-EFGH-JKMN"}).status_code == 403


def test_the_page_speaks_english_when_chosen(visitor, office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = page(visitor, app).content.decode()
    assert "Your file has been received" in body


@pytest.mark.parametrize("returns", [0, 6])
def test_the_tracking_page_runs_a_fixed_number_of_queries(
    visitor, client, office, returns, django_assert_max_num_queries
):
    client.force_login(office.supervisor)
    app = walk(office, new_file(office), Stage.VERIFICATION)
    for _ in range(returns):
        app = return_file(office, app)
        app = walk(office, app, Stage.VERIFICATION)
    app = return_file(office, app)
    for _ in range(returns * 5):
        client.get(f"/kantor/berkas/{app.public_id}/")
    with django_assert_max_num_queries(5):
        response = page(visitor, app)
    assert response.status_code == 200
    body = response.content.decode()
    assert app.registration_number in body
    assert "STR sudah habis masa berlakunya." in body  # what the applicant must bring


# --- Who opened my file --------------------------------------------------------------


def test_every_staff_view_is_recorded_and_the_applicant_sees_unit_and_role(visitor, client, office):
    from permits.models import FileView

    app = walk(office, new_file(office), Stage.VERIFICATION)
    client.force_login(office.supervisor)
    client.get(f"/kantor/berkas/{app.public_id}/")
    client.get(f"/kantor/dokumen/{app.documents.first().public_id}/")
    views = list(FileView.objects.filter(application=app))
    assert {(v.viewer, v.viewer_role, v.kind) for v in views} == {
        (office.supervisor, "supervisor", "page"),
        (office.supervisor, "supervisor", "document"),
    }
    body = page(visitor, app).content.decode()
    section = body[body.index("Siapa yang membuka berkas Anda") :]
    assert "Atasan langsung, DPMPTSP" in section
    assert "membuka dokumen" in section
    assert office.supervisor.display_name not in body


def test_auditors_views_are_recorded_but_not_shown_to_the_public(visitor, client, office):
    from permits.models import FileView

    app = walk(office, new_file(office), Stage.SUBMITTED)
    client.force_login(office.auditor)
    client.get(f"/kantor/berkas/{app.public_id}/")
    assert FileView.objects.get(application=app).viewer == office.auditor
    body = page(visitor, app).content.decode()
    assert "Belum ada petugas yang membuka berkas Anda." in body


def test_views_are_append_only(client, office):
    from permits.models import FileView

    app = walk(office, new_file(office), Stage.SUBMITTED)
    client.force_login(office.counter)
    client.get(f"/kantor/berkas/{app.public_id}/")
    view = FileView.objects.get(application=app)
    with pytest.raises(RuntimeError):
        view.save()
    with pytest.raises(RuntimeError):
        view.delete()


def test_the_page_follows_catalogue_edits(visitor, office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    assert office.full_type.name_id in page(visitor, app).content.decode()
    office.full_type.name_id = "Izin Apotek (baru)"
    office.full_type.save()
    assert "Izin Apotek (baru)" in page(visitor, app).content.decode()


def test_auditors_see_who_opened_a_file_by_name_and_others_do_not(client, office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    client.force_login(office.supervisor)
    client.get(f"/kantor/berkas/{app.public_id}/")
    supervisor_page = client.get(f"/kantor/berkas/{app.public_id}/").content.decode()
    assert "Akses petugas ke berkas ini" not in supervisor_page
    client.force_login(office.auditor)
    body = client.get(f"/kantor/berkas/{app.public_id}/").content.decode()
    section = body[body.index("Akses petugas ke berkas ini") :]
    assert office.supervisor.display_name in section and "203.0.113" not in section
    assert "127.0.0.1" in section


# --- Moments in the office's time ----------------------------------------------------

SUNDAY_NIGHT_UTC = datetime.datetime(2026, 12, 6, 23, 30, tzinfo=datetime.UTC)  # Mon 06.30 WIB
MONDAY_UTC = datetime.datetime(2026, 12, 7, 16, 30, tzinfo=datetime.UTC)  # Mon 23.30 WIB


def file_submitted_early_and_opened_late(office, client):
    with time_machine.travel(SUNDAY_NIGHT_UTC, tick=False):
        app = walk(office, new_file(office), Stage.SUBMITTED)
    with time_machine.travel(MONDAY_UTC, tick=False):
        client.force_login(office.supervisor)
        client.get(f"/kantor/berkas/{app.public_id}/")
    return app


def test_every_step_and_every_staff_view_shows_its_local_date_and_time(visitor, client, office):
    app = file_submitted_early_and_opened_late(office, client)
    body = page(visitor, app).content.decode()
    assert (
        '<time datetime="2026-12-07T06:30:00+07:00">7 Des 2026, 06.30</time> Permohonan diajukan'
        in body
    )
    assert '<time datetime="2026-12-07T23:30:00+07:00">7 Des 2026, 23.30</time> —' in body
    assert '<time datetime=""></time>' not in body


def test_the_steps_speak_english_when_chosen(visitor, client, office):
    app = file_submitted_early_and_opened_late(office, client)
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = page(visitor, app).content.decode()
    assert ">7 Dec 2026, 06.30</time>" in body
    assert ">7 Dec 2026, 23.30</time>" in body


def test_the_badge_and_the_promise_tell_the_same_local_time(visitor, office):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 23, tzinfo=WIB), tick=False):
        app = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
        body = page(visitor, app).content.decode()
    assert "Kam 5 Nov 2026, 09.23 · sisa" in body
    assert "selesai paling lambat Kamis, 5 November 2026, 09.23." in body
    assert "02.23" not in body


# --- The kept render (issue 20.6) ------------------------------------------------------


def file_part(response) -> str:
    body = response.content.decode()
    return body[body.index('<article class="track">') : body.index("</article>")]


def fresh_part(visitor, app) -> str:
    """The file's part of the page rendered anew, nothing kept."""
    from permits.views import tracking as tracking_views

    tracking_views._rendered.clear()
    return file_part(page(visitor, app))


def test_a_kept_render_is_what_a_fresh_render_would_show_as_the_file_and_clock_move(
    visitor, client, office
):
    moments = [
        datetime.datetime(2026, 11, 2, 9, 0, tzinfo=WIB),
        datetime.datetime(2026, 11, 2, 9, 0, 40, tzinfo=WIB),  # the same minute
        datetime.datetime(2026, 11, 2, 11, 30, tzinfo=WIB),  # the time left moved on
        datetime.datetime(2026, 11, 3, 8, 0, tzinfo=WIB),  # the next working day
        datetime.datetime(2026, 11, 9, 10, 0, tzinfo=WIB),  # past the SOP promise
    ]
    with time_machine.travel(moments[0], tick=False):
        app = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    client.force_login(office.supervisor)
    seen = []
    for moment in moments:
        with time_machine.travel(moment, tick=False):
            kept_or_new = file_part(page(visitor, app))
            assert kept_or_new == fresh_part(visitor, app), moment
            assert file_part(page(visitor, app)) == kept_or_new  # served from the kept one
            seen.append(kept_or_new)
            if moment == moments[0]:
                client.get(f"/kantor/berkas/{app.public_id}/")  # a staff view: on the page next
    assert seen[0] != seen[1]  # the supervisor's view of 09.00 shows at 09.00.40
    assert seen[1] != seen[2]  # nothing happened to the file, but its time left moved on
    assert "Terlambat" in seen[-1] and "Terlambat" not in seen[-2]


def test_a_step_and_a_return_show_at_once_after_a_kept_render(visitor, office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    assert "Berkas Anda sudah diterima" in file_part(page(visitor, app))
    app = walk(office, app, Stage.VERIFICATION)
    part = file_part(page(visitor, app))
    assert "Petugas loket sedang memeriksa kelengkapan berkas Anda." in part
    app = return_file(office, app)
    part = file_part(page(visitor, app))
    assert "STR sudah habis masa berlakunya." in part
    assert part == fresh_part(visitor, app)


def test_each_language_and_the_kiosk_get_their_own_kept_render(visitor, office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    indonesian = file_part(page(visitor, app))
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = file_part(page(visitor, app))
    assert "Your file has been received" in english
    assert "Berkas Anda sudah diterima" in indonesian
    kiosk = file_part(page(visitor, app, kios=1))
    assert "?kios=1" in kiosk and "?kios=1" not in english


# --- The kept page around it (core.shell) -----------------------------------------------

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_each_anonymous_visitor_gets_their_own_working_csrf_token(office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    tokens = []
    for _ in range(2):
        address = f"2001:db8:{uuid.uuid4().hex[:4]}::1"
        visitor = Client(enforce_csrf_checks=True, REMOTE_ADDR=address)
        body = page(visitor, app).content.decode()
        assert not re.search(r"slot-[0-9a-f]{32}", body)  # no slot left unfilled
        [token] = set(TOKEN.findall(body))
        assert f'"X-CSRFToken": "{token}"' in body
        switched = visitor.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
        assert switched.status_code == 302  # the language switch accepted this visitor's token
        tokens.append(token)
    assert tokens[0] != tokens[1]


def test_a_signed_in_visitor_gets_their_own_header_and_nobody_else_sees_it(client, office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    anonymous = Client(REMOTE_ADDR="2001:db8:aaaa::1")
    assert "Masuk" in page(anonymous, app).content.decode()
    client.force_login(office.applicant)
    mine = page(client, app).content.decode()
    assert office.applicant.display_name in mine and "Keluar" in mine
    again = page(anonymous, app).content.decode()
    assert office.applicant.display_name not in again.split('<article class="track">')[0]
    assert "Masuk" in again


def test_a_waiting_message_is_shown_once_on_the_kept_page(visitor, office):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    app = walk(office, new_file(office), Stage.SUBMITTED)
    assert "Kode lacak tersimpan" not in page(visitor, app).content.decode()
    storage = CookieStorage(HttpRequest())
    visitor.cookies[storage.cookie_name] = storage._encode(
        [Message(constants.SUCCESS, "Kode lacak tersimpan.")]
    )
    assert "Kode lacak tersimpan." in page(visitor, app).content.decode()
    assert "Kode lacak tersimpan." not in page(visitor, app).content.decode()


def test_the_kept_page_follows_the_language_and_the_kiosk(visitor, office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    assert '<html lang="id">' in page(visitor, app).content.decode()
    kiosk = page(visitor, app, kios=1).content.decode()
    assert 'class="kiosk"' in kiosk
    assert 'class="kiosk"' not in page(visitor, app).content.decode()
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = page(visitor, app).content.decode()
    assert '<html lang="en">' in english and "Track a file" in english


def test_an_address_that_looks_like_a_slot_changes_nothing(visitor, office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    lure = "slot-" + "0" * 32
    body = page(visitor, app, x=lure).content.decode()
    head, _main, rest = body.partition('<main id="main"')
    assert '<article class="track">' in rest and '<article class="track">' not in head
    assert f'name="next" value="/lacak/{app.tracking_code}/?x={lure}"' in head
    [token] = set(TOKEN.findall(body))
    assert token not in head.split('name="next"')[1].split(">")[0]  # not in the address
