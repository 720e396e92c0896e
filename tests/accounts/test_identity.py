"""NIK structure, NIB and Indonesian mobile numbers."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from accounts.identity import nib_validator, nik_parse, phone_normalise

TODAY = datetime.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("nik", "born", "female"),
    [
        ("3201014101900001", datetime.date(1990, 1, 1), True),  # 41 = 1st, a woman
        ("3201010101900001", datetime.date(1990, 1, 1), False),
        ("3578123112050002", datetime.date(2005, 12, 31), False),
        ("9401017108250003", datetime.date(2025, 8, 31), True),  # Papua Tengah
    ],
)
def test_a_valid_nik_tells_birth_date_and_sex(nik, born, female):
    facts = nik_parse(nik, today=TODAY)
    assert facts.birth_date == born and facts.female == female


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("320101410190000", "16 angka"),
        ("32010141019000011", "16 angka"),
        ("320101410190000A", "16 angka"),
        ("9901014101900001", "Kode wilayah"),  # no province 99
        ("3200014101900001", "Kode wilayah"),  # regency 00
        ("3201003101900001", "Kode wilayah"),  # district 00
        ("3201013102900001", "Tanggal lahir"),  # 31 February
        ("3201017202900001", "Tanggal lahir"),  # 32 February for a woman
        ("3201014013900001", "Tanggal lahir"),  # month 13
        ("3201010001900001", "Tanggal lahir"),  # day 00
        ("3201014101900000", "Nomor urut"),
    ],
)
def test_a_malformed_nik_is_refused_with_a_reason(nik, message):
    with pytest.raises(ValidationError, match=message):
        nik_parse(nik, today=TODAY)


def test_a_two_digit_year_never_means_the_future():
    assert nik_parse("3201011201300001", today=TODAY).birth_date == datetime.date(1930, 1, 12)
    assert nik_parse("3201011201260001", today=TODAY).birth_date == datetime.date(2026, 1, 12)


@given(
    st.dates(min_value=datetime.date(1927, 1, 1), max_value=TODAY),
    st.booleans(),
    st.integers(min_value=1, max_value=9999),
)
def test_any_real_birth_date_round_trips(born, female, serial):
    day = born.day + (40 if female else 0)
    nik = f"320101{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"
    facts = nik_parse(nik, today=TODAY)
    assert facts.birth_date == born and facts.female == female


@pytest.mark.parametrize(
    "typed",
    ["081234567890", "0812-3456-7890", "+62 812 3456 7890", "62812 3456 7890", "(0812) 3456.7890"],
)
def test_mobile_numbers_are_normalised_to_plus_62(typed):
    assert phone_normalise(typed) == "+6281234567890"


@pytest.mark.parametrize(
    "typed", ["0212345678", "+1 202 555 0100", "0812", "08123456789012345", "abc"]
)
def test_non_indonesian_or_non_mobile_numbers_are_refused(typed):
    with pytest.raises(ValidationError, match="nomor ponsel Indonesia"):
        phone_normalise(typed)


def test_nib_is_thirteen_digits():
    nib_validator("1234567890123")
    for bad in ["123456789012", "12345678901234", "123456789012A", ""]:
        with pytest.raises(ValidationError):
            nib_validator(bad)
