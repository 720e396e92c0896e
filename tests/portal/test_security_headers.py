"""Every kind of response carries the Content-Security-Policy and the Permissions-Policy."""

import pytest

from permits.services.applications import application_submit
from tests.factories import act, new_file, upload_mandatory

pytestmark = pytest.mark.django_db


def submitted_document(office):
    app = new_file(office)
    upload_mandatory(office, app)
    application_submit(application=app, actor=act(office.applicant))
    return app.documents.first()


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


@pytest.fixture
def responses(client, office):
    document = submitted_document(office)
    seen = {
        "public page": client.get("/"),
        "tracking": client.get("/lacak/"),
        "json api": client.get("/daftar-izin/rantai.json"),
        "error page": client.get("/tidak-ada/"),
    }
    client.force_login(office.counter)
    seen["back office"] = client.get("/kantor/")
    seen["pdf download"] = client.get(f"/kantor/dokumen/{document.public_id}/")
    client.force_login(office.auditor)
    seen["audit"] = client.get("/kantor/audit/")
    return seen


def test_every_page_kind_carries_both_policies(responses):
    statuses = {kind: response.status_code for kind, response in responses.items()}
    assert statuses == {
        "public page": 200,
        "tracking": 200,
        "json api": 200,
        "error page": 404,
        "back office": 200,
        "pdf download": 200,
        "audit": 200,
    }
    for kind, response in responses.items():
        assert directives(response) == {
            "default-src": "'self'",
            "script-src": "'self'",
            "style-src": "'self'",
            "img-src": "'self'",
            "font-src": "'self'",
            "connect-src": "'self'",
            "object-src": "'none'",
            "frame-src": "'none'",
            "frame-ancestors": "'none'",
            "form-action": "'self'",
            "base-uri": "'none'",
        }, kind
        policy = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in policy, kind


def test_pages_have_no_inline_script_or_style(responses):
    """What the policy would refuse in a browser is not written in the first place."""
    for kind in ("public page", "tracking", "back office", "audit", "error page"):
        page = responses[kind].content.decode()
        assert "<style" not in page and " style=" not in page, kind
        scripts = page.count("<script")
        assert scripts == page.count('<script src="/static/'), kind


ADMIN_HISTORY_STYLE_ATTR = "'unsafe-hashes' 'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"


def test_the_admin_history_page_may_apply_its_one_style_attribute_and_no_other(client, office):
    """django-simple-history's history list writes ``style="border-top: 0"``: the admin's
    history pages allow that attribute by its hash; the rest of the admin, none."""
    client.force_login(office.admin)
    permit_type = office.full_type
    history = client.get(f"/admin/permits/permittype/{permit_type.pk}/history/")
    changelist = client.get("/admin/permits/permittype/")
    change = client.get(f"/admin/permits/permittype/{permit_type.pk}/change/")
    assert history.status_code == changelist.status_code == change.status_code == 200
    assert 'style="border-top: 0"' in history.content.decode()
    policy = directives(history)
    assert policy.pop("style-src-attr") == ADMIN_HISTORY_STYLE_ATTR
    assert policy["style-src"] == policy["script-src"] == "'self'"
    for response in (changelist, change):
        assert "style-src-attr" not in directives(response)
        assert directives(response)["style-src"] == "'self'"
    assert "style-src-attr" not in directives(client.get("/kantor/"))
