"""A permit type's own fields (issue 19): definitions checked, values checked and cleaned
per kind with a message per field, the file's document checked on every write against the
form version it was made with, and the applicant's draft form built from them."""

import random

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from permits.details.examples import details_example
from permits.details.spec import spec_errors
from permits.details.values import details_clean, details_display
from permits.models import FormVersion, PermitField
from permits.services.applications import application_submit
from permits.services.context import ActionRefused
from permits.services.form_versions import form_version_current, form_versions_publish
from tests.factories import act, new_file, upload_mandatory
from tests.permits.kit import SPEC, a_desa, good

# --- definitions ----------------------------------------------------------------------


def test_the_test_spec_is_a_good_one():
    assert spec_errors(SPEC) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"key": "Nama Apotek"}, "lower_snake_case"),
        ({"kind": "colour"}, "not allowed"),
        ({"unit_id": "m"}, "do not belong"),
        ({"label_en": ""}, "label_en is required"),
        ({"public": True, "printed": False}, "also be printed"),
        ({"pattern": "^[0-9]{5}$"}, "pattern_message"),
        (
            {"pattern": "(", "pattern_message_id": "x", "pattern_message_en": "x"},
            "regular expression",
        ),
        (
            {
                "pattern": "^[0-9]{5}$",
                "pattern_message_id": "x",
                "pattern_message_en": "x",
                "example": "4711",
            },
            "example that matches",
        ),
        ({"max_length": 0}, "max_length"),
        ({"help_id": "Petunjuk"}, "both languages"),
        ({"required": "yes"}, "true or false"),
    ],
)
def test_a_wrong_text_field_definition_is_named(change, message):
    field = {**SPEC[0], **change}
    errors = spec_errors([field])
    assert errors and any(message in e for e in errors), errors


@pytest.mark.parametrize(
    ("index", "change", "message"),
    [
        (5, {"choices": [{"value": "a", "label_id": "A", "label_en": "A"}]}, "at least two"),
        (5, {"choices": [{"value": "a", "label_id": "A", "label_en": "A"}] * 2}, "unique values"),
        (2, {"min": 9, "max": 1}, "min is above max"),
        (2, {"min": "1"}, "must be a number"),
        (9, {"columns": []}, "needs its columns"),
        (9, {"columns": [{**SPEC[9], "key": "inner"}]}, "not allowed here"),
        (9, {"max_rows": 500}, "max_rows"),
    ],
)
def test_a_wrong_option_is_named(index, change, message):
    errors = spec_errors([{**SPEC[index], **change}])
    assert any(message in e for e in errors), errors


def test_a_key_used_twice_is_refused():
    assert any("used twice" in e for e in spec_errors([SPEC[0], SPEC[0]]))


# --- values ---------------------------------------------------------------------------


