"""Password rules beyond Django's: Indonesian common passwords, and a name with digits.

Both run wherever Django validates a password (sign-up, reset, the admin's password change)
through ``AUTH_PASSWORD_VALIDATORS``. Checks that compare a password with its owner get a
``user``: the saved account, or at sign-up an unsaved one built from the form.
"""

import re
from pathlib import Path

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

INDONESIAN_LIST = Path(__file__).with_name("common_passwords_id.txt")
MIN_NAME_LENGTH = 3


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's list of common passwords and Indonesia's (``common_passwords_id.txt``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lines = INDONESIAN_LIST.read_text(encoding="utf-8").splitlines()
        self.passwords |= {x.strip().lower() for x in lines if x.strip() and x[0] != "#"}


def name_parts(user) -> set[str]:
    """The words of a person's names (three letters or more), lower case."""
    names = " ".join(
        getattr(user, field, "") or ""
        for field in ("full_name", "first_name", "last_name", "business_name")
    )
    return {
        word.lower() for word in re.findall(r"[^\W\d_]+", names) if len(word) >= MIN_NAME_LENGTH
    }


class NameWithDigitsValidator:
    """Refuse a name with only digits before or after it ("budi1234" for Budi Santoso)."""

    def validate(self, password, user=None):
        if user is None:
            return
        core = re.sub(r"^\d+|\d+$", "", password).lower()
        if core in name_parts(user):
            raise ValidationError(
                _("Kata sandi ini hanya nama Anda dengan angka. Pilih yang lebih sulit ditebak."),
                code="password_name_with_digits",
            )

    def get_help_text(self):
        return _("Kata sandi Anda tidak boleh hanya nama Anda dengan angka.")
