from django import template
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.moments import WEEKDAY, moment_iso, moment_text
from permits.sla import CheckState, ClockState

register = template.Library()


@register.filter
def rupiah(amount: int | None) -> str:
    """Rupiah with Indonesian digit grouping: 150000 -> "Rp150.000"; 0 -> "Gratis"."""
    if not amount:
        return _("Gratis")
    return "Rp" + f"{int(amount):,}".replace(",", ".")


@register.filter
def filesizeformat_kb(kilobytes: int) -> str:
    """2048 -> "2 MB", 500 -> "500 KB" (the unit Indonesians read on forms)."""
    if kilobytes >= 1024 and kilobytes % 1024 == 0:
        return f"{kilobytes // 1024} MB"
    if kilobytes >= 1024:
        return f"{kilobytes / 1024:.1f} MB".replace(".", ",")
    return f"{kilobytes} KB"


@register.filter
def working_duration(value) -> str:
    """A working-time duration in words, sign dropped: "2 jam 30 menit kerja"."""
    if value is None:
        return ""
    minutes = abs(int(value.total_seconds())) // 60
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(h)d jam %(m)d menit kerja") % {"h": hours, "m": minutes}
    if hours:
        return _("%(h)d jam kerja") % {"h": hours}
    return _("%(m)d menit kerja") % {"m": minutes}


@register.simple_tag
def sla_badge(status) -> str:
    """The SOP clock of one file, the same on every page (a tag, not an include: lists
    render it once per row)."""
    state = status.state
    if state == ClockState.NOT_STARTED:
        text = _("SOP belum berjalan")
    elif state == ClockState.PAUSED:
        used = _("terpakai %(used)s") % {"used": working_duration(status.used)}
        text = f"{_('Dijeda')} · {used}"
    elif state == ClockState.LATE:
        text = _("Terlambat %(late)s") % {"late": working_duration(status.remaining)}
    elif state == ClockState.DONE_ON_TIME:
        text = _("Selesai tepat waktu")
    elif state == ClockState.DONE_LATE:
        text = _("Selesai terlambat")
    else:
        left = _("sisa %(left)s") % {"left": working_duration(status.remaining)}
        text = f"{moment_text(status.deadline, WEEKDAY)} · {left}"
    return format_html('<span class="sla sla--{}">{}</span>', state, text)


@register.simple_tag
def select_options(options) -> SafeString:
    """``<option>`` elements from (value, label, selected) triples (a worklist renders a
    hundred of them; plain escaping keeps that well under a millisecond)."""
    return SafeString(
        "".join(
            f'<option value="{escape(value)}"{" selected" if selected else ""}>'
            f"{escape(label)}</option>"
            for value, label, selected in options
        )
    )


WORKLIST_ROW = (
    '<tr><td class="worklist__number" data-label="{}"><a href="{}">{}</a></td>'
    '<td class="worklist__who" data-label="{}">{}{}</td>'
    '<td class="worklist__kind" data-label="{}">{} <small>{}</small></td>'
    '<td data-label="{}">{}</td>'
    '<td data-label="{}">{}</td>'
    '<td class="worklist__waiting" data-label="{}">{}</td>'
    '<td class="worklist__due" data-label="{}">{}</td></tr>'
)


@register.simple_tag
def waiting_since(status) -> str:
    """Since when a file waits for its completeness check ("—" when it does not)."""
    if status.state == CheckState.NONE:
        return "—"
    return format_html(
        '<time datetime="{}">{}</time>',
        moment_iso(status.waiting_since),
        moment_text(status.waiting_since),
    )


@register.simple_tag
def check_badge(status) -> str:
    """By when the completeness check is due, in the style of the SOP badge."""
    if status.state == CheckState.LATE:
        text = _("Lewat batas periksa %(due)s") % {"due": moment_text(status.due)}
    else:
        text = _("Periksa sebelum %(due)s") % {"due": moment_text(status.due)}
    return format_html('<span class="sla sla--{}">{}</span>', status.state, text)


@register.simple_tag
def worklist_rows(files) -> SafeString:
    """The worklist's table rows (the headings are in ``_worklist_table.html``).

    Written here rather than as a template loop: 25 rows of seven cells render several times
    faster in Python, which is most of the worklist's time (bench/README.md). Each file
    needs ``status`` (its SOP clock) and ``check_status`` (its completeness check) set by
    the view; a file waiting for its check shows that check's deadline, not an SOP clock
    that has not started or stands still.
    """
    number, applicant, kind = _("Nomor registrasi"), _("Pemohon"), _("Jenis izin")
    stage, officer, deadline = _("Tahap"), _("Petugas"), _("Batas waktu")
    waiting = _("Menunggu sejak")
    draft = _("Draf")
    # One reverse() for the page, not one per row.
    placeholder = "00000000-0000-0000-0000-000000000000"
    file_url = reverse("backoffice:file", args=[placeholder])
    return SafeString(
        "".join(
            format_html(
                WORKLIST_ROW,
                number,
                file_url.replace(placeholder, str(app.public_id)),
                app.registration_number or draft,
                applicant,
                app.applicant_name,
                format_html(" <small>{}</small>", app.business_name) if app.business_name else "",
                kind,
                app.permit_type.name,
                app.permit_type.opd.name,
                stage,
                app.stage_label,
                officer,
                app.assigned_to.display_name if app.assigned_to_id else "—",
                waiting,
                waiting_since(app.check_status),
                deadline,
                sla_badge(app.status)
                if app.check_status.state == CheckState.NONE
                else check_badge(app.check_status),
            )
            for app in files
        )
    )
