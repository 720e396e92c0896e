from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from permits.forms import TransitionForm


class PaymentForm(TransitionForm):
    """The cashier records a payment: the receipt number and the amount received."""

    reference = forms.CharField(
        label=_("Nomor bukti bayar (kuitansi atau referensi bank)"), max_length=64
    )
    amount = forms.IntegerField(label=_("Jumlah diterima (Rp)"), min_value=1)

    def __init__(self, *args, **kwargs):
        # The ids the file page's inputs carry (issuance/_office_actions.html), for the
        # error summary's links; the page has other forms with fields of the same names.
        kwargs.setdefault("auto_id", "pay-%s")
        super().__init__(*args, **kwargs)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan dan dasar pencabutan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        max_length=2000,
        error_messages={"min_length": _("Tuliskan alasan dan dasar pencabutan dengan jelas.")},
    )
    confirm = forms.BooleanField(
        label=_("Saya mengerti bahwa pencabutan tidak dapat dibatalkan."),
        error_messages={"required": _("Centang konfirmasi untuk mencabut izin.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "revoke-%s")  # as PaymentForm's
        super().__init__(*args, **kwargs)


class VerifyLookupForm(forms.Form):
    q = forms.CharField(
        label=_("Kode verifikasi atau nomor izin"),
        max_length=100,
        error_messages={"required": _("Masukkan kode verifikasi atau nomor izin.")},
    )


class VerifyUploadForm(forms.Form):
    pdf = forms.FileField(
        label=_("Berkas PDF izin"),
        error_messages={"required": _("Pilih berkas PDF izin yang ingin diperiksa.")},
    )

    def clean_pdf(self) -> bytes:
        upload = self.cleaned_data["pdf"]
        if upload.size > settings.VERIFY_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar; izin yang asli tidak lebih dari %(size)s.")
                % {"size": filesizeformat(settings.VERIFY_UPLOAD_MAX_BYTES)}
            )
        data = upload.read()
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("Berkas ini bukan PDF."))
        return data
