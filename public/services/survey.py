"""The satisfaction survey's writes: a finished file invites its applicant (one token,
stored as its digest), and an invitation is answered once, before it expires."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.inspection.flags.engine import flag_raise
from outbox.services import message_queue
from permits.models import Application, Stage
from permits.services.notices import applicant_contact
from public.models import SurveyInvitation, SurveyResponse
from public.models.survey import ELEMENT_FIELDS, INTEGRITY_FIELDS, INTEGRITY_QUESTIONS

# left by the applicant, who has little to rate).
SURVEYED_ENDS = frozenset({Stage.ISSUED, Stage.REJECTED})


class SurveyRefused(Exception):
    """Why an answer cannot be taken: ``reason`` is "unknown", "used", "expired" or
    "invalid" (the page chooses its status by it), ``message`` is for the respondent."""

    def __init__(self, message: str, reason: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


# --- invitations ----------------------------------------------------------------------------


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def survey_invite(*, application: Application, now=None) -> str | None:
    """Invite the applicant of an ended file, once, through the outbox (inside the caller's
    transaction). Returns the link's token, or None when already invited or unreachable."""
    if application.state not in SURVEYED_ENDS:
        return None
    contact = applicant_contact(application)
    if contact is None:
        return None
    now = now or timezone.now()
    token = secrets.token_urlsafe(24)
    _invitation, created = SurveyInvitation.objects.get_or_create(
        application=application,
        defaults={
            "token_hash": token_digest(token),
            "created_at": now,
            "expires_at": now + datetime.timedelta(days=settings.SURVEY_VALID_DAYS),
        },
    )
    if not created:
        return None
    message_queue(
        kind="survey.invitation",
        contact=contact,
        application=application,
        context={
            "application": application,
            "url": settings.SITE_URL + reverse("survey:answer", args=[token]),
            "valid_days": settings.SURVEY_VALID_DAYS,
        },
    )
    return token


def invitation_for(token: str, *, now=None) -> SurveyInvitation:
    """The open invitation behind ``token``, or ``SurveyRefused`` saying why not."""
    invitation = (
        SurveyInvitation.objects.select_related("application__permit_type__opd")
        .filter(token_hash=token_digest(token or ""))
        .first()
    )
    if invitation is None:
        raise SurveyRefused(
            _("Tautan survei tidak dikenal. Periksa kembali tautan di pesan Anda."), "unknown"
        )
    if invitation.used_at is not None:
        raise SurveyRefused(_("Survei untuk berkas ini sudah diisi. Terima kasih."), "used")
    if (now or timezone.now()) > invitation.expires_at:
        raise SurveyRefused(_("Tautan survei ini sudah tidak berlaku."), "expired")
    return invitation


@transaction.atomic
def survey_answer(
    *, token: str, scores: dict[str, int], integrity: dict[str, bool], comment: str = "", now=None
) -> SurveyResponse:
    """The answers behind a survey link (``invitation_answer``)."""
    now = now or timezone.now()
    return invitation_answer(
        invitation=invitation_for(token, now=now),
        scores=scores,
        integrity=integrity,
        comment=comment,
        now=now,
    )


@transaction.atomic
def invitation_answer(
    *,
    invitation: SurveyInvitation,
    scores: dict[str, int],
    integrity: dict[str, bool],
    comment: str = "",
    now=None,
) -> SurveyResponse:
    """Store the answers once (a conditional update claims the invitation, so a double
    submit stores one), and raise a SURVEY flag for the inspectorate when an integrity
    question was answered "yes"."""
    now = now or timezone.now()
    if set(scores) != set(ELEMENT_FIELDS) or not all(
        type(v) is int and 1 <= v <= 4 for v in scores.values()
    ):
        raise SurveyRefused(_("Beri nilai 1 sampai 4 untuk setiap unsur."))
    if set(integrity) != set(INTEGRITY_FIELDS) or not all(
        isinstance(v, bool) for v in integrity.values()
    ):
        raise SurveyRefused(_("Jawab setiap pertanyaan integritas."))
    claimed = SurveyInvitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
        used_at=now
    )
    if not claimed:
        raise SurveyRefused(_("Survei untuk berkas ini sudah diisi. Terima kasih."), "used")
    app = invitation.application
    response = SurveyResponse.objects.create(
        application=app,
        unit=app.permit_type.opd,
        permit_type=app.permit_type,
        answered_at=now,
        comment=comment.strip(),
        **scores,
        **integrity,
    )
    if response.reports_integrity_breach:
        reported = [str(q) for name, q in INTEGRITY_QUESTIONS if integrity[name]]
        flag_raise(
            rule="SURVEY",
            key=str(response.pk),
            occurred_at=now,
            application=app,
            detail={
                "summary": "; ".join(reported),
                "answers": [f for f in INTEGRITY_FIELDS if integrity[f]],
            },
        )
    return response
