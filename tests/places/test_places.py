"""The regency's places: loaded idempotently, retired not deleted, and the map check."""

import pytest
from django.conf import settings

from places.geometry import point_inside
from places.loading import places_load, read_places
from places.models import Desa, Kecamatan
from places.selectors import gazetteer

SQUARE = [[0.0, 0.0], [0.0, 10.0], [10.0, 10.0], [10.0, 0.0]]


@pytest.mark.parametrize(
    ("lat", "lon", "inside"),
    [
        (5, 5, True),
        (0.001, 9.999, True),
        (-0.001, 5, False),
        (5, 10.001, False),
        (11, 5, False),
        (5, -3, False),
    ],
)
def test_a_point_is_inside_a_square_exactly_where_it_should_be(lat, lon, inside):
    assert point_inside(lat, lon, SQUARE) is inside


def test_a_point_in_the_notch_of_a_concave_outline_is_outside():
    # A "U": the notch between its arms (lat 4-10, lon 3-7) is not inside.
    ring = [[0, 0], [10, 0], [10, 3], [4, 3], [4, 7], [10, 7], [10, 10], [0, 10]]
    assert point_inside(2, 5, ring)
    assert point_inside(8, 1, ring)
    assert not point_inside(8, 5, ring)


@pytest.fixture
def places_data():
    return read_places(settings.PLACES_FILE)


def test_the_regency_s_places_load_once(db, places_data):
    first = places_load(data=places_data)
    assert first.counts["kecamatan.created"] == len(places_data["kecamatan"]) >= 5
    assert first.counts["desa.created"] == len(places_data["desa"]) >= 30
    again = places_load(data=places_data)
    assert not again.changed
    places = gazetteer()
    centre = places_data["regency"]["outline"]
    lat = sum(p[0] for p in centre) / len(centre)
    lon = sum(p[1] for p in centre) / len(centre)
    assert places.inside(lat, lon)
    assert not places.inside(lat + 1, lon)
    assert not places.inside(-6.2, 106.8)  # Jakarta


def test_every_desa_code_sits_under_its_kecamatan_code(places_data):
    kecamatan = {k["code"] for k in places_data["kecamatan"]}
    for desa in places_data["desa"]:
        assert desa["kecamatan"] in kecamatan
        assert desa["code"].startswith(desa["kecamatan"] + ".")


def test_a_desa_gone_from_the_file_is_retired_not_deleted(db, places_data):
    places_load(data=places_data)
    gone = places_data["desa"][0]
    report = places_load(data={**places_data, "desa": places_data["desa"][1:]})
    assert report.counts["desa.deactivated"] == 1
    retired = Desa.objects.get(code=gone["code"])
    assert not retired.active
    assert gone["code"] not in gazetteer().desa
    assert gone["code"] in gazetteer(with_inactive=True).desa
    assert retired.history.first().history_type == "~"


def test_a_kelurahan_and_a_desa_are_told_apart_by_their_code(db, places_data):
    places_load(data=places_data)
    kelurahan = Desa.objects.filter(code__regex=r"\.1\d{3}$").first()
    desa = Desa.objects.filter(code__regex=r"\.2\d{3}$").first()
    assert kelurahan.label.startswith("Kelurahan ")
    assert desa.label.startswith("Desa ")


def test_a_desa_coded_outside_its_kecamatan_is_refused(db, places_data):
    from django.core.exceptions import ValidationError

    places_load(data=places_data)
    kecamatan = Kecamatan.objects.order_by("code")[1]
    wrong = Desa(code="33.99.01.2099", kecamatan=kecamatan, name="Salah")
    with pytest.raises(ValidationError, match="kode kecamatannya"):
        wrong.full_clean()
