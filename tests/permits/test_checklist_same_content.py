"""The counter's checklist says when a requirement's document is content already found
wanting (the same SHA-256 as a refused version, or nothing new since the verdict), asks for
a written reason before "ok" and records it; a version byte-identical to an earlier one is
marked "isi sama dengan versi sebelumnya"."""

import pytest
from django.urls import reverse

from permits.models import Stage
from permits.services.applications import application_submit
from permits.services.documents import document_upload
from tests.factories import PDF, act, declare_clear, new_file, pdf, upload_mandatory, walk

pytestmark = pytest.mark.django_db

NOTHING_NEW = "Persyaratan ini sebelumnya kurang atau tidak sah dan belum ada dokumen baru."


def checklist_data(app, **overrides):
    data = {}
    for check in app.checks.select_related("requirement"):
        status, note = overrides.get(check.requirement.code, ("ok", ""))
        data[f"checklist-status_{check.pk}"] = status
        data[f"checklist-note_{check.pk}"] = note
    return data


def test_the_checklist_says_nothing_new_came_and_asks_for_the_reason(client, office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    declare_clear(app, app.assigned_to)
    client.force_login(app.assigned_to)
    url = reverse("backoffice:checklist", args=[app.public_id])
    page = reverse("backoffice:file", args=[app.public_id])
    assert NOTHING_NEW not in client.get(page).content.decode()

    client.post(url, checklist_data(app, STR=("invalid", "STR buram.")))
    shown = client.get(page).content.decode()
    assert NOTHING_NEW in shown
    assert "tuliskan alasannya pada catatan; alasan itu tercatat" in shown

    refused = client.post(url, checklist_data(app))
    assert refused.status_code == 400
    assert "Tuliskan alasannya pada catatan bila tetap dinyatakan sesuai." in (
        refused.content.decode()
    )
    assert app.checks.get(requirement__code="STR").status == "invalid"

    client.post(url, checklist_data(app, STR=("ok", "Asli diperlihatkan di loket.")))
    ok = app.events.filter(action="check.updated", data__requirement="STR").latest("seq")
    assert ok.data == {
        "requirement": "STR",
        "from": "invalid",
        "to": "ok",
        "same_content": True,
        "content": "no_new_document",
    }
    assert NOTHING_NEW not in client.get(page).content.decode()  # judged: no more notice


def test_a_version_identical_to_an_earlier_one_is_marked_for_the_officer(client, office):
    app = new_file(office)
    upload_mandatory(office, app)
    ktp = app.checks.get(requirement__code="KTP").requirement
    document_upload(
        application=app, requirement=ktp, uploaded=pdf(content=PDF), actor=act(office.applicant)
    )
    app = application_submit(application=app, actor=act(office.applicant))
    app = walk(office, app, Stage.VERIFICATION)
    page = reverse("backoffice:file", args=[app.public_id])
    for who in (app.assigned_to, office.supervisor):  # the checklist; the table of checks
        client.force_login(who)
        body = client.get(page).content.decode()
        assert "isi sama dengan versi sebelumnya (v1)" in body
        assert "Dokumen diunggah — isi sama dengan versi sebelumnya (v1)" in body  # timeline
    event = app.events.get(action="document.uploaded", data__requirement="KTP", data__version=2)
    assert event.data["same_as_version"] == 1