def test_good_input_is_cleaned_into_typed_values(places):
    cleaned = details_clean(SPEC, good(places), places=places, complete=True)
    assert cleaned.errors == {}
    v = cleaned.values
    assert v["floors"] == 2 and v["floor_area"] == 120.5  # the Indonesian decimal comma
    assert v["parking"] is True and v["ownership"] == "rent"
    assert v["site_point"] == {"lat": -7.45, "lon": 110.15}
    assert v["rooms"] == [{"name": "Ruang racik", "area": 12}]  # the empty row is no row
    assert "opened" not in v  # optional and empty: left out


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("apotek_name", "x" * 61, "Nama apotek terlalu panjang: paling banyak 60 karakter."),
        ("kbli", "4772", "KBLI: Isi 5 angka kode KBLI."),
        ("floors", "dua", "Jumlah lantai harus berupa angka."),
        ("floors", "2.5", "Jumlah lantai harus bilangan bulat."),
        ("floors", "0", "Jumlah lantai paling sedikit 1."),
        ("floors", "9", "Jumlah lantai paling banyak 8."),
        ("floor_area", "0", "Luas lantai harus lebih dari 0 m²."),
        ("floor_area", "NaN", "Luas lantai harus berupa angka."),
        ("opened", "31-12-2026", "Mulai beroperasi: tulis tanggal seperti 31/12/2026."),
        ("ownership", "pinjam", "Status tempat: pilih salah satu pilihan yang tersedia."),
        ("parking", "mungkin", "Ada tempat parkir: jawab ya atau tidak."),
        ("site_point", {"lat": "-6.2", "lon": "106.8"}, "titik ini berada di luar wilayah"),
        ("site_point", {"lat": "utara", "lon": "1"}, "ditulis sebagai angka"),
        ("rooms", [{"name": "Gudang"}], "Ruangan, baris 1: Luas wajib diisi."),
        ("rooms", [{"name": "A", "area": "1"}] * 4, "Ruangan: paling banyak 3 baris."),
        (
            "rooms",
            [{"name": "A", "area": "1", "beds": "-1"}],
            "baris 1: Tempat tidur paling sedikit 0.",
        ),
        ("rooms", "Ruang racik", "Ruangan tidak dapat dibaca."),
    ],
)
def test_bad_input_gets_its_own_message_and_the_rest_is_kept(places, key, raw, message):
    data = {**good(places), key: raw}
    cleaned = details_clean(SPEC, data, places=places, complete=True)
    assert list(cleaned.errors) == [key]
    assert message in cleaned.errors[key]
    assert set(cleaned.values) == set(
        details_clean(SPEC, good(places), places=places, complete=True).values
    ) - {key}


def test_an_address_names_a_desa_of_its_kecamatan(places):
    kecamatan, _ = a_desa(places, 0)
    _, other_desa = a_desa(places, -1)
    data = {"site": {"street": "Jl. Pemuda 3", "kecamatan": kecamatan, "desa": other_desa}}
    assert (
        "pilih desa/kelurahan di kecamatan itu"
        in details_clean(SPEC, data, places=places, complete=False).errors["site"]
    )
    no_street = {"site": {"street": "", "kecamatan": kecamatan, "desa": a_desa(places, 0)[1]}}
    assert (
        "tulis nama jalan"
        in details_clean(SPEC, no_street, places=places, complete=False).errors["site"]
    )


def test_a_draft_may_be_incomplete_a_submission_may_not(places):
    assert details_clean(SPEC, {"floors": "3"}, places=places, complete=False).errors == {}
    errors = details_clean(SPEC, {"floors": "3"}, places=places, complete=True).errors
    assert errors["apotek_name"] == "Nama apotek wajib diisi."
    assert "opened" not in errors and "floors" not in errors


def test_unknown_keys_are_dropped(places):
    cleaned = details_clean(SPEC, {"floors": 2, "is_admin": True}, places=places, complete=False)
    assert cleaned.values == {"floors": 2}


def test_cleaning_a_clean_document_changes_nothing(places):
    # The places are read-only here: one load serves every example.
    @hsettings(max_examples=40, deadline=None)
    @given(seed=st.integers(min_value=0, max_value=10**6))
    def check(seed):
        example = details_example(SPEC, places=places, rng=random.Random(seed))
        first = details_clean(SPEC, example, places=places, complete=True)
        assert first.errors == {}
        again = details_clean(SPEC, first.values, places=places, complete=True)
        assert again.errors == {} and again.values == first.values

    check()


def test_the_document_in_words(places):
    values = details_clean(SPEC, good(places), places=places, complete=True).values
    shown = {item["key"]: item for item in details_display(SPEC, values, places=places)}
    assert shown["floors"]["text"] == "2 lantai"
    assert shown["floor_area"]["text"] == "120,5 m²"
    assert shown["parking"]["text"] == "Ya"
    assert shown["ownership"]["text"] == "Sewa"
    assert shown["site"]["text"].startswith("Jl. Merdeka 10, ")
    assert ", Kec. " in shown["site"]["text"]
    assert shown["rooms"]["rows"] == [["Ruang racik", "12 m²", "–"]]
    printed = [item["key"] for item in details_display(SPEC, values, places=places, only="printed")]
    assert printed == ["apotek_name", "site"]
    public = [item["key"] for item in details_display(SPEC, values, places=places, only="public")]
    assert public == ["apotek_name"]


