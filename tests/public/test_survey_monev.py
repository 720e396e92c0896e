"""The survey's section of the monthly monev report: the month's IKM and integrity index,
overall and per unit, in the report's data, its CSV and its PDF."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
import subprocess
import zoneinfo

import pytest

from integrity.inspection.selectors.monev import monev_data
from integrity.inspection.services.monev import monev_csv, monev_pdf
from tests.factories import OPDFactory, PermitTypeFactory, new_file
from tests.public.kit import answer

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
MARCH = datetime.date(2026, 3, 1)
TITLE = "Survei kepuasan masyarakat dan indeks integritas"


@pytest.fixture
def march(office):
    """March 2026: DINKES six answers (three all-3, three all-4; one "yes"), DISHUB one
    all-2 answer; and an April answer of all 1s that March must not count."""
    dishub = OPDFactory(code="DISHUB", name_id="Dinas Perhubungan")
    trayek = PermitTypeFactory(code="HUB-TRAYEK", opd=dishub)
    day = datetime.datetime(2026, 3, 10, 10, tzinfo=WIB)
    for i in range(6):
        answer(
            new_file(office),
            (4,) * 9 if i % 2 else (3,) * 9,
            at=day,
            yes={"asked_money"} if i == 0 else (),
        )
    answer(new_file(office), (2,) * 9, at=day, permit_type=trayek)
    answer(new_file(office), (1,) * 9, at=datetime.datetime(2026, 4, 1, 0, 0, tzinfo=WIB))
    return monev_data(MARCH)


def section(data):
    (found,) = [s for s in data.sections if s.title == TITLE]
    return dict(found.rows)


def test_the_month_shows_its_ikm_and_integrity_index(march):
    rows = section(march)
    # All seven March answers: element sums 3·3 + 3·4 + 2 = 23 → mean 23/7 = 3.2857…
    # → IKM 23/7 × 25 = 82.142… → 82.14 (B). Integrity: 1 "yes" of 21 → 20/21 = 95.24.
    assert rows["Responden survei"] == "7"
    assert rows["IKM seluruh unit"] == "82.14 (B, Baik)"
    assert rows["Indeks integritas seluruh unit"] == "95.24 (Terjaga)"
    assert rows["Jawaban yang melaporkan pungutan, imbalan atau calo"] == "1"
    # DINKES: every mean 3.5 → 87.50 (B); 1 "yes" of 18 → 94.44. DISHUB: 50.00 (D), 100.
    assert rows["DINKES"] == (
        "IKM 87.50 (B, Baik) · indeks integritas 94.44 (Terjaga) · 6 responden"
    )
    assert rows["DISHUB"] == (
        "IKM 50.00 (D, Tidak baik) · indeks integritas 100.00 (Terjaga) · 1 responden"
    )


def test_a_month_without_answers_says_so(office):
    rows = section(monev_data(datetime.date(2026, 1, 1)))
    assert rows["Responden survei"] == "0"
    assert rows["IKM seluruh unit"] == "–"
    assert rows["Indeks integritas seluruh unit"] == "–"


def test_the_csv_carries_the_survey_section(march):
    rows = list(csv.reader(io.StringIO(monev_csv(march).decode("utf-8-sig"))))
    survey = {row[1]: row[2] for row in rows if row and row[0] == TITLE}
    assert survey["IKM seluruh unit"] == "82.14 (B, Baik)"
    assert survey["Indeks integritas seluruh unit"] == "95.24 (Terjaga)"
    assert "6 responden" in survey["DINKES"]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext (poppler-utils)")
def test_the_pdf_carries_the_survey_section(march, tmp_path):
    path = tmp_path / "monev.pdf"
    path.write_bytes(monev_pdf(march))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert TITLE in text
    assert "IKM seluruh unit" in text and "82.14 (B, Baik)" in text
    assert "Indeks integritas seluruh unit" in text and "95.24 (Terjaga)" in text
