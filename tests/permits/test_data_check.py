"""Issue 19.4: at the counter the file's data is part of what the officer checks (a line
beside the requirements: right, or wrong in named fields with a note); a return may name
the fields to correct, and the applicant corrects those and only those."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from permits.details.values import details_clean
from permits.event_names import DATA_CHECKED, DATA_CORRECTED
from permits.models import DataCheck, DataStatus, Stage
from permits.services.applications import application_resubmit, application_return
from permits.services.checks import ChecklistRefused, checklist_save
from permits.services.context import ActionRefused
from permits.services.data_checks import data_check_update, data_correct
from tests.factories import act, fire, new_file, walk
from tests.permits.kit import SPEC, good

pytestmark = pytest.mark.django_db


@pytest.fixture
def verifying(office, fielded, places):
    app = new_file(office)
    app.details = details_clean(SPEC, good(places), places=places, complete=True).values
    app.save()
    return walk(office, app, Stage.VERIFICATION)


def checklist_post(app, **data):
    form = {}
    for check in app.checks.all():
        form[f"checklist-status_{check.pk}"] = "ok"
        form[f"checklist-note_{check.pk}"] = ""
    return form | {f"checklist-{key}": value for key, value in data.items()}


def returned(app):
    return application_return(
        application=app,
        actor=act(app.assigned_to),
        findings={},
        data=("Jumlah lantai tidak sesuai gambar: 3 lantai.", ["floors"]),
    )


def test_a_file_of_a_type_with_fields_has_a_data_check_waiting(verifying):
    check = DataCheck.objects.get(application=verifying)
    assert check.status == DataStatus.PENDING


def test_a_file_whose_type_has_no_fields_has_none(office):
    app = new_file(office)
    assert not DataCheck.objects.filter(application=app).exists()


def test_the_checklist_needs_a_verdict_on_the_data_too(verifying):
    verdicts = {check.pk: ("ok", "") for check in verifying.checks.all()}
    with pytest.raises(ChecklistRefused, match="Data permohonan") as refused:
        checklist_save(application=verifying, verdicts=verdicts, actor=act(verifying.assigned_to))
    assert "data" in refused.value.errors


def test_the_file_is_not_complete_until_its_data_is_right(verifying):
    for check in verifying.checks.all():
        check.status = "ok"
        check.save()
    with pytest.raises(ActionRefused, match="Data permohonan harus dinyatakan benar"):
        fire(verifying, "declare_complete", verifying.assigned_to)
    data_check_update(application=verifying, status="ok", note="", actor=act(verifying.assigned_to))
    fire(verifying, "declare_complete", verifying.assigned_to)
    verifying.refresh_from_db()
    assert verifying.state == Stage.TECHNICAL_REVIEW


@pytest.mark.parametrize(
    ("fields", "note", "message"),
    [
        ([], "Salah.", "Pilih isian data yang harus diperbaiki"),
        (["floors"], "", "Tuliskan catatan"),
        (["no_such_field"], "Salah.", "Pilih isian data yang harus diperbaiki"),
    ],
)
def test_a_wrong_verdict_names_fields_and_says_why(verifying, fields, note, message):
    with pytest.raises(ActionRefused, match=message):
        data_check_update(
            application=verifying,
            status="wrong",
            note=note,
            fields=fields,
            actor=act(verifying.assigned_to),
        )


def test_only_the_holder_at_the_counter_may_check_the_data(verifying, office):
    others = [office.technical, office.supervisor, office.head, office.auditor, office.applicant]
    for user in [
        *others,
        office.counter2 if verifying.assigned_to == office.counter else office.counter,
    ]:
        with pytest.raises(PermissionDenied):
            data_check_update(application=verifying, status="ok", note="", actor=act(user))
    assert DataCheck.objects.get(application=verifying).status == DataStatus.PENDING


def test_a_return_names_the_fields_and_the_applicant_corrects_only_those(verifying, office):
    app = returned(verifying)
    check = DataCheck.objects.get(application=app)
    assert (app.state, check.status, check.fields, check.found) == (
        Stage.RETURNED,
        DataStatus.WRONG,
        ["floors"],
        {"floors": 2},
    )
    event = app.events.get(action=DATA_CHECKED)
    assert event.data == {"from": "pending", "to": "wrong", "fields": ["floors"]}
    # Not corrected yet: the resubmission waits, and says for what.
    with pytest.raises(
        ActionRefused, match="Perbaiki dulu data yang diminta petugas: Jumlah lantai"
    ):
        application_resubmit(application=app, actor=act(office.applicant))
    # Another field is not the applicant's to change now.
    with pytest.raises(PermissionDenied):
        data_correct(application=app, actor=act(office.applicant), values={"apotek_name": "Baru"})
    data_correct(application=app, actor=act(office.applicant), values={"floors": 3})
    app.refresh_from_db()
    assert app.details["floors"] == 3 and app.details["apotek_name"] == "Apotek Sehat"
    assert app.events.get(action=DATA_CORRECTED).data == {"fields": ["floors"]}
    application_resubmit(application=app, actor=act(office.applicant))
    app.refresh_from_db()
    assert app.state == Stage.VERIFICATION


def test_passing_data_found_wrong_and_not_corrected_needs_a_written_reason(verifying):
    officer = act(verifying.assigned_to)
    data_check_update(
        application=verifying,
        status="wrong",
        note="Lantai salah.",
        fields=["floors"],
        actor=officer,
    )
    with pytest.raises(ActionRefused, match="belum diperbaiki pemohon: Jumlah lantai"):
        data_check_update(application=verifying, status="ok", note="", actor=officer)
    data_check_update(
        application=verifying,
        status="ok",
        note="Gambar ditunjukkan di loket: 2 lantai benar.",
        actor=officer,
    )
    event = verifying.events.filter(action=DATA_CHECKED).latest("created_at")
    assert event.data["uncorrected"] == ["floors"]
    assert event.note.startswith("Gambar ditunjukkan")


# --- the pages -----------------------------------------------------------------------


def test_the_checklist_page_has_the_data_line_and_saves_it(client, verifying):
    client.force_login(verifying.assigned_to)
    body = client.get(reverse("backoffice:file", args=[verifying.public_id])).content.decode()
    form = body[body.index('id="checklist-form"') : body.index("Simpan hasil pemeriksaan")]
    assert "Data permohonan" in form and "Jumlah lantai" in form and "2 lantai" in form
    url = reverse("backoffice:checklist", args=[verifying.public_id])
    response = client.post(url, checklist_post(verifying, data_status="wrong"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Pilih isian yang harus diperbaiki pemohon." in body
    assert "Jelaskan kepada pemohon apa yang harus diperbaiki." in body
    response = client.post(
        url,
        checklist_post(
            verifying, data_status="wrong", data_fields=["floors", "site"], data_note="Cek lagi."
        ),
    )
    assert response.status_code == 302
    check = DataCheck.objects.get(application=verifying)
    assert (check.status, check.fields) == (DataStatus.WRONG, ["floors", "site"])


def test_the_return_form_names_the_fields(client, verifying):
    client.force_login(verifying.assigned_to)
    url = reverse("backoffice:action", args=[verifying.public_id, "return_to_applicant"])
    response = client.post(
        url,
        {
            "expected_state": "verification",
            "data_status": "wrong",
            "data_fields": ["floors"],
            "data_note": "Jumlah lantai tidak sesuai gambar.",
        },
    )
    assert response.status_code == 302
    verifying.refresh_from_db()
    assert verifying.state == Stage.RETURNED
    assert DataCheck.objects.get(application=verifying).fields == ["floors"]


def test_the_applicant_sees_and_corrects_the_named_field_only(client, verifying, office, places):
    app = returned(verifying)
    client.force_login(office.applicant)
    body = client.get(reverse("applicant:file", args=[app.public_id])).content.decode()
    assert "Perbaiki data permohonan" in body
    assert "Jumlah lantai tidak sesuai gambar: 3 lantai." in body
    assert 'name="d-floors"' in body and 'name="d-apotek_name"' not in body
    url = reverse("applicant:correct", args=[app.public_id])
    response = client.post(url, {"d-floors": "sembilan"}, HTTP_HX_REQUEST="true")
    assert "Jumlah lantai harus berupa angka." in response.content.decode()
    response = client.post(url, {"d-floors": "3", "d-apotek_name": "Diam-diam diganti"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.details["floors"] == 3 and app.details["apotek_name"] == "Apotek Sehat"


def test_others_cannot_correct_the_data(client, verifying, office):
    app = returned(verifying)
    url = reverse("applicant:correct", args=[app.public_id])
    assert client.post(url, {"d-floors": "3"}).status_code == 302  # anonymous: to sign in
    client.force_login(office.other_applicant)
    assert client.post(url, {"d-floors": "3"}).status_code == 404
    client.force_login(office.counter)
    assert client.post(url, {"d-floors": "3"}).status_code == 403
    app.refresh_from_db()
    assert app.details["floors"] == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"data_status": "wrong", "data_note": "Salah."}, "Pilih isian yang harus diperbaiki"),
        ({"data_status": "wrong", "data_fields": ["floors"]}, "Jelaskan kepada pemohon"),
        ({}, "Tandai setidaknya satu persyaratan yang belum ada atau tidak sah, atau data"),
    ],
)
def test_a_return_form_without_what_to_fix_says_what_is_missing(client, verifying, data, message):
    client.force_login(verifying.assigned_to)
    url = reverse("backoffice:action", args=[verifying.public_id, "return_to_applicant"])
    response = client.post(url, {"expected_state": "verification", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    verifying.refresh_from_db()
    assert verifying.state == Stage.VERIFICATION