# --- the file's document and its version ---------------------------------------------


def test_a_new_file_takes_the_type_s_latest_version(fielded, office):
    app = new_file(office)
    assert app.form_version.number == 1
    assert [f["key"] for f in app.form_spec] == [f["key"] for f in SPEC]


def test_a_document_that_does_not_clean_to_itself_is_refused_by_the_model(fielded, office):
    app = new_file(office)
    app.details = {"floors": "dua"}
    with pytest.raises(ValidationError, match="Jumlah lantai harus berupa angka"):
        app.save()
    app.details = {"floors": "2"}  # right, but not as it is kept: 2
    with pytest.raises(ValidationError):
        app.save()
    app.details = {"floors": 2}
    app.save()
    app.refresh_from_db()
    assert app.details == {"floors": 2}
    assert app.history.first().details == {"floors": 2}


def test_a_changed_form_never_invalidates_a_filed_application(fielded, office, places):
    app = new_file(office)
    app.details = details_clean(SPEC, good(places), places=places, complete=True).values
    app.save()
    # The type's form changes: the floors' limit drops and a new required field appears.
    PermitField.objects.filter(permit_type=fielded, key="floors").update(
        options={"max": 1, "integer": True}
    )
    PermitField.objects.create(
        permit_type=fielded,
        key="pharmacist",
        kind="text",
        label_id="Apoteker",
        label_en="Pharmacist",
        position=99,
    )
    made = form_versions_publish(permit_types=[fielded])
    assert [v.number for v in made] == [2]
    assert form_versions_publish(permit_types=[fielded]) == []  # nothing changed since
    app.refresh_from_db()
    assert app.form_version.number == 1
    app.details = {**app.details, "apotek_name": "Apotek Sehat Selalu"}
    app.save()  # still valid against version 1
    newer = new_file(office)
    assert newer.form_version.number == 2 == form_version_current(fielded).number
    newer.details = {"floors": 2}
    with pytest.raises(ValidationError, match="paling banyak 1"):
        newer.save()


def test_a_type_with_wrong_fields_cannot_be_published(fielded):
    PermitField.objects.filter(permit_type=fielded, key="kbli").update(
        options={"pattern": "^[0-9]{5}$"}
    )
    with pytest.raises(ValidationError, match="pattern_message"):
        form_versions_publish(permit_types=[fielded])
    assert FormVersion.objects.filter(permit_type=fielded).count() == 1


def test_an_online_file_is_not_submitted_without_its_required_details(fielded, office, places):
    app = new_file(office)
    upload_mandatory(office, app)
    with pytest.raises(ActionRefused, match="Lengkapi dulu data permohonan: Nama apotek, KBLI"):
        application_submit(application=app, actor=act(office.applicant))
    app.details = details_clean(SPEC, good(places), places=places, complete=True).values
    app.save()
    application_submit(application=app, actor=act(office.applicant))
    app.refresh_from_db()
    assert app.state == "submitted"


# --- the applicant's draft form -------------------------------------------------------


def posted(places, **changes) -> dict:
    """The draft form as a browser posts it: the applicant's data and the type's fields."""
    kecamatan, desa = a_desa(places)
    form = {
        "applicant_name": "Siti Rahmawati",
        "applicant_address": "Jl. Merdeka 1, Sukamaju",
        "applicant_phone": "+6281234567890",
        "applicant_kind": "person",
        "d-apotek_name": "Apotek Sehat",
        "d-kbli": "47722",
        "d-floors": "2",
        "d-floor_area": "120,5",
        "d-ownership": "rent",
        "d-parking": "no",
        "d-site-street": "Jl. Merdeka 10",
        "d-site-kecamatan": kecamatan,
        "d-site-desa": desa,
        "d-site_point-lat": "-7.45",
        "d-site_point-lon": "110.15",
        "d-rooms-count": "3",
        "d-rooms-0-name": "Ruang racik",
        "d-rooms-0-area": "12",
        "d-rooms-1-name": "Gudang",
        "d-rooms-1-area": "6",
    }
    return form | changes


