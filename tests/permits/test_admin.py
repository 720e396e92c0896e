import json

import pytest

from accounts.models import Role
from permits.models import OPD, PermitType, Requirement

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/permits/opd/",
    "/admin/permits/permittype/",
    "/admin/permits/requirement/",
    "/admin/permits/permitfield/",
    "/admin/permits/formversion/",
    "/admin/places/kecamatan/",
    "/admin/places/desa/",
    "/admin/worktime/servicehours/",
    "/admin/worktime/dayoverride/",
    "/admin/accounts/user/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_the_administrator_manages_the_catalogue_calendar_and_users(
    client, make_user, catalogue, url
):
    client.force_login(make_user(Role.ADMIN))
    response = client.get(url)
    assert response.status_code == 200
    # The change list of the page's model, not a login form or an error page.
    assert 'id="changelist"' in response.content.decode()


@pytest.mark.parametrize("url", ADMIN_PAGES)
@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_other_roles_are_kept_out_of_the_admin(client, make_user, url, role):
    client.force_login(make_user(role))
    response = client.get(url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_permit_type_page_shows_its_requirements_and_history(client, make_user, catalogue):
    client.force_login(make_user(Role.ADMIN))
    permit_type = PermitType.objects.get(code="KES-SIP-DOKTER")
    body = client.get(f"/admin/permits/permittype/{permit_type.pk}/change/").content.decode()
    assert "STR" in body
    history = client.get(f"/admin/permits/permittype/{permit_type.pk}/history/")
    assert history.status_code == 200


def test_an_edit_in_the_admin_leaves_history_with_the_acting_user(client, make_user, catalogue):
    admin = make_user(Role.ADMIN)
    client.force_login(admin)
    opd = OPD.objects.get(code="DINKES")
    response = client.post(
        f"/admin/permits/opd/{opd.pk}/change/",
        {
            "code": "DINKES",
            "name_id": "Dinas Kesehatan Daerah",
            "name_en": opd.name_en,
            "active": "on",
        },
    )
    assert response.status_code == 302
    latest = opd.history.first()
    assert latest.name_id == "Dinas Kesehatan Daerah"
    assert latest.history_user == admin


def test_a_requirement_with_an_unknown_format_is_refused(catalogue):
    from django.core.exceptions import ValidationError

    requirement = Requirement.objects.first()
    requirement.formats = ["exe"]
    with pytest.raises(ValidationError):
        requirement.full_clean()


def field_form(field, **changes) -> dict:
    data = {
        "permit_type": field.permit_type_id,
        "key": field.key,
        "kind": field.kind,
        "label_id": field.label_id,
        "label_en": field.label_en,
        "help_id": field.help_id,
        "help_en": field.help_en,
        "required": "on" if field.required else "",
        "printed": "on" if field.printed else "",
        "public": "on" if field.public else "",
        "options": json.dumps(field.options),
        "position": field.position,
        "active": "on",
    }
    return {k: v for k, v in (data | changes).items() if v != ""}


def test_a_field_edited_in_the_admin_publishes_the_type_s_next_form(client, make_user, catalogue):
    """Issue 19.1: admin-editable, versioned with the type; the files made before keep theirs."""
    from permits.models import FormVersion, PermitField

    admin = make_user(Role.ADMIN)
    client.force_login(admin)
    field = PermitField.objects.get(permit_type__code="PU-PBG", key="floors_above")
    before = FormVersion.objects.filter(permit_type=field.permit_type).latest("number")
    url = f"/admin/permits/permitfield/{field.pk}/change/"
    response = client.post(url, field_form(field, label_id="Jumlah lantai di atas tanah"))
    assert response.status_code == 302, response.content.decode()[:2000]
    after = FormVersion.objects.filter(permit_type=field.permit_type).latest("number")
    assert after.number == before.number + 1
    labels = {f["key"]: f["label_id"] for f in after.spec}
    assert labels["floors_above"] == "Jumlah lantai di atas tanah"
    assert field.history.first().history_user == admin
    # A wrong option is refused with its reason, and publishes nothing.
    response = client.post(url, field_form(field, options=json.dumps({"unit_id": "lantai"})))
    assert response.status_code == 200
    assert "unit needs both languages or neither" in response.content.decode()
    assert FormVersion.objects.filter(permit_type=field.permit_type).latest("number") == after
