"""The counter's checklist (one form for every requirement) and the document preview beside
it: for the officer holding the file, another counter officer, the applicant, an officer of
another unit and anonymous visitors."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from bench.documents import page_pdf
from permits.models import CheckStatus, Stage
from permits.services.applications import application_submit
from permits.services.context import Actor
from permits.services.documents import document_upload
from tests.factories import PDF, new_file, walk

pytestmark = pytest.mark.django_db


def verifying(office, *, real=False):
    """A file in verification; with ``real``, its STR is a PDF poppler can render."""
    app = new_file(office)
    if real:
        for code, content in (("KTP", PDF), ("STR", page_pdf("STR 2026"))):
            document_upload(
                application=app,
                requirement=app.checks.get(requirement__code=code).requirement,
                uploaded=SimpleUploadedFile(f"{code}.pdf", content),
                actor=Actor(user=office.applicant),
            )
        app = application_submit(application=app, actor=Actor(user=office.applicant))
    return walk(office, app, Stage.VERIFICATION)


def other_counter(office, app):
    return office.counter2 if app.assigned_to == office.counter else office.counter


def checklist_data(app, **overrides):
    data = {}
    for check in app.checks.select_related("requirement"):
        status, note = overrides.get(check.requirement.code, ("ok", ""))
        data[f"checklist-status_{check.pk}"] = status
        data[f"checklist-note_{check.pk}"] = note
    return data


def statuses(app):
    return dict(app.checks.values_list("requirement__code", "status"))


def test_the_page_offers_one_checklist_with_no_verdict_chosen(client, office):
    app = verifying(office)
    client.force_login(app.assigned_to)
    body = client.get(reverse("backoffice:file", args=[app.public_id])).content.decode()
    form = body[body.index('id="checklist-form"') : body.index("Simpan hasil pemeriksaan")]
    assert form.count('type="radio"') == 3 * 3
    assert "checked" not in form
    assert 'name="status"' not in body  # the old row-by-row selects are gone


def test_the_holder_saves_the_whole_checklist_in_one_post(client, office):
    app = verifying(office)
    client.force_login(app.assigned_to)
    url = reverse("backoffice:checklist", args=[app.public_id])
    data = checklist_data(app, STR=("invalid", "STR kedaluwarsa."))
    response = client.post(url, data)
    assert response.status_code == 302
    assert statuses(app) == {"KTP": "ok", "STR": "invalid", "FOTO": "ok"}
    body = client.get(response["Location"]).content.decode()
    assert "Hasil pemeriksaan tersimpan." in body


def test_through_htmx_the_checklist_and_the_return_panel_come_back(client, office):
    app = verifying(office)
    client.force_login(app.assigned_to)
    url = reverse("backoffice:checklist", args=[app.public_id])
    data = checklist_data(app, STR=("invalid", "STR kedaluwarsa."))
    response = client.post(url, data, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="checklist"' in body and "Hasil pemeriksaan tersimpan." in body
    assert 'id="return-panel"' in body and 'hx-swap-oob="true"' in body
    str_ = app.checks.get(requirement__code="STR")
    assert re.search(rf'name="status_{str_.pk}"[^>]*>.*?value="invalid" selected', body, re.S)
    assert "STR kedaluwarsa." in body


def test_the_return_panel_starts_from_the_saved_checklist(client, office):
    app = verifying(office)
    client.force_login(app.assigned_to)
    data = checklist_data(app, KTP=("missing", "Halaman belakang KTP tidak ada."))
    client.post(reverse("backoffice:checklist", args=[app.public_id]), data)
    body = client.get(reverse("backoffice:file", args=[app.public_id])).content.decode()
    panel = body[body.index('id="return-panel"') : body.index("Ya, kembalikan berkas")]
    ktp = app.checks.get(requirement__code="KTP")
    assert re.search(rf'name="status_{ktp.pk}"[^>]*>.*?value="missing" selected', panel, re.S)
    assert 'value="Halaman belakang KTP tidak ada."' in panel
    str_ = app.checks.get(requirement__code="STR")
    str_select = panel.split(f'name="status_{str_.pk}"')[1].split("</select>")[0]
    assert '<option value="" selected>' in str_select  # found fine: not returned


def test_a_checklist_with_a_requirement_unchosen_keeps_what_was_typed(client, office):
    app = verifying(office)
    client.force_login(app.assigned_to)
    url = reverse("backoffice:checklist", args=[app.public_id])
    data = checklist_data(app, STR=("invalid", "STR kedaluwarsa."))
    foto = app.checks.get(requirement__code="FOTO")
    del data[f"checklist-status_{foto.pk}"]
    for headers, status in (({}, 400), ({"HX-Request": "true"}, 200)):
        response = client.post(url, data, headers=headers)
        body = response.content.decode()
        assert response.status_code == status
        assert "Pilih hasil pemeriksaan untuk setiap persyaratan" in body
        assert 'value="STR kedaluwarsa."' in body
        assert 'value="invalid" id="id_checklist-status_' in body.replace("\n", "")
        assert re.search(r'value="invalid"[^>]*checked', body)
    assert set(statuses(app).values()) == {CheckStatus.PENDING}


@pytest.mark.parametrize("who", ["other_counter", "applicant", "auditor"])
def test_nobody_but_the_holder_saves_the_checklist(client, office, who):
    app = verifying(office)
    person = {
        "other_counter": other_counter(office, app),
        "applicant": office.applicant,
        "auditor": office.auditor,
    }[who]
    client.force_login(person)
    url = reverse("backoffice:checklist", args=[app.public_id])
    response = client.post(url, checklist_data(app))
    assert response.status_code in {403, 404}
    assert set(statuses(app).values()) == {CheckStatus.PENDING}


def test_anonymous_checklist_posts_are_sent_to_sign_in(client, office):
    app = verifying(office)
    response = client.post(reverse("backoffice:checklist", args=[app.public_id]), {})
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")
    assert set(statuses(app).values()) == {CheckStatus.PENDING}


def test_the_holder_sees_the_first_page_of_a_pdf_as_an_image(client, office):
    app = verifying(office, real=True)
    document = app.documents.filter(requirement__code="STR").latest("version")
    client.force_login(app.assigned_to)
    page = client.get(reverse("backoffice:file", args=[app.public_id])).content.decode()
    url = reverse("backoffice:preview", args=[document.public_id])
    assert f'src="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.get(url).status_code == 200  # the second time from the stored preview


def test_a_pdf_poppler_cannot_read_shows_a_placeholder(client, office):
    app = verifying(office)  # the minimal test PDF has no page
    document = app.documents.filter(requirement__code="KTP").latest("version")
    client.force_login(app.assigned_to)
    response = client.get(reverse("backoffice:preview", args=[document.public_id]))
    assert response.status_code == 302 and response["Location"].endswith("document.svg")


def test_the_preview_is_guarded_like_the_download(client, office, make_user):
    from tests.factories import OPDFactory

    app = verifying(office, real=True)
    document = app.documents.filter(requirement__code="STR").latest("version")
    url = reverse("backoffice:preview", args=[document.public_id])
    assert client.get(url).status_code == 302  # anonymous: sign in
    client.force_login(office.applicant)
    assert client.get(url).status_code == 403
    outsider = make_user(Role.TECHNICAL, username="pupr", unit=OPDFactory(code="DPUPR"))
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(other_counter(office, app))  # the counter may see the office's files
    assert client.get(url).status_code == 200
