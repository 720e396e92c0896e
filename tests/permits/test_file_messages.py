"""Messages inside a file: on the record, between the applicant and the office."""

import pytest
from django.utils import timezone

from outbox.models import Message
from permits.models import FileMessage, Stage
from tests.factories import new_file, walk

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


# --- who writes to the applicant, and when (issue 16 point 4) ---------------------------------


def office_post(client, user, app, body="Kabar dari kantor."):
    client.force_login(user)
    return client.post(f"/kantor/berkas/{app.public_id}/pesan/", {"body": body})


def told_applicant() -> int:
    return Message.objects.filter(kind="file.message_to_applicant").count()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("counter", 302),  # the holder, declared
        ("supervisor", 302),  # the holder's direct supervisor
        ("head", 302),  # the head of office, above everyone
        ("head2", 302),
        ("counter2", 403),  # a colleague at the same counter
        ("supervisor2", 403),  # a supervisor outside the holder's line
        ("cashier", 403),
        ("admin", 403),
        ("auditor", 403),
        ("technical", 403),
    ],
)
def test_only_the_holder_and_their_supervisors_write_to_the_applicant(
    client, office, app, who, status
):
    assert app.assigned_to == office.counter
    response = office_post(client, getattr(office, who), app)
    assert response.status_code == status
    assert FileMessage.objects.exists() == (status == 302)
    assert told_applicant() == (1 if status == 302 else 0)


def test_the_page_offers_the_form_only_to_those_who_may_write(client, office, app):
    for who, offered in [("counter", True), ("supervisor", True), ("counter2", False)]:
        client.force_login(getattr(office, who))
        page = client.get(f"/kantor/berkas/{app.public_id}/").content.decode()
        assert ("Kirim pesan" in page) == offered, who


def test_the_holder_writes_only_after_declaring(client, office, app):
    from permits.services.applications import application_reassign
    from tests.factories import act

    application_reassign(
        application=app, officer=office.counter2, actor=act(office.supervisor), reason="cuti"
    )
    response = office_post(client, office.counter2, app, "Berkas Anda saya pegang.")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nyatakan dulu ada atau tidaknya konflik kepentingan" in page
    assert "Berkas Anda saya pegang." in page  # kept as typed
    assert not FileMessage.objects.exists() and told_applicant() == 0
    page = client.get(f"/kantor/berkas/{app.public_id}/").content.decode()
    assert "Kirim pesan" not in page and "Nyatakan dulu ada atau tidaknya" in page


@pytest.mark.parametrize("who", ["counter", "supervisor", "head"])
def test_nobody_in_the_office_writes_on_a_held_file(client, office, app, who):
    from integrity.conflicts.services.declarations import file_declare
    from tests.factories import act

    file_declare(
        application=app,
        actor=act(office.counter),
        has_conflict=True,
        nature="potential",
        source="family",
        related_party="Siti",
        description="Sepupu istri saya.",
    )
    response = office_post(client, getattr(office, who), app, "Sabar ya.")
    assert response.status_code == 400
    assert "sedang ditahan" in response.content.decode()
    assert not FileMessage.objects.exists() and told_applicant() == 0
    attempt = app.events.get(action="integrity.held_attempt")
    assert attempt.actor == getattr(office, who) and attempt.data == {"action": "message"}
    page = client.get(f"/kantor/berkas/{app.public_id}/").content.decode()
    assert "Kirim pesan" not in page
    assert "kantor tidak mengirim pesan kepada pemohon sampai penahanan dicabut" in page
    # The applicant still writes: their message is on the record.
    client.force_login(office.applicant)
    response = client.post(f"/saya/berkas/{app.public_id}/pesan/", {"body": "Ada kabar?"})
    assert response.status_code == 302
    assert FileMessage.objects.get().author == office.applicant


def test_with_nobody_holding_the_file_its_supervisors_write(client, office, app):
    app.assigned_to = None
    app.save(update_fields=["assigned_to"])
    assert office_post(client, office.counter, app).status_code == 403
    assert office_post(client, office.supervisor, app).status_code == 302
