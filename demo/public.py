"""The demo's public-accountability story: survey answers for most ended files (one
reporting an illegal fee), and three complaints (about a late file's unit, about the
counter officer who served it, and an anonymous one about money, which only the
inspectorate sees)."""

from __future__ import annotations

import random

from accounts.models import User
from permits.models import Application
from public.models import (
    Complaint,
    ComplaintCategory,
    ComplaintSubject,
    SurveyInvitation,
)
from public.models.survey import ELEMENT_FIELDS, INTEGRITY_FIELDS
from public.services.complaints import complaint_forward, complaint_submit
from public.services.survey import invitation_answer


def demo_survey_seed() -> int:
    """Answer four in five open invitations, mostly satisfied; the first one reports money."""
    rng = random.Random(8)
    answered = 0
    invitations = SurveyInvitation.objects.filter(used_at__isnull=True).select_related(
        "application__permit_type__opd"
    )
    for i, invitation in enumerate(invitations.order_by("pk")):
        if rng.random() < 0.2:
            continue
        invitation_answer(
            invitation=invitation,
            scores={field: rng.choice((2, 3, 3, 4, 4, 4)) for field in ELEMENT_FIELDS},
            integrity={field: i == 0 and field == "asked_money" for field in INTEGRITY_FIELDS},
            now=invitation.application.finished_at,
        )
        answered += 1
    return answered


def demo_complaints_seed() -> int:
    if Complaint.objects.exists():
        return 0
    late = Application.objects.filter(finished_late=True).order_by("pk").first() or (
        Application.objects.exclude(submitted_at=None).order_by("pk").first()
    )
    counter = User.objects.get(username="loket")
    supervisor = User.objects.get(username="atasan")
    made = 0
    if late is not None:
        complaint_submit(
            subject=ComplaintSubject.FILE,
            category=ComplaintCategory.DELAY,
            description="Izin saya sudah lewat batas waktu SOP dan belum ada kabar dari petugas.",
            application=late,
            complainant=late.applicant,
        )
        made += 1
    complaint, _code = complaint_submit(
        subject=ComplaintSubject.OFFICER,
        category=ComplaintCategory.IMPROPER,
        description="Petugas loket berbicara kasar ketika saya menanyakan kekurangan berkas.",
        officer=counter,
        contact_name="Rina Marlina",
        contact_email="rina@demo.terang.invalid",
    )
    complaint_forward(complaint=complaint, by=supervisor, note="Akan saya klarifikasi.")
    complaint_submit(
        subject=ComplaintSubject.SERVICE,
        category=ComplaintCategory.MONEY,
        description="Saya diminta uang Rp500.000 agar izin cepat selesai, di luar retribusi.",
        anonymous=True,
    )
    return made + 2
