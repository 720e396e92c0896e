"""A colleague's report of a suspected conflict of interest on a file they do not hold.

Only the officer holding a file, and officers who acted on it, declare a conflict (which
holds the file at once: ``integrity.conflicts.services.declarations.file_declare``). Anyone else in
the office who sees the file reports a suspicion instead: to the supervisor of the officer
concerned (one level higher when that officer is a supervisor; the inspectorate when it is
the head of office or nobody stands above them), or straight to the inspectorate. A report
holds nothing; the supervisor or auditor it reaches may open a case, which holds the file.

Who sees a report: its reporter, its recipient and the inspectorate; never the officer it
is about. Only the inspectorate sees who reported it (as with complaints).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from integrity.conflicts.models import (
    Suspicion,
    SuspicionRoute,
)
from integrity.conflicts.services.cases import (
    _auditors,
    _one_level_above,
    _reviewer_for,
    file_officers,
)
from integrity.conflicts.services.declarations import DECLARING_ROLES
from outbox.services import contact_for, message_queue
from permits.event_names import INTEGRITY_SUSPICION_REPORTED
from permits.models import Application
from permits.services.context import ActionRefused, Actor
from permits.services.events import file_event

# The event on the file (``permits.event_names``) and the outbox message to the recipient.
SUSPICION_REPORTED = INTEGRITY_SUSPICION_REPORTED
NOTICE_KIND = "integrity.suspicion_reported"


def may_report_suspicion(app: Application, user) -> bool:
    """Office staff who may see the file (the view checks that) report a suspicion."""
    return user is not None and user.is_active and user.role in DECLARING_ROLES


def suspicion_officers(app: Application, reporter, officers=None) -> list[User]:
    """Whom a report may be about: who holds or acted on the file (``officers`` when the
    caller has them already), the reporter aside."""
    officers = file_officers(app) if officers is None else officers
    return [officer for officer in officers if officer.pk != reporter.pk]


def _recipient(app: Application, reporter, officer) -> User | None:
    """The supervisor a report goes to: the officer's (one level above a supervisor), or
    when no officer is named the holder's, else the reporter's own; None when that would
    be the head named or nobody (the inspectorate takes it then)."""
    concerned = officer or (app.assigned_to if app.assigned_to_id != reporter.pk else None)
    if concerned is None:
        recipient = _reviewer_for(reporter)
    elif concerned.role == Role.HEAD:
        return None
    elif concerned.role == Role.SUPERVISOR:
        recipient = _one_level_above(concerned, officer=concerned)
    else:
        recipient = _reviewer_for(concerned)
    if recipient is None or recipient.pk in {reporter.pk, getattr(officer, "pk", None)}:
        return None
    return recipient


@transaction.atomic
def suspicion_report(
    *, application: Application, actor: Actor, route: str, description: str, officer=None
) -> Suspicion:
    """Record the report, tell its recipient (through the outbox) and leave an event on the
    file that only those who may see the report see (``suspicion_event_visible``)."""
    user = actor.user
    if not may_report_suspicion(application, user):
        raise PermissionDenied
    if route not in SuspicionRoute.values or not description.strip():
        raise ActionRefused(_("Pilih kepada siapa laporan ditujukan dan tuliskan dugaannya."))
    if officer is not None and officer.pk not in {
        o.pk for o in suspicion_officers(application, user)
    }:
        raise ActionRefused(_("Pilih petugas yang memegang atau pernah memproses berkas ini."))
    recipient = None
    if route == SuspicionRoute.SUPERVISOR:
        recipient = _recipient(application, user, officer)
        if recipient is None:
            route = SuspicionRoute.INSPECTORATE
    suspicion = Suspicion.objects.create(
        application=application,
        reporter=user,
        officer=officer,
        route=route,
        recipient=recipient,
        description=description.strip(),
    )
    file_event(
        application=application,
        action=SUSPICION_REPORTED,
        actor=actor,
        data={"suspicion": str(suspicion.public_id)},
    )
    for person in [recipient] if recipient else _auditors().exclude(pk=getattr(officer, "pk", 0)):
        message_queue(
            kind=NOTICE_KIND,
            context={
                "suspicion": suspicion,
                "application": application,
                "site_url": settings.SITE_URL,
            },
            contact=contact_for(person),
            application=None,
        )
    return suspicion
