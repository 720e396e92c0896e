"""Forms of the applicant's account: sign-up, codes, password reset."""

import contextlib

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from accounts.identity import looks_like_phone, nib_validator, nik_validator, phone_normalise
from accounts.models import Role, User


def identifier_clean(value: str) -> str:
    value = value.strip()
    if looks_like_phone(value):
        return phone_normalise(value)
    validate_email(value)
    return value.lower()


class SignInForm(AuthenticationForm):
    """Sign in with a username, an e-mail address or a mobile number in any usual form."""

    def clean(self):
        username = self.cleaned_data.get("username", "")
        if looks_like_phone(username):
            with contextlib.suppress(ValidationError):
                self.cleaned_data["username"] = phone_normalise(username)
        return super().clean()

    def confirm_login_allowed(self, user):
        """A partner system's account never signs in, whatever password it was given: it is
        refused as a wrong password is, naming nothing."""
        super().confirm_login_allowed(user)
        if user.role == Role.PARTNER:
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class PasswordPairMixin(forms.Form):
    password1 = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"), widget=forms.PasswordInput, strip=False
    )

    def clean_password2(self):
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise ValidationError(_("Kedua kata sandi tidak sama."))
        if second:
            password_validation.validate_password(second, self._user_for_validation())
        return second

    def _user_for_validation(self):
        return None


class SignUpForm(PasswordPairMixin):
    identifier = forms.CharField(
        label=_("Surel atau nomor ponsel"),
        max_length=254,
        help_text=_("Kode verifikasi dikirim ke sini."),
    )
    full_name = forms.CharField(label=_("Nama lengkap sesuai KTP"), max_length=150)
    nik = forms.CharField(label=_("NIK"), max_length=16, validators=[nik_validator])
    address = forms.CharField(label=_("Alamat"), widget=forms.Textarea(attrs={"rows": 3}))
    is_business = forms.BooleanField(label=_("Saya mengajukan atas nama usaha"), required=False)
    business_name = forms.CharField(
        label=_("Nama usaha"),
        max_length=200,
        required=False,
        help_text=_("Hanya bila mengajukan atas nama usaha."),
        widget=forms.TextInput(attrs={"data-show-if": "is_business"}),
    )
    nib = forms.CharField(
        label=_("NIB"),
        max_length=13,
        required=False,
        help_text=_("Nomor Induk Berusaha dari OSS, 13 angka."),
        widget=forms.TextInput(attrs={"data-show-if": "is_business"}),
    )

    field_order = [
        "identifier",
        "full_name",
        "nik",
        "address",
        "is_business",
        "business_name",
        "nib",
        "password1",
        "password2",
    ]

    def clean_identifier(self):
        try:
            return identifier_clean(self.cleaned_data["identifier"])
        except ValidationError as exc:
            raise ValidationError(
                _("Masukkan alamat surel atau nomor ponsel Indonesia, misalnya 0812 3456 7890.")
            ) from exc

    def _user_for_validation(self):
        """The account as it would be (unsaved), so the password is compared with the
        person's name, address and NIK."""
        data = self.cleaned_data
        identifier = data.get("identifier", "")
        phone = identifier.startswith("+")
        return User(
            username=identifier,
            full_name=data.get("full_name", ""),
            email="" if phone else identifier,
            phone=identifier if phone else "",
            nik=data.get("nik", ""),
            business_name=self.data.get("business_name", ""),
        )

    def clean_nik(self):
        return self.cleaned_data["nik"].strip()

    def clean(self):
        data = super().clean()
        if data.get("is_business"):
            if not data.get("business_name"):
                self.add_error("business_name", _("Isi nama usaha."))
            try:
                nib_validator(data.get("nib", ""))
            except ValidationError as exc:
                self.add_error("nib", exc)
        else:
            data["business_name"], data["nib"] = "", ""
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode 6 angka"),
        max_length=9,
        error_messages={"required": _("Masukkan kode 6 angka yang kami kirim.")},
    )


class ContactChangeForm(forms.Form):
    """A new e-mail address or mobile number, confirmed by the account's password."""

    identifier = forms.CharField(
        label=_("Surel atau nomor ponsel baru"),
        max_length=254,
        error_messages={"required": _("Masukkan surel atau nomor ponsel baru.")},
        help_text=_(
            "Kami kirim kode ke alamat baru ini; alamat lama tetap dipakai sampai kode dimasukkan."
        ),
    )
    password = forms.CharField(
        label=_("Kata sandi Anda sekarang"),
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": _("Masukkan kata sandi Anda.")},
    )

    def clean_identifier(self):
        try:
            return identifier_clean(self.cleaned_data["identifier"])
        except ValidationError as exc:
            raise ValidationError(
                _("Masukkan alamat surel atau nomor ponsel Indonesia, misalnya 0812 3456 7890.")
            ) from exc


class ResetStartForm(forms.Form):
    identifier = forms.CharField(label=_("Surel atau nomor ponsel akun Anda"), max_length=254)


class ResetFinishForm(PasswordPairMixin):
    code = forms.CharField(label=_("Kode 6 angka"), max_length=9)


class PreferencesForm(forms.ModelForm):
    """How a person wants to hear from Terang."""

    class Meta:
        model = User
        fields = ["language", "contact_channel"]
        labels = {
            "language": _("Bahasa pesan"),
            "contact_channel": _("Kirim pesan melalui"),
        }

    def clean_contact_channel(self):
        channel = self.cleaned_data["contact_channel"]
        user = self.instance
        if channel == "email" and not user.email:
            raise ValidationError(_("Akun Anda tidak punya alamat surel."))
        if channel in {"sms", "whatsapp"} and not user.phone:
            raise ValidationError(_("Akun Anda tidak punya nomor ponsel."))
        return channel
