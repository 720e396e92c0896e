"""The affiliation register: each officer's declared relatives, businesses and
ties, renewed yearly, and the reminders to renew it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import responsible_staff
from integrity.conflicts.models import (
    Affiliation,
    AffiliationDeclaration,
)
from integrity.conflicts.services.matches import matches_refresh
from outbox.services import contact_for, message_queue
from permits.models import FINAL_STAGES, Application
from permits.services.context import Actor


def register_current(officer) -> AffiliationDeclaration | None:
    return officer.affiliation_declarations.order_by("-version").first()


@transaction.atomic
def register_declare(
    *, officer: User, items: Iterable[dict], note: str = "", actor: Actor
) -> AffiliationDeclaration:
    """A new version of ``officer``'s register (the old ones stay); open files are matched
    against it at once."""
    if actor.user is None or actor.user.pk != officer.pk:
        raise PermissionDenied(_("Register afiliasi hanya dapat dinyatakan oleh petugasnya."))
    items = [item for item in items if item.get("name", "").strip()]
    last = officer.affiliation_declarations.aggregate(v=Max("version"))["v"] or 0
    declaration = AffiliationDeclaration.objects.create(
        officer=officer,
        version=last + 1,
        renew_by=timezone.localdate() + datetime.timedelta(days=settings.AFFILIATION_RENEWAL_DAYS),
        note=note.strip(),
        nothing_to_declare=not items,
    )
    Affiliation.objects.bulk_create(
        Affiliation(declaration=declaration, **{k: (v or "").strip() for k, v in item.items()})
        for item in items
    )
    for app in Application.objects.exclude(state__in=sorted(FINAL_STAGES)):  # drafts too
        matches_refresh(app, officers=[officer])
    return declaration


def registers_overdue(officers) -> list[tuple[User, AffiliationDeclaration | None]]:
    """Staff among ``officers`` whose register is missing or past its renewal date."""
    today = timezone.localdate()
    latest = {
        d.officer_id: d
        for d in AffiliationDeclaration.objects.filter(officer__in=officers).order_by(
            "officer_id", "version"
        )
    }
    return [
        (officer, latest.get(officer.pk))
        for officer in officers
        if officer.pk not in latest or latest[officer.pk].renew_by < today
    ]


REMIND_BEFORE = datetime.timedelta(days=30)


def register_reminders_send(now=None) -> int:
    """Periodic: staff whose register is due within a month, overdue or missing are reminded,
    once per register version (once a month for those who never declared)."""
    from outbox.models import Message

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    sent = 0
    for officer, declaration in registers_overdue(list(responsible_staff())) + _due_soon(today):
        since = declaration.declared_at if declaration else now - REMIND_BEFORE
        reminded = Message.objects.filter(
            recipient=officer, kind="integrity.register_renewal", created_at__gte=since
        ).exists()
        if reminded:
            continue
        message_queue(
            kind="integrity.register_renewal",
            context={"declaration": declaration, "site_url": settings.SITE_URL},
            contact=contact_for(officer),
        )
        sent += 1
    return sent


def _due_soon(today) -> list[tuple[User, AffiliationDeclaration]]:
    latest = {}
    for declaration in AffiliationDeclaration.objects.select_related("officer").order_by(
        "officer_id", "version"
    ):
        latest[declaration.officer_id] = declaration
    return [
        (d.officer, d)
        for d in latest.values()
        if today <= d.renew_by <= today + REMIND_BEFORE and d.officer.is_active
    ]