def test_the_draft_page_asks_the_type_s_own_questions(client, fielded, office, places):
    app = new_file(office)
    client.force_login(office.applicant)
    body = client.get(reverse("applicant:file", args=[app.public_id])).content.decode()
    for label in ("Nama apotek", "Jumlah lantai", "Alamat apotek", "Titik lokasi", "Ruangan"):
        assert label in body
    assert 'name="d-site-desa"' in body and "Kec." not in body
    some_desa = sorted(places.desa.values(), key=lambda d: d.code)[0]
    assert some_desa.label in body  # the desa list comes from the regency's places


def test_the_draft_saves_the_type_s_fields(client, fielded, office, places):
    app = new_file(office)
    client.force_login(office.applicant)
    response = client.post(reverse("applicant:save", args=[app.public_id]), posted(places))
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.details["floor_area"] == 120.5
    assert app.details["rooms"] == [
        {"name": "Ruang racik", "area": 12},
        {"name": "Gudang", "area": 6},
    ]
    assert app.details["site"]["street"] == "Jl. Merdeka 10"
    assert app.history.first().history_user == office.applicant


def test_a_wrong_field_keeps_the_rest_and_says_what_is_wrong(client, fielded, office, places):
    app = new_file(office)
    client.force_login(office.applicant)
    url = reverse("applicant:save", args=[app.public_id])
    client.post(url, posted(places))
    response = client.post(
        url, posted(places, **{"d-floors": "sembilan", "d-apotek_name": "Apotek Baru"})
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Jumlah lantai harus berupa angka." in body
    assert 'href="#id_d-floors"' in body  # the error summary leads to the input
    assert 'value="sembilan"' in body  # what was typed stays on the page
    app.refresh_from_db()
    assert app.details["apotek_name"] == "Apotek Baru"  # the good change is saved
    assert app.details["floors"] == 2  # the wrong one left the stored value alone


def test_autosave_answers_with_the_form_and_its_message(client, fielded, office, places):
    app = new_file(office)
    client.force_login(office.applicant)
    response = client.post(
        reverse("applicant:save", args=[app.public_id]),
        posted(places, **{"d-site_point-lat": "-6.2", "d-site_point-lon": "106.8"}),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Titik lokasi: titik ini berada di luar wilayah kabupaten." in response.content.decode()


def test_another_applicant_anonymous_and_staff_cannot_save_the_draft(
    client, fielded, office, places
):
    app = new_file(office)
    url = reverse("applicant:save", args=[app.public_id])
    assert client.post(url, posted(places)).status_code == 302  # anonymous: to sign in
    client.force_login(office.other_applicant)
    assert client.post(url, posted(places)).status_code == 404
    client.force_login(office.counter)
    assert client.post(url, posted(places)).status_code == 403
    app.refresh_from_db()
    assert app.details == {}


def test_after_submission_the_applicant_reads_the_details(client, fielded, office, places):
    app = new_file(office)
    upload_mandatory(office, app)
    app.details = details_clean(SPEC, good(places), places=places, complete=True).values
    app.save()
    application_submit(application=app, actor=act(office.applicant))
    client.force_login(office.applicant)
    body = client.get(reverse("applicant:file", args=[app.public_id])).content.decode()
    assert "Data permohonan" in body
    assert "120,5 m²" in body and "2 lantai" in body
    assert 'name="d-floors"' not in body


# --- the walk-in file at the counter (19.7) ------------------------------------------


def test_the_counter_fills_a_walk_in_file_s_details_on_its_page(client, fielded, office, places):
    app = new_file(office, online=False)
    client.force_login(office.counter)
    page = client.get(reverse("backoffice:file", args=[app.public_id])).content.decode()
    assert 'action="/kantor/berkas/' in page and 'name="d-floors"' in page
    url = reverse("backoffice:details", args=[app.public_id])
    response = client.post(url, posted(places, **{"d-floors": "banyak"}))
    assert response.status_code == 400
    assert "Jumlah lantai harus berupa angka." in response.content.decode()
    response = client.post(url, posted(places))
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.details["floors"] == 2 and app.history.first().history_user == office.counter


def test_a_walk_in_file_is_not_submitted_without_its_details(fielded, office, places):
    app = new_file(office, online=False)
    with pytest.raises(ActionRefused, match="Lengkapi dulu data permohonan"):
        application_submit(application=app, actor=act(office.counter))


def test_only_the_counter_fills_a_walk_in_file_s_details(client, fielded, office, places):
    app = new_file(office, online=False)
    url = reverse("backoffice:details", args=[app.public_id])
    assert client.post(url, posted(places)).status_code == 302  # anonymous: to sign in
    for user in (office.technical, office.supervisor, office.applicant, office.auditor):
        client.force_login(user)
        assert client.post(url, posted(places)).status_code in {403, 404}
    app.refresh_from_db()
    assert app.details == {}


# --- read off the details: the worklist's filters by place and KBLI (19.6) ----------


def test_a_file_s_site_and_kbli_are_read_off_its_details(fielded, office, places):
    app = new_file(office)
    kecamatan, desa = a_desa(places, 3)
    app.details = {
        "kbli": "47722",
        "site": {"street": "Jl. A 1", "kecamatan": kecamatan, "desa": desa},
    }
    app.save()
    app.refresh_from_db()
    assert (app.site_kecamatan, app.site_desa, app.kbli) == (kecamatan, desa, "47722")
    app.details = {}
    app.save(update_fields=["details"])
    app.refresh_from_db()
    assert (app.site_kecamatan, app.site_desa, app.kbli) == ("", "", "")


def test_the_worklist_filters_by_desa_kecamatan_and_kbli(client, fielded, office, places):
    from permits.selectors.backoffice import WorklistFilters, worklist_for

    files = []
    for index, kbli in ((0, "47722"), (1, "47111"), (-1, "10792")):
        app = new_file(office)
        kecamatan, desa = a_desa(places, index)
        site = {"street": "Jl. B 2", "kecamatan": kecamatan, "desa": desa}
        complete = details_clean(SPEC, good(places), places=places, complete=True).values
        app.details = complete | {"kbli": kbli, "site": site}
        app.save()
        upload_mandatory(office, app)
        application_submit(application=app, actor=act(office.applicant))
        app.refresh_from_db()
        files.append(app)

    def found(**filters):
        rows = worklist_for(user=office.supervisor, filters=WorklistFilters(scope="all", **filters))
        return {row.pk for row in rows}

    first, second, last = files
    assert found(place=first.site_desa) == {first.pk}
    assert found(place=first.site_kecamatan) == {
        f.pk for f in files if f.site_kecamatan == first.site_kecamatan
    }
    assert found(kbli="47") == {first.pk, second.pk}
    assert found(kbli="10792") == {last.pk}
    client.force_login(office.supervisor)
    body = client.get(
        reverse("backoffice:worklist"), {"scope": "all", "kbli": "4772"}
    ).content.decode()
    assert first.registration_number in body and last.registration_number not in body
    assert "Kec. " in body  # the place filter lists the regency's places


def test_a_wrong_kbli_filter_says_so_and_filters_nothing_out(client, office):
    client.force_login(office.supervisor)
    response = client.get(reverse("backoffice:worklist"), {"scope": "all", "kbli": "47a"})
    body = response.content.decode()
    assert "Tulis 2 sampai 5 angka KBLI." in body
    assert 'aria-invalid="true"' in body
