"""The public-accountability sections of the monthly monev report: complaints, the
satisfaction index (IKM) and the integrity index."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from integrity.inspection.selectors.monev import MonevSection
from public.models import Complaint, ComplaintCategory, ComplaintState, Route
from public.selectors.survey import index_overview


def complaints_section(start, end) -> MonevSection:
    received = Complaint.objects.filter(received_at__gte=start, received_at__lt=end)
    counts = received.aggregate(
        total=Count("id"),
        inspectorate=Count("id", filter=Q(route=Route.INSPECTORATE)),
        anonymous=Count("id", filter=Q(anonymous=True)),
    )
    by_category = dict(
        received.values_list("category").annotate(n=Count("id")).values_list("category", "n")
    )
    closed = Complaint.objects.filter(closed_at__gte=start, closed_at__lt=end).count()
    open_at_end = Complaint.objects.filter(received_at__lt=end).exclude(
        state=ComplaintState.CLOSED, closed_at__lt=end
    )
    overdue = open_at_end.exclude(escalated_for="").count()
    rows = [
        (_("Pengaduan diterima"), str(counts["total"])),
        (
            _("… ke Inspektorat saja (uang, imbalan, konflik kepentingan)"),
            str(counts["inspectorate"]),
        ),
        (_("… anonim"), str(counts["anonymous"])),
        (_("Pengaduan selesai"), str(closed)),
        (_("Belum selesai di akhir bulan"), str(open_at_end.count())),
        (_("… pernah melewati batas waktu"), str(overdue)),
    ]
    rows += [
        (str(ComplaintCategory(code).label), str(n)) for code, n in sorted(by_category.items())
    ]
    return MonevSection(_("Pengaduan masyarakat"), rows)


def survey_section(start, end) -> MonevSection:
    """The month's IKM and integrity index, overall and per unit (the inspectorate's
    report: small groups are shown)."""
    units, overall = index_overview(start=start, end=end, small_groups=True)
    rows = [
        (_("Responden survei"), str(overall.responses)),
        (_("IKM seluruh unit"), _ikm_text(overall.ikm)),
        (_("Indeks integritas seluruh unit"), _integrity_text(overall.integrity)),
        (
            _("Jawaban yang melaporkan pungutan, imbalan atau calo"),
            str(overall.integrity.reports if overall.integrity else 0),
        ),
    ]
    for unit in units:
        rows.append(
            (
                unit.subject.code,
                _("IKM %(ikm)s · indeks integritas %(integrity)s · %(n)s responden")
                % {
                    "ikm": _ikm_text(unit.ikm),
                    "integrity": _integrity_text(unit.integrity),
                    "n": unit.responses,
                },
            )
        )
    return MonevSection(_("Survei kepuasan masyarakat dan indeks integritas"), rows)


def _ikm_text(ikm) -> str:
    if ikm.value is None:
        return "–"
    return f"{ikm.value} ({ikm.category}, {ikm.quality})"


def _integrity_text(index) -> str:
    return f"{index.value} ({index.band_label})" if index else "–"
