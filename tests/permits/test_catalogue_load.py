import copy
import json

import pytest
from django.conf import settings
from django.core.management import call_command

from permits.catalogue.loader import catalogue_load, read_catalogue
from permits.models import OPD, PermitType, Requirement

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    return read_catalogue(settings.CATALOGUE_FILE)


def history_rows():
    return sum(model.history.count() for model in (OPD, PermitType, Requirement))


def test_it_loads_all_81_permit_types(catalogue):
    report = catalogue_load(data=catalogue)
    assert PermitType.objects.filter(active=True).count() == 81
    assert report.counts["type.created"] == 81
    assert OPD.objects.count() == len(catalogue["opds"])
    assert Requirement.objects.count() == sum(
        len(t["requirements"]) for t in catalogue["permit_types"]
    )


def test_loading_twice_changes_nothing_and_writes_no_history(catalogue):
    catalogue_load(data=catalogue)
    rows_before = history_rows()
    report = catalogue_load(data=catalogue)
    assert not report.changed
    assert history_rows() == rows_before


def test_an_edited_row_is_updated_in_place(catalogue):
    catalogue_load(data=catalogue)
    edited = copy.deepcopy(catalogue)
    first = edited["permit_types"][0]
    first["sop_duration"] += 1
    first["requirements"][0]["max_size_kb"] = 4096
    report = catalogue_load(data=edited)
    assert report.counts["type.updated"] == 1
    assert report.counts["requirement.updated"] == 1
    permit_type = PermitType.objects.get(code=first["code"])
    assert permit_type.sop_duration == first["sop_duration"]
    assert permit_type.history.first().history_type == "~"


def test_a_removed_row_is_deactivated_never_deleted(catalogue):
    catalogue_load(data=catalogue)
    trimmed = copy.deepcopy(catalogue)
    gone_type = trimmed["permit_types"].pop()
    gone_requirement = trimmed["permit_types"][0]["requirements"].pop()
    report = catalogue_load(data=trimmed)
    assert report.counts["type.deactivated"] == 1
    assert report.counts["requirement.deactivated"] == 1
    assert PermitType.objects.get(code=gone_type["code"]).active is False
    assert (
        Requirement.objects.get(
            permit_type__code=trimmed["permit_types"][0]["code"], code=gone_requirement["code"]
        ).active
        is False
    )
    assert PermitType.objects.count() == 81


def test_a_returning_row_is_reactivated(catalogue):
    catalogue_load(data=catalogue)
    trimmed = copy.deepcopy(catalogue)
    gone = trimmed["permit_types"].pop()
    catalogue_load(data=trimmed)
    catalogue_load(data=catalogue)
    assert PermitType.objects.get(code=gone["code"]).active is True


def test_an_invalid_number_pattern_is_refused_and_nothing_is_loaded(catalogue):
    from django.core.exceptions import ValidationError

    broken = copy.deepcopy(catalogue)
    broken["permit_types"][5]["number_pattern"] = "503/{nomor}/{year}"
    with pytest.raises(ValidationError):
        catalogue_load(data=broken)
    assert not PermitType.objects.exists()


def test_an_unknown_opd_is_refused(catalogue):
    from django.core.exceptions import ValidationError

    broken = copy.deepcopy(catalogue)
    broken["permit_types"][0]["opd"] = "NOPE"
    with pytest.raises(ValidationError):
        catalogue_load(data=broken)


def test_the_command_reports_what_it_did(tmp_path, capsys, catalogue):
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(catalogue))
    call_command("load_catalogue", file=path)
    assert "Catalogue changed" in capsys.readouterr().out
    call_command("load_catalogue", file=path)
    assert "Catalogue unchanged" in capsys.readouterr().out


def test_search_terms_are_loaded_one_per_line_and_updated_in_place(catalogue):
    catalogue_load(data=catalogue)
    pbg = PermitType.objects.get(code="PU-PBG")
    assert "IMB" in pbg.search_term_list and "bangun rumah" in pbg.search_term_list
    edited = copy.deepcopy(catalogue)
    row = next(t for t in edited["permit_types"] if t["code"] == "PU-PBG")
    row["search_terms"].append("izin bangun ruko")
    report = catalogue_load(data=edited)
    assert report.counts["type.updated"] == 1
    pbg.refresh_from_db()
    assert pbg.search_term_list[-1] == "izin bangun ruko"


