"""What applicants type into the home page's search, and the permit type each must find
first. The table was written from what people ask at the counter and type into search
boxes (old names, everyday words, English, typos) before the ranking was tuned."""

import pytest
from django.conf import settings

from permits.catalogue.loader import read_catalogue
from permits.models import OPD, PermitType
from permits.search import catalogue_rank, entry_for, rank_entries

# (query, the code that must rank first)
QUERIES = [
    # The issue's own examples.
    ("izin bangunan", "PU-PBG"),
    ("bangun rumah", "PU-PBG"),
    ("izin praktek bidan", "KES-SIP-BIDAN"),
    ("IMB", "PU-PBG"),
    # Old names and abbreviations.
    ("imb rumah", "PU-PBG"),
    ("PBG", "PU-PBG"),
    ("izin mendirikan bangunan", "PU-PBG"),
    ("SIP dokter", "KES-SIP-DOKTER"),
    ("SIPA", "KES-SIP-APOTEKER"),
    ("PIRT", "KES-SPP-IRT"),
    ("izin lingkungan", "LH-UKL-UPL"),
    ("kartu kuning", "NAKER-KARTU-AK1"),
    ("AK1", "NAKER-KARTU-AK1"),
    ("KRK", "PU-KRK"),
    ("UKL UPL", "LH-UKL-UPL"),
    ("limbah B3", "LH-TPS-LIMBAH-B3"),
    # Everyday words.
    ("izin praktek dokter gigi", "KES-SIP-DOKTER-GIGI"),
    ("dokter spesialis", "KES-SIP-DOKTER-SPESIALIS"),
    ("dokter", "KES-SIP-DOKTER"),
    ("bidan", "KES-SIP-BIDAN"),
    ("perawat", "KES-SIP-PERAWAT"),
    ("apotek", "KES-IZIN-APOTEK"),
    ("buka apotik", "KES-IZIN-APOTEK"),
    ("apoteker", "KES-SIP-APOTEKER"),
    ("toko obat", "KES-IZIN-TOKO-OBAT"),
    ("usaha makanan rumahan", "KES-SPP-IRT"),
    ("SLF rumah", "PU-SLF-RUMAH"),
    ("pasang spanduk", "DPM-REKLAME-INSIDENTIL"),
    ("reklame papan nama toko", "DPM-REKLAME-TETAP"),
    ("buka minimarket", "DAG-IUTS"),
    ("tera ulang timbangan", "DAG-TERA-ULANG"),
    ("waralaba", "DAG-STPW"),
    ("izin hotel", "PAR-TDUP-HOTEL"),
    ("homestay", "PAR-TDUP-PONDOK-WISATA"),
    ("rumah makan", "PAR-TDUP-RESTORAN"),
    ("izin trayek angkot", "HUB-TRAYEK-PERDESAAN"),
    ("izin parkir", "HUB-PARKIR"),
    ("tebang pohon", "LH-TEBANG-POHON"),
    ("izin pendirian TK", "DIK-PENDIRIAN-TK"),
    ("paud", "DIK-PENDIRIAN-KB"),
    ("izin kursus", "DIK-PENDIRIAN-LKP"),
    ("izin penelitian skripsi", "KBP-SKP-PENELITIAN"),
    ("KKN", "KBP-REK-KKN-PKL"),
    ("magang mahasiswa", "KBP-REK-KKN-PKL"),
    ("lembur", "NAKER-IZIN-LEMBUR"),
    ("kontrak kerja karyawan", "NAKER-PENCATATAN-PKWT"),
    ("penggalangan dana", "SOS-IZIN-PUB"),
    ("panti asuhan", "SOS-IZIN-OPS-PANTI"),
    ("ormas", "KBP-SKT-ORMAS"),
    ("dokter hewan", "TAN-SIP-DOKTER-HEWAN"),
    ("rumah potong hewan", "TAN-IZIN-RPH"),
    ("kapal nelayan", "KAN-TDKP"),
    ("kolam ikan", "KAN-TPUPI"),
    ("kebun sawit", "TAN-STD-B"),
    ("kacamata optik", "KES-IZIN-OPTIKAL"),
    ("jual minuman beralkohol", "DAG-SKPL-A"),
    ("site plan perumahan", "PKP-SITE-PLAN"),
    ("numpang uji kendaraan", "HUB-REK-NUMPANG-UJI"),
    ("pasar tradisional", "DAG-IUP2R"),
    # English.
    ("building permit", "PU-PBG"),
    ("midwife", "KES-SIP-BIDAN"),
    ("nurse licence", "KES-SIP-PERAWAT"),
    ("pharmacy", "KES-IZIN-APOTEK"),
    ("restaurant", "PAR-TDUP-RESTORAN"),
    ("franchise", "DAG-STPW"),
    ("research permit", "KBP-SKP-PENELITIAN"),
    ("veterinarian", "TAN-SIP-DOKTER-HEWAN"),
    ("billboard", "DPM-REKLAME-TETAP"),
    ("overtime", "NAKER-IZIN-LEMBUR"),
    # Typos.
    ("prakrik bidan", "KES-SIP-BIDAN"),
    ("persetujuan bangnan gedung", "PU-PBG"),
    ("fisiotrapis", "KES-SIP-FISIOTERAPIS"),
    ("minimarkt", "DAG-IUTS"),
    ("restorant", "PAR-TDUP-RESTORAN"),
    ("karoke", "PAR-TDUP-KARAOKE"),
    ("izin perkir", "HUB-PARKIR"),
    ("sertifikat higine sanitasi", "KES-SLHS"),
    ("radiografi", "KES-SIP-RADIOGRAFER"),
    ("andalalin", "HUB-ANDALALIN"),
]


