import pytest

from accounts.models import Role
from permits.models import OPD, PermitType, Requirement

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/permits/opd/",
    "/admin/permits/permittype/",
    "/admin/permits/requirement/",
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