def test_search_notes_are_loaded_and_a_removed_one_is_deactivated(catalogue):
    from permits.models import SearchNote

    catalogue_load(data=catalogue)
    assert "SIUP" in SearchNote.objects.get(code="nib-oss").term_list
    edited = copy.deepcopy(catalogue)
    edited["search_notes"] = [n for n in edited["search_notes"] if n["code"] != "ho-situ"]
    report = catalogue_load(data=edited)
    assert report.counts["note.deactivated"] == 1
    assert not SearchNote.objects.get(code="ho-situ").active


def test_the_technical_team_of_each_type_loads_and_follows_the_file(catalogue):
    from permits.models import TypeRecommender

    catalogue_load(data=catalogue)
    pbg = {
        (r.opd.code, r.working_days)
        for r in TypeRecommender.objects.filter(permit_type__code="PU-PBG").select_related("opd")
    }
    assert pbg == {("DLH", 5), ("DISHUB", 5)}
    assert not catalogue_load(data=catalogue).changed, "loaded twice, nothing changes"
    edited = copy.deepcopy(catalogue)
    row = next(t for t in edited["permit_types"] if t["code"] == "PU-PBG")
    row["recommenders"] = [{"opd": "DLH", "working_days": 4}]
    report = catalogue_load(data=edited)
    assert (report.counts["recommender.updated"], report.counts["recommender.removed"]) == (1, 1)
    pbg = TypeRecommender.objects.filter(permit_type__code="PU-PBG")
    assert [(r.opd.code, r.working_days) for r in pbg] == [("DLH", 4)]
    assert TypeRecommender.history.filter(history_type="-").count() == 1  # DISHUB, kept


@pytest.mark.parametrize(
    ("recommender", "problem"),
    [
        ({"opd": "DPUPR", "working_days": 3}, "not another OPD"),  # the type's own office
        ({"opd": "NOPE", "working_days": 3}, "not another OPD"),
        ({"opd": "DLH", "working_days": 15}, "waktu SOP"),  # PU-PBG's SOP is 14 days
        ({"opd": "DLH", "working_days": 0}, "1 hari kerja"),
        # Check (1) + 13 + approval and signing (1) is 15: past the SOP's 14.
        ({"opd": "DLH", "working_days": 13}, "Paling lama 12 hari kerja"),
    ],
)
def test_a_wrong_technical_team_is_refused(catalogue, recommender, problem):
    from django.core.exceptions import ValidationError

    edited = copy.deepcopy(catalogue)
    row = next(t for t in edited["permit_types"] if t["code"] == "PU-PBG")
    row["recommenders"] = [recommender]
    with pytest.raises(ValidationError, match=problem):
        catalogue_load(data=edited)


def test_a_technical_team_filling_the_sop_to_its_last_day_loads(catalogue):
    from permits.models import TypeRecommender

    edited = copy.deepcopy(catalogue)
    row = next(t for t in edited["permit_types"] if t["code"] == "PU-PBG")
    row["recommenders"] = [{"opd": "DLH", "working_days": 12}]  # 1 + 12 + 1 = 14
    catalogue_load(data=edited)
    assert TypeRecommender.objects.get(permit_type__code="PU-PBG").working_days == 12


def test_a_type_measured_in_working_hours_cannot_wait_for_a_recommendation(catalogue):
    from django.core.exceptions import ValidationError

    edited = copy.deepcopy(catalogue)
    row = next(t for t in edited["permit_types"] if t["sop_unit"] == "hours")
    row["recommenders"] = [{"opd": "DLH" if row["opd"] != "DLH" else "DPUPR", "working_days": 1}]
    with pytest.raises(ValidationError, match="jam kerja"):
        catalogue_load(data=edited)
    assert not PermitType.objects.filter(code=row["code"], recommenders__isnull=False).exists()
