"""The IKM (PermenPANRB 14/2017): the mean of the nine element means, each weighted exactly
1/9, times 25; categories A-D. Worked examples are computed by hand in the tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from public.models.survey import INTEGRITY_FIELDS
from public.selectors.survey import Totals, ikm_by, ikm_category, ikm_from_means
from tests.factories import OPDFactory, PermitTypeFactory, new_file
from tests.public.kit import WIB, answer, at


def D(text: str) -> Decimal:
    return Decimal(text)


# --- worked examples --------------------------------------------------------------------------


def test_element_means_in_the_regulations_style_give_their_index_with_weights_of_one_ninth():
    means = ["3.45", "3.12", "3.30", "3.50", "3.20", "3.40", "3.35", "3.10", "3.25"]
    # By hand: the means add up to 29.67; 29.67 / 9 × 25 = 741.75 / 9 = 82.41666… → 82.42.
    ikm = ikm_from_means(100, [D(m) for m in means])
    assert ikm.value == D("82.42")
    assert (ikm.category, ikm.quality) == ("B", "Baik")
    # The rounded weight 0.111 of the old practice gives 82.33, and 0.11 gives 81.59: both
    # differ from the exact 1/9.
    assert (D("29.67") * D("0.111") * 25).quantize(D("0.01")) == D("82.33") != ikm.value
    assert (D("29.67") * D("0.11") * 25).quantize(D("0.01")) == D("81.59") != ikm.value


def ikm_of(rows):
    """The IKM of answer rows of nine scores each, through the sums the pages add up."""
    totals = Totals()
    for row in rows:
        totals.add(Totals(1, list(row), [0] * len(INTEGRITY_FIELDS), 0))
    return totals.ikm()


def test_four_answers_worked_by_hand():
    rows = [
        (4, 4, 3, 4, 3, 4, 4, 3, 3),
        (3, 3, 3, 4, 3, 3, 4, 2, 3),
        (4, 3, 2, 4, 3, 4, 4, 3, 4),
        (3, 3, 3, 4, 4, 3, 3, 3, 3),
    ]
    # Element means: 14/4, 13/4, 11/4, 16/4, 13/4, 14/4, 15/4, 11/4, 13/4
    #              = 3.50, 3.25, 2.75, 4.00, 3.25, 3.50, 3.75, 2.75, 3.25; sum 30.00.
    # IKM = 30 / 9 × 25 = 83.333… → 83.33, category B.
    ikm = ikm_of(rows)
    assert ikm.responses == 4
    assert ikm.element_means == tuple(
        D(m) for m in ("3.50", "3.25", "2.75", "4.00", "3.25", "3.50", "3.75", "2.75", "3.25")
    )
    assert ikm.value == D("83.33")
    assert ikm.category == "B"


def test_means_in_thirds_are_not_rounded_before_weighting():
    rows = [(4,) * 9, (3,) * 9, (3,) * 8 + (2,)]
    # u1..u8: 10/3 each, u9: 9/3 = 3; sum 89/3; IKM = 89/3 / 9 × 25 = 2225/27 = 82.4074 → 82.41.
    # Rounding each mean to 3.33 first would give (8 × 3.33 + 3) / 9 × 25 = 82.33.
    assert ikm_of(rows).value == D("82.41")


def test_all_fours_is_100_a_and_all_ones_is_25_d():
    best = ikm_of([(4,) * 9] * 3)
    worst = ikm_of([(1,) * 9] * 2)
    assert (best.value, best.category, best.quality) == (D("100.00"), "A", "Sangat baik")
    assert (worst.value, worst.category, worst.quality) == (D("25.00"), "D", "Tidak baik")


def test_no_answers_give_no_index():
    ikm = ikm_of([])
    assert (ikm.responses, ikm.value, ikm.category, ikm.label) == (0, None, "", "–")


@pytest.mark.parametrize(
    "value, category",
    [
        ("100.00", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_category_boundaries(value, category):
    assert ikm_category(D(value))[0] == category


@pytest.mark.parametrize(
    "mean, value, category",
    [
        # Nine equal means m give IKM = 9m / 9 × 25 = 25m.
        ("3.5324", "88.31", "A"),
        ("3.532", "88.30", "B"),
        ("3.0644", "76.61", "B"),
        ("3.064", "76.60", "C"),
        ("2.6", "65.00", "C"),
        ("2.5996", "64.99", "D"),
        # 25 × 3.5322 = 88.305: rounded half up to 88.31 before it is categorised.
        ("3.5322", "88.31", "A"),
    ],
)
def test_boundaries_through_the_computation(mean, value, category):
    ikm = ikm_from_means(10, [D(mean)] * 9)
    assert (ikm.value, ikm.category) == (D(value), category)


# --- per unit and period, from stored answers --------------------------------------------------


@pytest.mark.django_db
def test_ikm_by_unit_and_period_counts_only_the_periods_answers(office):
    other_unit = OPDFactory(code="DISHUB", name_id="Dinas Perhubungan")
    other_type = PermitTypeFactory(code="HUB-TRAYEK", opd=other_unit)
    march = (at(1, 0), datetime.datetime(2026, 4, 1, tzinfo=WIB))
    # DINKES in March: (4,…) and (3,…) → every mean 3.5 → IKM 87.50 (B).
    answer(new_file(office), (4,) * 9, at=at(1, 0))  # the first instant of March counts
    answer(new_file(office), (3,) * 9, at=at(31, 23))
    # Outside March: the last instant of February and the first of April do not count.
    answer(new_file(office), (1,) * 9, at=datetime.datetime(2026, 2, 28, 23, 59, tzinfo=WIB))
    answer(new_file(office), (1,) * 9, at=datetime.datetime(2026, 4, 1, 0, 0, tzinfo=WIB))
    # DISHUB in March: one answer of all twos → IKM 50.00 (D).
    answer(new_file(office), (2,) * 9, at=at(15), permit_type=other_type)

    units = ikm_by("unit", start=march[0], end=march[1])
    assert set(units) == {office.dinkes.pk, other_unit.pk}
    assert (units[office.dinkes.pk].responses, units[office.dinkes.pk].value) == (2, D("87.50"))
    assert units[office.dinkes.pk].category == "B"
    assert (units[other_unit.pk].value, units[other_unit.pk].category) == (D("50.00"), "D")

    # All units: (4 + 3 + 2) / 3 = 3 per element → 75.00 (C).
    overall = ikm_by("", start=march[0], end=march[1])[""]
    assert (overall.responses, overall.value, overall.category) == (3, D("75.00"), "C")
    # Without a period all five answers count: (4+3+1+1+2)/5 = 2.2 → 55.00 (D).
    assert ikm_by("")[""].value == D("55.00")


@pytest.mark.django_db
def test_ikm_by_counts_the_unit_and_type_at_answering_time(office):
    """The answer keeps the unit and type it was given for (a snapshot)."""
    answer(new_file(office), (4,) * 9, at=at(2), unit=office.dpmptsp)
    by_unit = ikm_by("unit")
    assert set(by_unit) == {office.dpmptsp.pk}
    by_pair = ikm_by(("unit", "permit_type"))
    assert set(by_pair) == {(office.dpmptsp.pk, office.full_type.pk)}
