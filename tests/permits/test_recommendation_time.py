"""An agency's share of the SOP time (issue 22.1) weighed against the type's other stages:
the completeness check before the recommendations, the approval and signature after. The
``team`` fixture's full type has a 5-day SOP, a 1-day check, and shares of 2 (PUPR) and 3
(DLH): DLH's share fills the SOP to its last day."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from permits.models import TypeRecommender

pytestmark = pytest.mark.django_db


def test_a_share_filling_the_sop_to_its_last_day_is_accepted_and_one_more_is_not(team):
    fits = TypeRecommender.objects.get(permit_type=team.full_type, opd=team.dlh)
    fits.full_clean()
    fits.working_days = 4
    with pytest.raises(ValidationError) as refused:
        fits.full_clean()
    assert refused.value.message_dict["working_days"] == [
        "Pemeriksaan kelengkapan (1) ditambah rekomendasi (4) harus menyisakan 1 hari kerja "
        "untuk persetujuan dan penandatanganan dalam waktu SOP (5 hari kerja). "
        "Paling lama 3 hari kerja."
    ]


def _admin_post_data(client, permit_type) -> dict:
    """The change form as the browser posts it back: the type's fields and every inline
    row as shown."""
    response = client.get(f"/admin/permits/permittype/{permit_type.pk}/change/")
    data = {}

    def put(form, prefix=""):
        for name in form.fields:
            value = form[name].value()
            key = f"{prefix}{name}"
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is not None:
                data[key] = getattr(value, "pk", value)

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms = formset.initial_forms
        data |= {
            f"{formset.prefix}-TOTAL_FORMS": len(forms),
            f"{formset.prefix}-INITIAL_FORMS": len(forms),
        }
        for form in forms:
            put(form, f"{form.prefix}-")
    return data


def _post(client, permit_type, **changes):
    data = _admin_post_data(client, permit_type)
    data |= changes
    return client.post(f"/admin/permits/permittype/{permit_type.pk}/change/", data)


def _recommender_key(data: dict, opd) -> str:
    """The posted name of the inline row for ``opd``'s share."""
    (key,) = [k for k, v in data.items() if k.endswith("-opd") and v == opd.pk]
    return key.removesuffix("-opd")


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(Role.ADMIN, is_staff=True, is_superuser=True))
    return client


def test_the_admin_shortening_the_sop_below_a_share_is_refused_and_nothing_changes(
    admin_client, team
):
    response = _post(admin_client, team.full_type, sop_duration=4)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Paling lama 2 hari kerja." in page
    team.full_type.refresh_from_db()
    assert team.full_type.sop_duration == 5


def test_the_admin_lengthening_the_check_into_a_share_is_refused(admin_client, team):
    response = _post(admin_client, team.full_type, check_duration=2)
    assert response.status_code == 200
    assert "Pemeriksaan kelengkapan (2) ditambah rekomendasi (3)" in response.content.decode()
    team.full_type.refresh_from_db()
    assert team.full_type.check_duration == 1


def test_the_admin_lengthening_a_share_past_the_sop_is_refused_and_one_that_fits_is_kept(
    admin_client, team
):
    data = _admin_post_data(admin_client, team.full_type)
    pupr = _recommender_key(data, team.pupr)
    response = _post(admin_client, team.full_type, **{f"{pupr}-working_days": 4})
    assert response.status_code == 200
    assert "Paling lama 3 hari kerja." in response.content.decode()
    assert TypeRecommender.objects.get(opd=team.pupr).working_days == 2

    response = _post(admin_client, team.full_type, **{f"{pupr}-working_days": 3})
    assert response.status_code == 302
    share = TypeRecommender.objects.get(opd=team.pupr)
    assert share.working_days == 3
    assert share.history.first().history_user.role == Role.ADMIN
