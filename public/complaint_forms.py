"""Forms of the complaint pages: the public complaint form, the follow-up code, the
complainant's reply, and the handlers' actions and list filters."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from permits.models import OPD, PermitType
from permits.uploads import UploadRejected
from public.models import ComplaintCategory, ComplaintState, ComplaintSubject
from public.services.complaints import evidence_check

NO_FILE = _(
    "Berkas tidak ditemukan. Periksa kembali kode lacak pada tanda terima (12 huruf dan "
    "angka, misalnya 7KQM-P3XA-9TRD)."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files in one input (Django's documented pattern); each is checked by content
    in ``ComplaintForm.clean_evidence``, with ``public.services.complaints.evidence_check``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ComplaintForm(forms.Form):
    """What the complaint is about, what happened, and who complains (if anyone)."""

    subject = forms.ChoiceField(
        label=_("Pengaduan tentang"),
        choices=ComplaintSubject.choices,
        widget=forms.RadioSelect,
    )
    berkas = forms.CharField(
        label=_("Kode lacak berkas"),
        required=False,
        max_length=20,
        help_text=_("Untuk pengaduan tentang berkas atau petugas yang menanganinya."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    officer = forms.ChoiceField(label=_("Petugas yang diadukan"), required=False)
    officer_description = forms.CharField(
        label=_("Ciri petugas"),
        required=False,
        max_length=200,
        help_text=_("Bila tidak tahu namanya: loket, waktu kejadian, ciri-ciri."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit layanan (OPD)"),
        required=False,
        queryset=OPD.objects.filter(active=True).order_by("name_id"),
        empty_label=_("Pilih OPD"),
    )
    layanan = forms.ModelChoiceField(
        label=_("Jenis izin (layanan)"),
        required=False,
        queryset=PermitType.objects.filter(active=True, opd__active=True).order_by("name_id"),
        to_field_name="code",
        empty_label=_("Pilih jenis izin (bila tentang satu layanan)"),
    )
    category = forms.ChoiceField(
        label=_("Jenis masalah"),
        choices=[("", _("Pilih jenis masalah")), *ComplaintCategory.choices],
    )
    description = forms.CharField(
        label=_("Uraian kejadian"),
        min_length=20,
        max_length=5000,
        help_text=_("Apa yang terjadi, kapan dan di mana. Paling sedikit 20 huruf."),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "min_length": _("Uraian terlalu singkat; ceritakan paling sedikit 20 huruf."),
        },
    )
    evidence = EvidenceField(
        label=_("Bukti (boleh lebih dari satu)"),
        required=False,
        help_text=_("PDF, JPEG atau PNG."),
    )
    anonymous = forms.BooleanField(label=_("Kirim tanpa identitas (anonim)"), required=False)
    name = forms.CharField(label=_("Nama"), required=False, max_length=150)
    email = forms.EmailField(label=_("Surel"), required=False)
    phone = forms.CharField(label=_("Nomor ponsel"), required=False, max_length=20)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, officers=(), application=None, signed_in=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.signed_in = signed_in
        self.officers = {str(person.pk): person for person in officers}
        self.fields["officer"].choices = [("", _("Pilih petugas (bila tahu)"))] + [
            (key, f"{person.display_name} · {person.role_label}")
            for key, person in self.officers.items()
        ]
        limit = settings.COMPLAINT_EVIDENCE_MAX_FILES
        self.fields["evidence"].help_text = _(
            "PDF, JPEG atau PNG, paling banyak %(n)s berkas, masing-masing paling besar %(kb)s KB."
        ) % {"n": limit, "kb": settings.COMPLAINT_EVIDENCE_MAX_KB}

    def clean_evidence(self):
        files = self.cleaned_data.get("evidence") or []
        limit = settings.COMPLAINT_EVIDENCE_MAX_FILES
        if len(files) > limit:
            raise forms.ValidationError(
                _("Paling banyak %(n)s berkas bukti.") % {"n": limit}, code="too_many"
            )
        problems = []
        for uploaded in files:
            try:
                evidence_check(uploaded)
            except UploadRejected as rejected:
                problems.append(f"{uploaded.name}: {rejected.message}")
        if problems:
            raise forms.ValidationError(problems)
        return files

    def clean(self):
        data = super().clean()
        subject = data.get("subject")
        code = (data.get("berkas") or "").strip()
        about_file = subject in {ComplaintSubject.FILE, ComplaintSubject.OFFICER}
        if about_file and code and self.application is None:
            self.add_error("berkas", NO_FILE)
        if subject == ComplaintSubject.FILE and not code:
            self.add_error("berkas", _("Isi kode lacak berkas yang diadukan."))
        if subject == ComplaintSubject.OFFICER:
            chosen = data.get("officer")
            if chosen and chosen not in self.officers:
                self.add_error("officer", _("Pilih petugas dari daftar."))
            data["officer_user"] = self.officers.get(chosen or "")
            if data["officer_user"] is None and not data.get("officer_description", "").strip():
                self.add_error(
                    "officer_description",
                    _("Pilih petugas yang menangani berkas, atau tuliskan ciri petugas."),
                )
        if subject == ComplaintSubject.UNIT and not data.get("unit") and data.get("layanan"):
            data["unit"] = data["layanan"].opd  # the service names its unit
        if subject == ComplaintSubject.UNIT and not data.get("unit"):
            self.add_error("unit", _("Pilih OPD yang diadukan."))
        if not data.get("anonymous") and not self.signed_in:
            if not data.get("name", "").strip():
                self.add_error("name", _("Isi nama Anda, atau pilih kirim tanpa identitas."))
            if not (data.get("email") or data.get("phone", "").strip()):
                self.add_error(
                    "email",
                    _("Isi surel atau nomor ponsel agar kami dapat mengabari Anda."),
                )
        phone = data.get("phone", "").strip()
        if phone and not phone.lstrip("+").replace(" ", "").replace("-", "").isdigit():
            self.add_error("phone", _("Nomor ponsel hanya berisi angka, misalnya 081234567890."))
        return data

    def service_arguments(self) -> dict:
        """The arguments of ``complaint_submit`` (but the evidence)."""
        data = self.cleaned_data
        subject = data["subject"]
        about_file = subject in {ComplaintSubject.FILE, ComplaintSubject.OFFICER}
        officer = data.get("officer_user") if subject == ComplaintSubject.OFFICER else None
        return {
            "subject": subject,
            "category": data["category"],
            "description": data["description"],
            "application": self.application if about_file else None,
            "officer": officer,
            "officer_description": (
                data.get("officer_description", "")
                if subject == ComplaintSubject.OFFICER and officer is None
                else ""
            ),
            "unit": data.get("unit") if subject == ComplaintSubject.UNIT else None,
            "permit_type": data.get("layanan"),
            "anonymous": data.get("anonymous", False),
            "contact_name": data.get("name", ""),
            "contact_email": data.get("email", ""),
            "contact_phone": data.get("phone", ""),
        }


def preset_permit_type(code: str) -> PermitType | None:
    """The active permit type named by a link's ``?layanan=`` (anything else: none)."""
    code = code.strip()[:30]
    if not code:
        return None
    return PermitType.objects.filter(code=code, active=True, opd__active=True).first()


class FollowForm(forms.Form):
    code = forms.CharField(
        label=_("Kode pengaduan"),
        max_length=30,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "ABCD-EFGH-JKLM-NPQR",
            }
        ),
        error_messages={"required": _("Masukkan kode pengaduan Anda.")},
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Pesan Anda"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Pesan tidak boleh kosong.")},
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)


class StaffTextForm(forms.Form):
    """The text of a handler's action: a note, an answer, an outcome (optional for forward)."""

    body = forms.CharField(
        label="",  # each action's own label is on its page; the messages speak for themselves
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Teks terlalu panjang (paling banyak 5000 huruf).")},
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)


class StaffFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua status")), *ComplaintState.choices],
    )
    category = forms.ChoiceField(
        label=_("Jenis masalah"),
        required=False,
        choices=[("", _("Semua jenis")), *ComplaintCategory.choices],
    )
    overdue = forms.BooleanField(label=_("Hanya yang lewat batas"), required=False)

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
