"""The monev report counts the technical team's month (issue 22.1): recommendations asked,
signed off (late ones and dissents among them) and still awaited, in all and per agency."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from integrity.inspection.selectors.monev import monev_data
from permits.models import Verdict
from tests.permits.test_recommendations import answered, in_review

pytestmark = pytest.mark.django_db


def section(month):
    found = [s for s in monev_data(month).sections if s.title == "Rekomendasi tim teknis"]
    return dict(found[0].rows) if found else None


def test_the_month_counts_what_was_asked_given_and_awaited(team):
    app = in_review(team)
    answered(
        team,
        app,
        "dlh",
        Verdict.NOT_RECOMMENDED,
        reasons="Sempadan sungai.",
        legal_basis="Perda RTRW",
    )
    rows = section(timezone.localdate())
    assert rows["Rekomendasi diminta"] == "2"
    assert rows["Rekomendasi disahkan"] == "1"
    assert rows["… melewati batas waktunya"] == "0"
    assert rows["… tidak merekomendasikan"] == "1"
    assert rows["Belum diberikan di akhir bulan"] == "1"
    assert rows["Dinas PUPR"] == "1 diminta, 0 disahkan (0 terlambat), 1 belum"
    assert rows["Dinas Lingkungan Hidup"] == "1 diminta, 1 disahkan (0 terlambat), 0 belum"


def test_a_month_without_the_team_has_no_section(team):
    in_review(team)
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    assert section(long_ago) is None
