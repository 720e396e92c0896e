"""Photos of a site visit (issue 22.2): where and when each was taken, read from the photo
(EXIF) or else from the phone's browser, compared with the site's map point (300 m, plus
the browser's stated accuracy up to 500 m) and the appointment (an hour before to four
hours after). A mismatch is kept and shown, never refused. Every tolerance at its edges.

The visit is agreed for Tuesday 15 December 2026, 10.00 WIB; the site is at the map point
SITE."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from integrity.conflicts.services.declarations import file_declare
from permits.event_names import SITE_VISIT_PHOTO_ADDED
from permits.models import PhotoSource, SiteVisit
from permits.services import site_visit_photos
from permits.services.context import ActionRefused
from permits.services.site_visit_photos import (
    BrowserFix,
    browser_fix,
    distance_m,
    photo_facts,
    site_visit_photo_add,
)
from tests.factories import PDF, act
from tests.permits.test_site_visit_reports import AFTER_THE_VISIT, agreed, companion_of
from tests.permits.test_site_visits import at, monday  # noqa: F401

pytestmark = pytest.mark.django_db

SITE = (-6.914744, 107.609810)
METRE = 1 / 111_194.93  # degrees of latitude per metre (haversine, R = 6371 km)


def north(metres: float) -> tuple[float, float]:
    return SITE[0] + metres * METRE, SITE[1]


def _rational(value: float) -> tuple:
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    seconds = round((minutes_full - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


def jpeg(*, taken: str | None = None, offset: str | None = None, place=None) -> bytes:
    """A small JPEG; ``taken`` "2026:12:15 10:20:00" as its EXIF DateTimeOriginal (with
    ``offset`` "+07:00" if given), ``place`` (lat, lon) as its EXIF GPS position."""
    image = Image.new("RGB", (64, 48), (40, 120, 60))
    exif = Image.Exif()
    if taken:
        details = exif.get_ifd(0x8769)
        details[36867] = taken
        if offset:
            details[36881] = offset
    if place:
        lat, lon = place
        gps = exif.get_ifd(0x8825)
        gps[1] = "S" if lat < 0 else "N"
        gps[2] = _rational(abs(lat))
        gps[3] = "W" if lon < 0 else "E"
        gps[4] = _rational(abs(lon))
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(content: bytes, name="foto.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


@pytest.fixture
def visit_app(office):
    """A file whose visit is agreed; the site's map point is SITE; the clock is 10.30 on
    the day of the visit."""
    app = agreed(office)
    SiteVisit.objects.filter(application=app).update(site_lat=SITE[0], site_lon=SITE[1])
    with time_machine.travel(at(2026, 12, 15, 10, 30), tick=True):
        yield app


def add(app, content, *, user=None, browser=None, caption=""):
    return site_visit_photo_add(
        application=app,
        actor=act(user or app.assigned_to),
        uploaded=upload(content),
        caption=caption,
        browser=browser,
    )


# --- reading a photo -------------------------------------------------------------------------


def test_distance_matches_a_known_value():
    assert distance_m(0, 0, 1, 0) == pytest.approx(111_194.93, abs=0.01)
    assert distance_m(*SITE, *north(300)) == pytest.approx(300, abs=0.01)


def test_the_photo_s_own_time_and_position_are_read():
    facts = photo_facts(upload(jpeg(taken="2026:12:15 10:20:00", place=SITE)))
    assert facts.taken_at == at(2026, 12, 15, 10, 20)  # no offset: the office's time zone
    assert facts.lat == pytest.approx(SITE[0], abs=1e-6)
    assert facts.lon == pytest.approx(SITE[1], abs=1e-6)
    with_offset = photo_facts(upload(jpeg(taken="2026:12:15 11:20:00", offset="+08:00")))
    assert with_offset.taken_at == at(2026, 12, 15, 10, 20)  # WITA's 11.20 is WIB's 10.20
    assert photo_facts(upload(jpeg())) == site_visit_photos.PhotoFacts()


def test_the_browser_s_fix_is_read_and_nonsense_ignored():
    fix = browser_fix(
        {"lat": "-6.9", "lon": "107.6", "accuracy": "25", "fix_at": "2026-12-15T03:20:00.000Z"}
    )
    assert (fix.lat, fix.lon, fix.accuracy_m) == (-6.9, 107.6, 25)
    assert fix.at == at(2026, 12, 15, 10, 20)
    assert browser_fix({"lat": "91", "lon": "107.6", "fix_at": "kemarin"}) == BrowserFix()
    assert browser_fix({"lat": "nan", "lon": "1"}).lat is None
    assert browser_fix({"fix_at": "2026-12-15T10:20:00"}).at is None  # no zone: unknown


# --- the place -------------------------------------------------------------------------------


def test_place_edges_from_the_photo(visit_app):
    """One visit, a photo per case (the photos do not touch each other)."""
    for metres, mismatch in [(290, False), (310, True)]:
        photo = add(visit_app, jpeg(taken="2026:12:15 10:20:00", place=north(metres)))
        assert photo.place_source == PhotoSource.EXIF
        assert photo.distance_m == pytest.approx(metres, abs=0.5)
        assert photo.place_mismatch is mismatch, metres


def test_place_edges_from_the_browser_with_its_accuracy(visit_app):
    for metres, accuracy, mismatch in [
        (390, 100, False),
        (410, 100, True),
        (790, 2000, False),  # the accuracy counts up to 500 m
        (810, 2000, True),
    ]:
        lat, lon = north(metres)
        photo = add(visit_app, jpeg(), browser=BrowserFix(lat=lat, lon=lon, accuracy_m=accuracy))
        assert photo.place_source == PhotoSource.BROWSER
        assert photo.place_mismatch is mismatch, (metres, accuracy)


def test_the_photo_s_own_position_wins_over_the_browser_s(visit_app):
    far = north(5000)
    photo = add(
        visit_app,
        jpeg(place=SITE),
        browser=BrowserFix(lat=far[0], lon=far[1], accuracy_m=10),
    )
    assert photo.place_source == PhotoSource.EXIF and not photo.place_mismatch


def test_without_a_map_point_the_place_is_not_compared(visit_app):
    SiteVisit.objects.filter(application=visit_app).update(site_lat=None, site_lon=None)
    photo = add(visit_app, jpeg(place=north(5000)))
    assert photo.distance_m is None and not photo.place_mismatch


# --- the time --------------------------------------------------------------------------------


def test_time_edges(visit_app):
    for taken, mismatch in [
        ("2026:12:15 09:00:00", False),  # an hour early
        ("2026:12:15 08:59:00", True),
        ("2026:12:15 14:00:00", False),  # four hours late
        ("2026:12:15 14:01:00", True),
        ("2026:12:14 10:00:00", True),  # the day before
    ]:
        assert add(visit_app, jpeg(taken=taken, place=SITE)).time_mismatch is mismatch, taken


def test_without_any_time_the_upload_s_own_is_used(visit_app):
    photo = add(visit_app, jpeg(place=SITE))
    assert photo.time_source == PhotoSource.UPLOAD and not photo.time_mismatch


def test_a_mismatch_is_kept_in_the_file_s_event(visit_app):
    photo = add(visit_app, jpeg(taken="2026:12:14 10:00:00", place=north(2400)), caption="Depan")
    event = visit_app.events.get(action=SITE_VISIT_PHOTO_ADDED)
    assert event.actor == visit_app.assigned_to and event.note == "Depan"
    assert event.data["photo"] == str(photo.public_id)
    assert event.data["place_mismatch"] is True and event.data["time_mismatch"] is True
    assert event.data["distance_m"] == 2400
    assert photo.history.first().history_user == visit_app.assigned_to


# --- who, and bad input ----------------------------------------------------------------------


def test_the_companion_declares_first_and_others_are_refused(visit_app, office, make_user):
    from accounts.models import Role

    companion = companion_of(visit_app).officer
    with pytest.raises(ActionRefused, match="konflik kepentingan"):
        add(visit_app, jpeg(place=SITE), user=companion)
    file_declare(application=visit_app, actor=act(companion), has_conflict=False)
    assert add(visit_app, jpeg(place=SITE), user=companion).uploaded_by == companion
    outsider = make_user(Role.TECHNICAL, unit=office.dinkes)
    with pytest.raises(ActionRefused, match="anggota tim"):
        add(visit_app, jpeg(place=SITE), user=outsider)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (PDF, "harus berformat JPG, PNG"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "Foto tidak dapat dibaca"),
        (b"", "Berkas kosong"),
    ],
)
def test_what_is_not_a_photo_is_refused_in_words(visit_app, content, problem):
    with pytest.raises(ActionRefused, match=problem):
        add(visit_app, content)
    assert not SiteVisit.objects.get().photos.exists()


# --- the pages -------------------------------------------------------------------------------


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_lead_adds_a_photo_from_the_file_page_and_sees_the_mismatch(client, visit_app):
    lead = visit_app.assigned_to
    client.force_login(lead)
    page = client.get(reverse("backoffice:file", args=[visit_app.public_id]))
    assert "Tambahkan foto" in text(page)
    assert "geolocation=(self)" in page["Permissions-Policy"]
    assert "camera=()" in page["Permissions-Policy"]  # every other refusal kept
    url = reverse("backoffice:site_visit_photo", args=[visit_app.public_id])
    far = north(2400)
    answer = client.post(
        url,
        {
            "photo": upload(jpeg()),
            "caption": "Tampak depan",
            "lat": str(far[0]),
            "lon": str(far[1]),
            "accuracy": "15",
            "fix_at": "2026-12-15T03:25:00Z",
        },
    )
    assert answer.status_code == 302
    shown = text(client.get(reverse("backoffice:file", args=[visit_app.public_id])))
    assert "Tampak depan" in shown and "2400 m dari titik lokasi permohonan" in shown
    assert "tempat tidak cocok dengan lokasi" in shown
    assert "Diambil 15 Des 2026, 10.25 (menurut peramban ponsel)" in shown
    photo = SiteVisit.objects.get().photos.get()
    image_url = reverse(
        "backoffice:site_visit_photo_image", args=[visit_app.public_id, photo.public_id]
    )
    assert client.get(image_url)["Content-Type"] == "image/jpeg"


def test_a_refused_upload_keeps_the_caption(client, visit_app):
    client.force_login(visit_app.assigned_to)
    answer = client.post(
        reverse("backoffice:site_visit_photo", args=[visit_app.public_id]),
        {"photo": SimpleUploadedFile("foto.jpg", PDF), "caption": "Tampak samping"},
    )
    assert answer.status_code == 400
    assert "harus berformat JPG, PNG" in text(answer)
    assert "Tampak samping" in answer.content.decode()


def test_others_do_not_see_the_photo_or_the_location_permission(client, office, visit_app):
    from accounts.models import Role
    from tests.factories import OPDFactory, UserFactory

    photo = add(visit_app, jpeg(place=SITE))
    image_url = reverse(
        "backoffice:site_visit_photo_image", args=[visit_app.public_id, photo.public_id]
    )
    stranger = UserFactory(
        role=Role.TECHNICAL, username="teknis.dik", unit=OPDFactory(code="DISDIK", name_id="D")
    )
    client.force_login(stranger)
    assert client.get(image_url).status_code == 404
    client.force_login(office.counter)
    page = client.get(reverse("backoffice:file", args=[visit_app.public_id]))
    assert "geolocation=()" in page["Permissions-Policy"]
    client.logout()
    assert client.get(image_url).status_code == 302  # to the sign-in


def test_the_report_pdf_shows_the_photos_and_their_mismatch(
    visit_app, office, django_capture_on_commit_callbacks, tmp_path
):
    from tests.permits.test_site_visit_reports import report, signed_by_all

    add(visit_app, jpeg(taken="2026:12:14 10:00:00", place=north(2400)), caption="Tampak depan")
    with time_machine.travel(AFTER_THE_VISIT, tick=True):
        report(visit_app)
        visit = signed_by_all(visit_app, office, django_capture_on_commit_callbacks)
    path = tmp_path / "ba.pdf"
    path.write_bytes(visit.report_pdf.read())
    words = " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "Tampak depan" in words and "2400 m dari titik lokasi" in words
    assert "Tempat tidak cocok dengan lokasi permohonan." in words
    assert "Waktu tidak cocok dengan jadwal peninjauan." in words
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True)
    assert len(images.stdout.strip().splitlines()) >= 3  # the header lines and the photo
