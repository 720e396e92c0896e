"""Indonesian identity data: NIK, NIB and mobile numbers, checked and normalised.

NIK (Nomor Induk Kependudukan), 16 digits: province (2), regency/city (2), district (2),
date of birth DDMMYY with 40 added to the day for women, and a 4-digit serial from 0001.
NIB (Nomor Induk Berusaha) from OSS: 13 digits. Mobile numbers are stored as +62 8xx….
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Province codes of Dukcapil (Aceh 11 … Papua 91–96 after the 2022 splits).
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53}
    | {61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96}
)


@dataclass(frozen=True)
class NikFacts:
    province: int
    birth_date: datetime.date
    female: bool


def _birth_date(day: int, month: int, yy: int, today: datetime.date) -> datetime.date | None:
    """The date of birth: the latest century that does not put it in the future."""
    for century in (2000, 1900):
        try:
            born = datetime.date(century + yy, month, day)
        except ValueError:
            return None
        if born <= today:
            return born
    return None


def nik_parse(value: str, *, today: datetime.date | None = None) -> NikFacts:
    """Check a NIK's structure and return what it encodes; ValidationError otherwise."""
    nik = re.sub(r"\s", "", value or "")
    if not re.fullmatch(r"\d{16}", nik):
        raise ValidationError(_("NIK terdiri dari 16 angka."), code="nik_format")
    province, regency, district = int(nik[0:2]), int(nik[2:4]), int(nik[4:6])
    if province not in PROVINCE_CODES or regency == 0 or district == 0:
        raise ValidationError(_("Kode wilayah pada NIK tidak dikenal."), code="nik_region")
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = day > 40
    born = _birth_date(day - 40 if female else day, month, yy, today or datetime.date.today())
    if born is None:
        raise ValidationError(_("Tanggal lahir pada NIK tidak sah."), code="nik_birth")
    if nik[12:16] == "0000":
        raise ValidationError(_("Nomor urut pada NIK tidak sah."), code="nik_serial")
    return NikFacts(province=province, birth_date=born, female=female)


def nik_validator(value: str) -> None:
    nik_parse(value)


def nib_validator(value: str) -> None:
    if not re.fullmatch(r"\d{13}", value or ""):
        raise ValidationError(_("NIB terdiri dari 13 angka."), code="nib_format")


def phone_normalise(value: str) -> str:
    """ "0812-3456-7890", "62 812 3456 7890", "+62 812…" -> "+6281234567890".

    Only Indonesian mobile numbers (8xx, 9 to 12 digits after the 0) are accepted.
    """
    digits = re.sub(r"[\s\-().]", "", value or "")
    if digits.startswith("+62"):
        national = digits[3:]
    elif digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits
    if not re.fullmatch(r"8\d{8,11}", national):
        raise ValidationError(
            _("Masukkan nomor ponsel Indonesia, misalnya 0812 3456 7890."), code="phone_format"
        )
    return "+62" + national


def looks_like_phone(value: str) -> bool:
    return bool(re.fullmatch(r"[\s\-().+\d]+", value or "")) and "@" not in value
