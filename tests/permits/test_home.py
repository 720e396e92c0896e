import pytest

from permits.models import PermitType

pytestmark = pytest.mark.django_db


def test_anyone_sees_the_81_types_grouped_by_opd(client, catalogue):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "81 jenis izin" in body
    for permit_type in PermitType.objects.select_related("opd"):
        assert permit_type.name_id in body
    assert "Dinas Kesehatan" in body and "Surat Izin Praktik Bidan" in body


def test_it_shows_each_types_sop_and_fee(client, catalogue):
    body = client.get("/").content.decode()
    assert "Gratis" in body
    assert "hari kerja" in body and "jam kerja" in body
    paid = PermitType.objects.filter(fee__gt=0).first()
    assert "Rp" + f"{paid.fee:,}".replace(",", ".") in body


def test_the_search_narrows_the_list(client, catalogue):
    body = client.get("/", {"q": "bidan"}).content.decode()
    assert "Surat Izin Praktik Bidan" in body
    assert "Surat Izin Praktik Dokter" not in body
    assert "cocok dengan" in body


def test_the_search_matches_opd_names_and_every_word(client, catalogue):
    body = client.get("/", {"q": "perhubungan parkir"}).content.decode()
    assert "Parkir" in body
    assert "Apotek" not in body


def test_a_search_without_matches_says_so_plainly(client, catalogue):
    body = client.get("/", {"q": "zzzz"}).content.decode()
    assert "Tidak ada jenis izin yang cocok" in body


def test_htmx_gets_only_the_catalogue_fragment(client, catalogue):
    response = client.get("/", {"q": "apotek"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="catalogue"')
    assert "<html" not in body


def test_inactive_types_are_hidden(client, catalogue):
    hidden = PermitType.objects.get(code="KES-SIP-DOKTER")
    hidden.active = False
    hidden.save()
    assert f">{hidden.name_id}<" not in client.get("/").content.decode()


def test_the_english_switch_shows_english_names(client, catalogue):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert "Medical Doctor Practice Licence" in body
    assert "Health Office" in body
    assert 'lang="en"' in body


def test_indonesian_is_the_default_whatever_the_browser_prefers(client, catalogue):
    body = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert 'lang="id"' in body
    assert "Surat Izin Praktik Dokter" in body


@pytest.mark.parametrize("query", ["", "izin", "dinas kesehatan"])
def test_the_page_runs_a_fixed_number_of_queries(
    client, catalogue, query, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        client.get("/", {"q": query})


def test_it_only_allows_get(client):
    assert client.post("/").status_code == 405


def _names_in_order(body: str) -> list[str]:
    import re

    return re.findall(r'class="permit__name" href="[^"]+">([^<]+)</a>', body)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("izin praktek bidan", "Surat Izin Praktik Bidan"),
        ("izin bangunan", "Persetujuan Bangunan Gedung (PBG)"),
        ("bangun rumah", "Persetujuan Bangunan Gedung (PBG)"),
        ("IMB", "Persetujuan Bangunan Gedung (PBG)"),
    ],
)
def test_the_best_match_is_listed_first(client, catalogue, query, first):
    body = client.get("/", {"q": query}).content.decode()
    assert _names_in_order(body)[0] == first


def test_imb_does_not_find_waste_or_weighing_permits(client, catalogue):
    body = client.get("/", {"q": "IMB"}).content.decode()
    assert _names_in_order(body) == ["Persetujuan Bangunan Gedung (PBG)"]
    assert "Limbah" not in body and "Timbang" not in body


def test_a_result_names_its_opd(client, catalogue):
    body = client.get("/", {"q": "bidan"}).content.decode()
    assert '<span class="permit__opd">Dinas Kesehatan</span>' in body


def test_nothing_found_offers_the_closest_types_and_the_counter(client, catalogue, settings):
    settings.OFFICE_PHONE = "(0265) 700 1234"
    body = client.get("/", {"q": "bidan kampung sebelah"}).content.decode()
    assert 'Tidak ada jenis izin yang cocok dengan "bidan kampung sebelah"' in body
    assert "Mungkin yang Anda cari" in body
    names = _names_in_order(body)
    assert len(names) == 3 and names[0] == "Surat Izin Praktik Bidan"
    assert "Tanyakan ke petugas loket" in body
    assert "(0265) 700 1234" in body and settings.OFFICE_ADDRESS in body
    assert "08.00" in body  # the counter's hours


def test_an_english_query_finds_english_names(client, catalogue):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/", {"q": "midwife"}).content.decode()
    assert _names_in_order(body)[0] == "Midwife Practice Licence"


@pytest.mark.parametrize("query", ["bidan", "zzzz qqqq"])
def test_a_search_runs_a_fixed_number_of_queries_warm_or_not(
    client, catalogue, query, django_assert_max_num_queries
):
    from worktime.calendar import get_calendar

    get_calendar()  # the office calendar (the counter's hours) is kept by every process
    with django_assert_max_num_queries(3):
        client.get("/", {"q": query})
    with django_assert_max_num_queries(2):
        client.get("/", {"q": query})


def test_siup_says_it_became_the_nib_through_oss(client, catalogue):
    body = client.get("/", {"q": "SIUP"}).content.decode()
    assert "SIUP dan TDP sudah diganti Nomor Induk Berusaha (NIB)" in body
    assert "oss.go.id" in body
    assert "Mungkin yang Anda cari" not in body  # no look-alike types under the answer
    assert "Tanyakan ke petugas loket" in body


def test_the_note_is_in_english_when_english_is_chosen(client, catalogue):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/", {"q": "izin gangguan"}).content.decode()
    assert "The nuisance permit (HO) was abolished in 2017" in body


def test_the_rendered_catalogue_follows_every_change_at_once(client, catalogue):
    """The list is rendered once per language and catalogue version; a new type, a type
    taken down or a requirement added shows on the next page, in both languages."""
    from permits.models import PermitType, Requirement
    from tests.factories import PermitTypeFactory, RequirementFactory

    assert "Izin Percobaan Baru" not in client.get("/").content.decode()
    opd = PermitType.objects.get(code="KES-SIP-DOKTER").opd
    PermitTypeFactory(code="KES-BARU", opd=opd, name_id="Izin Percobaan Baru", name_en="Trial")
    assert "Izin Percobaan Baru" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Trial" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    sip = PermitType.objects.get(code="KES-SIP-DOKTER")
    count = Requirement.objects.filter(permit_type=sip, active=True).count()
    RequirementFactory(permit_type=sip, code="BARU", position=99)
    item = client.get("/").content.decode().split(f'href="/layanan/{sip.code}/"', 1)[1]
    assert f"{count + 1} persyaratan" in item.split("</li>", 1)[0]
    PermitType.objects.filter(code="KES-BARU").update(active=False)  # no signal: the admin saves
    PermitType.objects.get(code="KES-BARU").save()
    assert "Izin Percobaan Baru" not in client.get("/").content.decode()
