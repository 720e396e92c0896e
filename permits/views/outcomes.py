"""What the back office says after an action: what happened to the file, to whom it went
and how the applicant was told ("Berkas dikembalikan; pemohon diberi tahu lewat WhatsApp.").
The services say whom they told (``notice``: the outbox message); this only words it."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outbox.models import Channel
from permits.models import Stage

DONE = {
    "submit": gettext_lazy("Berkas diajukan dengan nomor %(number)s"),
    "begin_verification": gettext_lazy("Verifikasi dimulai"),
    "declare_complete": gettext_lazy("Berkas dinyatakan lengkap; waktu SOP berjalan"),
    "finish_review": gettext_lazy("Kajian teknis selesai"),
    "finish_inspection": gettext_lazy("Peninjauan lapangan selesai"),
    "confirm_payment": gettext_lazy("Pembayaran retribusi dicatat"),
    "approve": gettext_lazy("Berkas disetujui"),
    "sign": gettext_lazy(
        "Izin ditandatangani dengan nomor %(permit)s; PDF bertanda tangan sedang disusun dan "
        "pemohon diberi tahu begitu PDF tersimpan"
    ),
    "resubmit": gettext_lazy("Berkas diajukan kembali"),
    "withdraw": gettext_lazy("Permohonan dicabut"),
    "return_to_applicant": gettext_lazy("Berkas dikembalikan"),
    "reject": gettext_lazy("Permohonan ditolak"),
}
CHANNEL_WORDS = {
    Channel.EMAIL: gettext_lazy("surel"),
    Channel.SMS: gettext_lazy("SMS"),
    Channel.WHATSAPP: gettext_lazy("WhatsApp"),
}


def told_words(notice, *, who=None) -> str:
    """How the other side was told: "pemohon diberi tahu lewat WhatsApp"."""
    who = who or _("pemohon")
    if notice is None:
        return ""
    if notice.channel == Channel.IN_APP:
        return _("%(who)s diberi tahu di kotak pesan Terang saja (tanpa surel atau ponsel)") % {
            "who": who
        }
    channel = CHANNEL_WORDS.get(notice.channel, notice.channel)
    if notice.kind == "file.payment_requested":
        return _("tagihan retribusi dikirim ke %(who)s lewat %(channel)s") % {
            "who": who,
            "channel": channel,
        }
    return _("%(who)s diberi tahu lewat %(channel)s") % {"who": who, "channel": channel}


def handed_words(before_id, app) -> str:
    """To whom the file went, when the act handed it on."""
    officer = app.assigned_to
    if officer is None or officer.pk == before_id or app.state in {Stage.ISSUED, Stage.REJECTED}:
        return ""
    return _("diteruskan ke %(name)s (%(role)s)") % {
        "name": officer.display_name,
        "role": officer.role_label,
    }


def sentence(*parts) -> str:
    text = "; ".join(str(part) for part in parts if part)
    return text[:1].upper() + text[1:] + "."


def action_done(name: str, *, before_id, app) -> str:
    """The message after transition ``name`` moved ``app`` (as the service returned it)."""
    permit = getattr(app, "permit", None) if name == "sign" else None
    done = DONE.get(name, gettext_lazy("Tahap berkas diperbarui")) % {
        "number": app.registration_number or "",
        "permit": getattr(permit, "number", "") or "—",
    }
    return sentence(done, handed_words(before_id, app), told_words(getattr(app, "notice", None)))
