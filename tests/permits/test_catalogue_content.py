"""The shipped catalogue itself: 81 plausible permit types over realistic OPDs."""

from collections import Counter

import pytest
from django.conf import settings

from permits.catalogue.loader import read_catalogue
from permits.models import PermitFamily, SopUnit

CATALOGUE = read_catalogue(settings.CATALOGUE_FILE)
TYPES = CATALOGUE["permit_types"]


def test_it_has_81_types_with_unique_codes():
    assert len(TYPES) == 81
    assert len({t["code"] for t in TYPES}) == 81


def test_types_are_spread_over_realistic_opds():
    per_opd = Counter(t["opd"] for t in TYPES)
    assert len(per_opd) >= 12
    assert {"DPMPTSP", "DINKES", "DPUPR", "DISHUB", "DLH", "DISDIK"} <= set(per_opd)
    assert max(per_opd.values()) <= 25


@pytest.mark.parametrize("permit_type", TYPES, ids=lambda t: t["code"])
def test_each_type_is_complete_and_plausible(permit_type):
    assert permit_type["name_id"] and permit_type["name_en"] and permit_type["legal_basis"]
    assert permit_type["family"] in PermitFamily.values
    assert permit_type["sop_unit"] in SopUnit.values
    limit = 14 if permit_type["sop_unit"] == SopUnit.DAYS else 7
    assert 1 <= permit_type["sop_duration"] <= limit
    assert permit_type["fee"] >= 0
    assert 2 <= len(permit_type["requirements"]) <= 8
    assert any(r["mandatory"] for r in permit_type["requirements"])
    for requirement in permit_type["requirements"]:
        assert set(requirement["formats"]) <= {"pdf", "jpg", "png"}
        assert 1024 <= requirement["max_size_kb"] <= 10240
    number = permit_type["number_pattern"].format(seq=7, opd="OPD", year=2026)
    assert "2026" in number and "7" in number


def test_health_practice_licences_and_building_approvals_are_present():
    names = " ".join(t["name_id"] for t in TYPES)
    for expected in (
        "Praktik Dokter",
        "Praktik Bidan",
        "Apotek",
        "Persetujuan Bangunan Gedung",
        "Reklame",
        "Penelitian",
    ):
        assert expected in names


def test_most_types_are_free_and_a_few_same_day_services_count_hours():
    fees = [t["fee"] for t in TYPES]
    assert sum(1 for f in fees if f == 0) > len(TYPES) / 2
    assert 1 <= sum(1 for t in TYPES if t["sop_unit"] == SopUnit.HOURS) <= 10


def test_every_type_has_search_terms_people_use():
    data = read_catalogue(settings.CATALOGUE_FILE)
    for row in data["permit_types"]:
        terms = row.get("search_terms", [])
        assert terms, row["code"]
        assert len(terms) == len({t.casefold() for t in terms}), row["code"]


def test_every_type_asks_what_it_permits_and_the_whole_catalogue_loads(catalogue):
    """Issue 19: each of the 81 types has its own fields, each type's published form passes
    the definition checks, and a plausible filling of every form is a complete one."""
    import random

    from permits.details.examples import details_example
    from permits.details.spec import spec_errors
    from permits.details.values import details_clean
    from permits.models import FormVersion, PermitType
    from places.selectors import gazetteer

    places = gazetteer()
    versions = {v.permit_type_id: v for v in FormVersion.objects.all()}
    kinds = set()
    for permit_type in PermitType.objects.filter(active=True):
        spec = versions[permit_type.pk].spec
        assert len(spec) >= 3, permit_type.code
        assert spec_errors(spec) == [], permit_type.code
        assert any(f.get("printed") for f in spec), f"{permit_type.code} prints nothing of its own"
        kinds |= {f["kind"] for f in spec}
        example = details_example(spec, places=places, rng=random.Random(permit_type.pk))
        cleaned = details_clean(spec, example, places=places, complete=True)
        assert cleaned.errors == {}, (permit_type.code, cleaned.errors)
    assert kinds == {
        "text",
        "number",
        "area",
        "date",
        "choice",
        "yes_no",
        "address",
        "point",
        "rows",
    }


@pytest.mark.parametrize(
    ("code", "keys"),
    [
        ("KES-SIP-DOKTER", {"practice_address", "str_number"}),
        ("PU-PBG", {"floors_above", "total_floor_area", "building_function", "site_point"}),
        ("DAG-IUTS", {"kbli", "business_address"}),
    ],
)
def test_the_types_named_in_the_issue_ask_the_questions_it_names(catalogue, code, keys):
    from permits.models import FormVersion

    spec = FormVersion.objects.filter(permit_type__code=code).latest("number").spec
    missing = keys - {f["key"] for f in spec}
    assert not missing, (code, missing, [f["key"] for f in spec])
