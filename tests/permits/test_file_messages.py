"""Messages inside a file: on the record, between the applicant and the office."""

import pytest
from django.utils import timezone

from outbox.models import Message
from permits.models import FileMessage, Stage
from tests.permits.conftest import new_file, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(office):
    office.applicant.email, office.applicant.email_verified_at = "siti@contoh.id", timezone.now()
    office.applicant.save()
    return walk(office, new_file(office), Stage.VERIFICATION)


def test_the_applicant_writes_and_the_officer_in_charge_is_told(client, office, app):
    client.force_login(office.applicant)
    response = client.post(f"/saya/berkas/{app.public_id}/pesan/", {"body": "Kapan selesai?"})
    assert response.status_code == 302
    message = FileMessage.objects.get(application=app)
    assert message.author == office.applicant and message.from_applicant
    assert app.events.filter(action="message.posted").count() == 1
    notice = Message.objects.get(kind="file.message_to_office")
    assert notice.recipient == app.assigned_to and "Kapan selesai?" in notice.body


def test_the_officer_answers_and_the_applicant_is_told(client, office, app):
    client.force_login(app.assigned_to)
    client.post(f"/kantor/berkas/{app.public_id}/pesan/", {"body": "Besok siang."})
    notice = Message.objects.get(kind="file.message_to_applicant")
    assert notice.address == "siti@contoh.id" and "Besok siang." in notice.body
    client.force_login(office.applicant)
    page = client.get(f"/saya/berkas/{app.public_id}/").content.decode()
    assert "Besok siang." in page and app.assigned_to.display_name in page


def test_auditors_read_the_thread_but_cannot_write(client, office, app):
    client.force_login(office.applicant)
    client.post(f"/saya/berkas/{app.public_id}/pesan/", {"body": "Ada yang minta uang."})
    client.force_login(office.auditor)
    page = client.get(f"/kantor/berkas/{app.public_id}/").content.decode()
    assert "Ada yang minta uang." in page and "Kirim pesan" not in page
    response = client.post(f"/kantor/berkas/{app.public_id}/pesan/", {"body": "Halo"})
    assert response.status_code == 403
    assert FileMessage.objects.count() == 1


def test_another_applicant_cannot_write_into_the_file(client, office, app):
    client.force_login(office.other_applicant)
    response = client.post(f"/saya/berkas/{app.public_id}/pesan/", {"body": "Halo"})
    assert response.status_code == 404
    assert not FileMessage.objects.exists()


def test_staff_of_another_opd_cannot_see_or_write(client, office, app, make_user):
    from accounts.models import Role
    from tests.factories import OPDFactory

    outsider = make_user(Role.TECHNICAL, username="pupr", unit=OPDFactory(code="DPUPR"))
    client.force_login(outsider)
    assert client.post(f"/kantor/berkas/{app.public_id}/pesan/", {"body": "x"}).status_code == 404


def test_anonymous_posts_are_sent_to_sign_in(client, app):
    for path in [f"/saya/berkas/{app.public_id}/pesan/", f"/kantor/berkas/{app.public_id}/pesan/"]:
        response = client.post(path, {"body": "x"})
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    assert not FileMessage.objects.exists()


@pytest.mark.parametrize(
    ("body", "error"),
    [("   ", "Tulis pesan Anda."), ("x" * 2001, "Pesan terlalu panjang")],
)
def test_an_empty_or_too_long_message_is_refused_and_kept(client, office, app, body, error):
    client.force_login(office.applicant)
    response = client.post(f"/saya/berkas/{app.public_id}/pesan/", {"body": body})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not FileMessage.objects.exists()


def test_messages_are_append_only(client, office, app):
    client.force_login(office.applicant)
    client.post(f"/saya/berkas/{app.public_id}/pesan/", {"body": "Satu"})
    message = FileMessage.objects.get()
    with pytest.raises(RuntimeError):
        message.save()
    with pytest.raises(RuntimeError):
        message.delete()
