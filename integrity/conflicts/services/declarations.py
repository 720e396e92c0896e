"""The per-file declaration: an officer declares, before acting on a file, that
they have no conflict of interest in it, or that they have one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import RESPONSIBLE_ROLES, STAFF_ROLES
from integrity.conflicts.models import (
    CaseOrigin,
    ConflictSource,
    FileDeclaration,
)
from integrity.conflicts.services.cases import case_open
from permits.event_names import (
    INTEGRITY_DECLARED_CLEAR,
    INTEGRITY_DECLARED_CONFLICT,
)
from permits.models import Application
from permits.services.context import ActionRefused, Actor
from permits.services.events import file_event
from permits.services.recommendations import (
    DRAFT,
    RECOMMENDATION_ACTIONS,
    recommendation_actor,
)
from permits.services.site_visit_reports import TEAM_ACTIONS as VISIT_TEAM_ACTIONS
from permits.services.site_visit_reports import visit_team_actor

# Staff who declare (registers, conflicts on files): everyone in the office but the
# administrator of the system.
DECLARING_ROLES = RESPONSIBLE_ROLES


# The acts on a file by someone other than its holder that need a declaration first: an
# agency's recommendation (its officer, its supervisor), a site visit's report (each
# officer of the team).
CO_ACTIONS = RECOMMENDATION_ACTIONS | VISIT_TEAM_ACTIONS


def declaration_needed(app: Application, user, action: str = "") -> bool:
    """The officer holding the file, or acting on it beside its holder (``CO_ACTIONS``),
    has not declared on it yet."""
    if user is None or user.role not in STAFF_ROLES:
        return False
    # Someone with no such act to do is refused by the act itself, in its own words.
    acting = app.assigned_to_id == user.pk or (action in CO_ACTIONS and co_actor(app, user))
    return acting and not FileDeclaration.objects.filter(application=app, officer=user).exists()


def co_actor(app: Application, user) -> bool:
    """``user`` has an act on the file beside its holder waiting: a recommendation to draft
    or sign off, a site visit's photos to add or its report to sign."""
    return recommendation_actor(app, user) or visit_team_actor(app, user)


def declaration_due(app: Application, user) -> bool:
    """What the file page asks ``user`` to declare first: as the file's holder, as an
    agency's officer or supervisor with a recommendation of the file to give, or as an
    officer of a site visit's team with its report to sign."""
    if declaration_needed(app, user):
        return True
    return co_actor(app, user) and declaration_needed(app, user, DRAFT)


def declaration_guard(app: Application, user, action: str) -> None:
    """No declaration, no action (registered with permits' action guards)."""
    if declaration_needed(app, user, action):
        raise ActionRefused(
            _(
                "Nyatakan dulu ada atau tidaknya konflik kepentingan Anda pada berkas ini "
                "sebelum memprosesnya."
            )
        )


def acted_on(app: Application, user) -> bool:
    """``user`` did file work on ``app`` (a step, a check, an upload, a payment): the
    integrity record itself (declarations, cases, refused attempts) does not count."""
    return app.events.filter(actor=user).exclude(action__startswith="integrity.").exists()


def may_declare_conflict(app: Application, user, officers=None) -> bool:
    """The officer holding the file, and officers who acted on it, declare a conflict of
    their own (which holds the file). Anyone else reports a suspicion to a supervisor or
    the inspectorate (``integrity.conflicts.services.suspicions``), who may open a case.
    ``officers``: the file's ``file_officers`` when the caller has them already."""
    if user is None or not user.is_active or user.role not in DECLARING_ROLES or app.is_final:
        return False
    if app.assigned_to_id == user.pk or co_actor(app, user):
        return True
    if officers is not None:
        return any(officer.pk == user.pk for officer in officers)
    return acted_on(app, user)


@transaction.atomic
def file_declare(
    *,
    application: Application,
    actor: Actor,
    has_conflict: bool,
    nature: str = "",
    source: str = "",
    pressure_from: str = "",
    related_party: str = "",
    description: str = "",
) -> FileDeclaration:
    """The officer's declaration on a file; a conflict opens a case and holds the file.

    "No conflict" is declared once per officer and file: a second one (a double click, six
    at once) returns the first and records nothing (the file's row lock serialises them, a
    unique constraint backs it)."""
    user = actor.user
    app = Application.objects.select_for_update().get(pk=application.pk)
    if user is None or user.role not in DECLARING_ROLES:
        raise PermissionDenied
    if app.assigned_to_id != user.pk and not has_conflict and not co_actor(app, user):
        raise ActionRefused(_("Hanya petugas yang memegang berkas menyatakan tidak ada konflik."))
    if has_conflict and not may_declare_conflict(app, user):
        raise ActionRefused(
            _(
                "Hanya petugas yang memegang atau pernah memproses berkas ini yang menyatakan "
                "konflik kepentingan. Laporkan dugaan Anda kepada atasan atau Inspektorat."
            )
        )
    if has_conflict and not (source and nature and description.strip()):
        raise ActionRefused(
            _("Sebutkan sifat, sumber dan uraian konflik kepentingan, serta pihak terkait.")
        )
    if has_conflict and source == ConflictSource.PRESSURE and not pressure_from:
        raise ActionRefused(_("Sebutkan dari siapa tekanan itu datang."))
    if not has_conflict and (clear := _clear_declaration(app, user)):
        return clear
    try:
        with transaction.atomic():
            declaration = FileDeclaration.objects.create(
                application=app,
                officer=user,
                stage=app.state,
                has_conflict=has_conflict,
                nature=nature if has_conflict else "",
                source=source if has_conflict else "",
                pressure_from=pressure_from
                if has_conflict and source == ConflictSource.PRESSURE
                else "",
                related_party=related_party.strip() if has_conflict else "",
                description=description.strip() if has_conflict else "",
            )
    except IntegrityError:
        if has_conflict or not (clear := _clear_declaration(app, user)):
            raise
        return clear
    file_event(
        application=app,
        action=INTEGRITY_DECLARED_CONFLICT if has_conflict else INTEGRITY_DECLARED_CLEAR,
        actor=actor,
        data={"declaration": declaration.pk} if has_conflict else None,
    )
    if has_conflict:
        case_open(
            application=app,
            officer=user,
            actor=actor,
            origin=CaseOrigin.DECLARATION,
            note=description,
            declaration=declaration,
        )
    return declaration


def _clear_declaration(app: Application, user) -> FileDeclaration | None:
    return FileDeclaration.objects.filter(application=app, officer=user, has_conflict=False).first()
