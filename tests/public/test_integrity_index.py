"""The integrity index (SPI-style): 100 × the share of integrity answers that were "no",
per unit and period, banded by data (defaults: below 73 rentan, 73 to 77.9 waspada, 78 and
above terjaga)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.admin.sites import site

from public.admin import IntegrityBandForm
from public.models import IntegrityBand
from public.selectors.survey import Totals, integrity_band, integrity_by
from tests.factories import new_file
from tests.public.kit import answer, at

pytestmark = pytest.mark.django_db


def D(text: str) -> Decimal:
    return Decimal(text)


def band_of(value: str) -> str:
    return integrity_band(D(value)).code


def test_the_default_bands_are_data_from_the_migration():
    assert list(IntegrityBand.objects.values_list("code", "lower")) == [
        ("rentan", D("0")),
        ("waspada", D("73")),
        ("terjaga", D("78")),
    ]


@pytest.mark.parametrize(
    "value, band",
    [
        ("0", "rentan"),
        ("72.99", "rentan"),
        ("73", "waspada"),
        ("73.00", "waspada"),
        ("77.9", "waspada"),
        ("77.99", "waspada"),
        ("78", "terjaga"),
        ("100", "terjaga"),
    ],
)
def test_default_band_boundaries(value, band):
    assert band_of(value) == band


def test_bands_edited_as_data_change_the_result():
    assert band_of("75") == "waspada"
    IntegrityBand.objects.filter(code="terjaga").update(lower=D("75"))
    assert band_of("75") == "terjaga"
    IntegrityBand.objects.filter(code="waspada").update(lower=D("60"))
    assert band_of("65") == "waspada"


def test_the_index_worked_by_hand_from_counts():
    # 5 answers × 3 questions = 15 answers; 4 "yes" → 11 "no" → 100 × 11/15 = 73.33 waspada.
    index = Totals(5, [20] * 9, [2, 1, 1], 3).integrity(IntegrityBand.objects.all())
    assert (index.value, index.band.code, index.reports) == (D("73.33"), "waspada", 3)
    # 5 answers with 5 "yes": 10/15 → 66.67 rentan.
    index = Totals(5, [20] * 9, [2, 2, 1], 3).integrity(IntegrityBand.objects.all())
    assert (index.value, index.band.code) == (D("66.67"), "rentan")
    # Nobody answered: no index.
    assert Totals().integrity(IntegrityBand.objects.all()) is None


def test_integrity_by_unit_and_period(office):
    # Ten March answers for DINKES, one "yes" (to the money question): 29/30 → 96.67.
    apps = [new_file(office) for _ in range(11)]
    answer(apps[0], (3,) * 9, at=at(3), yes={"asked_money"})
    for app in apps[1:10]:
        answer(app, (3,) * 9, at=at(4))
    # One answer in February, all "yes": outside the period.
    answer(
        apps[10],
        (3,) * 9,
        at=at(1).replace(month=2),
        yes={"asked_money", "offered_faster", "sent_to_intermediary"},
    )
    march = integrity_by("unit", start=at(1, 0), end=at(1, 0).replace(month=4))
    index = march[office.dinkes.pk]
    assert (index.responses, index.value, index.band.code, index.reports) == (
        10,
        D("96.67"),
        "terjaga",
        1,
    )
    # Over both months: 11 answers, 4 "yes" of 33 → 29/33 = 87.88.
    everything = integrity_by("")[""]
    assert (everything.responses, everything.value, everything.reports) == (11, D("87.88"), 2)


@pytest.mark.parametrize(
    "lower, valid", [("0", True), ("100", True), ("-1", False), ("100.01", False)]
)
def test_the_admin_keeps_band_bounds_between_0_and_100(lower, valid):
    IntegrityBand.objects.all().delete()  # bounds are unique: start from no band
    form = IntegrityBandForm(data={"code": "baru", "label": "Baru", "lower": lower})
    assert form.is_valid() is valid
    if not valid:
        assert "antara 0 dan 100" in str(form.errors["lower"])


def test_the_band_admin_keeps_history(client, make_user):
    from simple_history.admin import SimpleHistoryAdmin

    assert isinstance(site._registry[IntegrityBand], SimpleHistoryAdmin)
    admin = make_user("admin", username="root")
    client.force_login(admin)
    band = IntegrityBand.objects.get(code="waspada")
    response = client.post(
        f"/admin/public/integrityband/{band.pk}/change/",
        {"code": "waspada", "label": "Waspada", "lower": "150"},
    )
    assert response.status_code == 200 and "antara 0 dan 100" in response.content.decode()
    response = client.post(
        f"/admin/public/integrityband/{band.pk}/change/",
        {"code": "waspada", "label": "Waspada", "lower": "72"},
    )
    assert response.status_code == 302
    band.refresh_from_db()
    assert band.lower == D("72") and band.history.count() == 1
