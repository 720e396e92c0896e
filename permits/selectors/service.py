"""A permit type's public service standard: its page, its steps, and where to ask."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import get_object_or_404

from permits.models import PermitType
from worktime.calendar import get_calendar


@dataclass
class CounterContact:
    address: str
    phone: str
    hours: list[tuple[str, object, object]]  # (weekday, opens, closes)


def counter_contact() -> CounterContact:
    """Where and when people can ask the MPP's counter in person or by phone."""
    from worktime.models import Weekday

    hours = sorted(get_calendar().hours.items())
    return CounterContact(
        address=settings.OFFICE_ADDRESS,
        phone=settings.OFFICE_PHONE,
        hours=[(Weekday(day).label, opens, closes) for day, (opens, closes) in hours],
    )


@dataclass
class ServiceStep:
    title: str
    who: str
    detail: str = ""


def offered_types():
    """The permit types the office offers (active, of an active OPD), each with its OPD and
    its active requirements in order (``active_requirements``): 2 queries however many."""
    from django.db.models import Prefetch

    from permits.models import Requirement

    return (
        PermitType.objects.filter(active=True, opd__active=True)
        .select_related("opd")
        .prefetch_related(
            Prefetch(
                "requirements",
                queryset=Requirement.objects.filter(active=True).order_by("position", "pk"),
                to_attr="active_requirements",
            )
        )
    )


def service_standard(code: str) -> PermitType:
    """An active permit type with its active requirements, for its public page (2 queries)."""
    return get_object_or_404(offered_types(), code=code)


def service_steps(permit_type: PermitType) -> list[ServiceStep]:
    """The procedure of a permit type, only with the stages it uses."""
    from django.utils.translation import gettext as _

    from permits.templatetags.permits_tags import rupiah

    office = _("Petugas loket MPP")
    steps = [
        ServiceStep(_("Pengajuan"), _("Pemohon"), _("Secara daring di Terang atau di loket MPP.")),
        ServiceStep(
            _("Pemeriksaan kelengkapan"),
            office,
            _(
                "Bila ada yang kurang, berkas dikembalikan dengan catatan apa yang harus "
                "dilengkapi."
            ),
        ),
    ]
    if permit_type.needs_technical_review:
        steps.append(ServiceStep(_("Kajian teknis"), permit_type.opd.name))
    if permit_type.needs_inspection:
        steps.append(ServiceStep(_("Peninjauan lapangan"), permit_type.opd.name))
    if permit_type.fee:
        steps.append(
            ServiceStep(
                _("Pembayaran retribusi"),
                _("Pemohon"),
                _("%(fee)s, dibayar melalui bank atau kasir; tidak ada biaya lain.")
                % {"fee": rupiah(permit_type.fee)},
            )
        )
    steps += [
        ServiceStep(_("Persetujuan"), _("Atasan yang berwenang")),
        ServiceStep(_("Penandatanganan dan penerbitan izin"), _("Kepala Dinas")),
    ]
    return steps