@pytest.fixture(scope="module")
def entries():
    """The search index of the real catalogue file, built in memory (the same
    ``entry_for`` the site uses on the loaded rows)."""
    data = read_catalogue(settings.CATALOGUE_FILE)
    opds = {row["code"]: OPD(**row) for row in data["opds"]}
    built = []
    for pk, row in enumerate(data["permit_types"], start=1):
        permit_type = PermitType(
            pk=pk,
            code=row["code"],
            name_id=row["name_id"],
            name_en=row["name_en"],
            opd=opds[row["opd"]],
            search_terms="\n".join(row.get("search_terms", [])),
        )
        built.append(entry_for(permit_type))
    return built


def test_the_table_is_long_enough_and_names_real_types(entries):
    assert len(QUERIES) >= 40
    assert {code for _query, code in QUERIES} <= {entry.code for entry in entries}


@pytest.mark.parametrize(("query", "code"), QUERIES, ids=[q for q, _c in QUERIES])
def test_each_query_finds_its_type_first(entries, query, code):
    assert rank_entries(entries, query).codes[:1] == [code]


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_table_holds_on_the_catalogue_loaded_in_postgresql(catalogue):
    missed = [
        (query, code, catalogue_rank(query=query).codes[:1])
        for query, code in QUERIES
        if catalogue_rank(query=query).codes[:1] != [code]
    ]
    assert missed == []


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["IMB", "imb"])
def test_imb_does_not_match_inside_words(catalogue, query):
    ranked = catalogue_rank(query=query)
    assert "LH-TPS-LIMBAH-B3" not in ranked.codes
    assert "DAG-TERA-ULANG" not in ranked.codes


@pytest.mark.django_db
def test_a_name_match_ranks_above_an_alias_match(catalogue):
    # "apotek" is the name of the pharmacy permit and only an everyday word of others.
    codes = catalogue_rank(query="apotek").codes
    assert codes.index("KES-IZIN-APOTEK") < codes.index("KES-SIP-APOTEKER")


@pytest.mark.django_db
def test_every_word_must_match_something(catalogue):
    codes = catalogue_rank(query="praktik bidan").codes
    assert codes == ["KES-SIP-BIDAN"]


@pytest.mark.django_db
def test_nothing_found_offers_the_three_closest_types(catalogue):
    ranked = catalogue_rank(query="bidan kampung sebelah")
    assert ranked.codes == []
    assert len(ranked.closest) == 3
    assert "KES-SIP-BIDAN" in ranked.closest


@pytest.mark.django_db
def test_gibberish_finds_nothing_and_still_offers_three_types(catalogue):
    ranked = catalogue_rank(query="qqqq zzzz")
    assert ranked.codes == [] and len(ranked.closest) == 3


@pytest.mark.django_db
def test_an_alias_added_in_the_admin_is_found_at_once(catalogue):
    midwife = PermitType.objects.get(code="KES-SIP-BIDAN")
    assert catalogue_rank(query="paraji").codes == []
    midwife.search_terms += "\nparaji"
    midwife.save()
    assert catalogue_rank(query="paraji").codes[0] == "KES-SIP-BIDAN"


@pytest.mark.django_db
def test_inactive_types_are_never_found(catalogue):
    PermitType.objects.filter(code="PU-PBG").update(active=False)
    from permits.selectors.catalogue import catalogue_choices_invalidate

    catalogue_choices_invalidate()
    assert "PU-PBG" not in catalogue_rank(query="IMB").codes


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "note"), [("SIUP", "nib-oss"), ("tdp", "nib-oss"), ("izin gangguan", "ho-situ")]
)
def test_old_permits_that_are_gone_get_a_note(catalogue, query, note):
    assert [n.code for n in catalogue_rank(query=query).notes] == [note]


@pytest.mark.django_db
def test_a_note_does_not_show_for_other_queries(catalogue):
    assert catalogue_rank(query="bidan").notes == []
