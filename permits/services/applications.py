"""Creating files and moving them through their stages."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from simple_history.utils import bulk_create_with_history

from accounts.models import Role
from core.queue import enqueue_on_commit
from permits.assignment import least_loaded_officer, officer_may_take, supervisor_roles
from permits.details.spec import labels
from permits.details.values import details_clean
from permits.event_names import APPLICATION_ASSIGNED, APPLICATION_CREATED, APPLICATION_REASSIGNED
from permits.models import (
    Application,
    Channel,
    CheckStatus,
    DataCheck,
    DataStatus,
    PermitType,
    RequirementCheck,
    Stage,
)
from permits.models.stages import (
    APPLICANT_STAGES,
    EVENT_ACTIONS,
    QUEUE_TRANSITIONS,
    STAGE_ROLE,
)
from permits.numbering import registration_number_next
from permits.services.context import (
    STALE_MESSAGE,
    ActionRefused,
    Actor,
    ContactUnverified,
    HeldRefused,
    action_guards_check,
)
from permits.services.events import event_record, file_event, held_attempts_recorded
from permits.services.figures import figures_count
from permits.services.form_versions import form_version_current
from permits.services.notices import transition_notices
from permits.services.recommendations import recommendations_request
from places.selectors import gazetteer
from trail.seals import seal_history_bulk
from worktime.calendar import get_calendar

# Sent inside ``transition_fire``'s transaction once the file has moved, been recorded and
# routed, before the applicant is told: issuance bills a file entering awaiting_payment and
# numbers the permit of a signed one here. Arguments: application, name, from_state, actor, at.
# A receiver that raises ``ActionRefused`` undoes the whole transition.
transition_fired = Signal()

APPLICANT_FIELDS = (
    "applicant_name",
    "applicant_nik",
    "applicant_nib",
    "business_name",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "representative_name",
    "representative_nik",
)


@transaction.atomic
def application_create(
    *, permit_type: PermitType, actor: Actor, applicant=None, **applicant_fields
) -> Application:
    """A new draft file, online by its applicant, at the counter or by a partner system
    (the API) on their behalf.

    The file gets one requirement check per active requirement of its type. Counter staff
    create walk-in files (channel "counter"), a partner's account partner files; an
    applicant creates their own online file.
    """
    user = actor.user
    if user is None:
        raise PermissionDenied
    if not permit_type.active:
        raise ActionRefused(_("Jenis izin ini sedang tidak dilayani."))
    unknown = set(applicant_fields) - set(APPLICANT_FIELDS)
    if unknown:
        raise TypeError(f"unknown applicant fields: {sorted(unknown)}")
    if user.role == Role.COUNTER:
        channel = Channel.COUNTER
    elif user.role == Role.PARTNER:
        channel = Channel.PARTNER
    elif user.role == Role.APPLICANT:
        channel, applicant = Channel.ONLINE, user
    else:
        raise PermissionDenied(_("Hanya pemohon atau petugas loket yang dapat membuat berkas."))
    application = Application(
        permit_type=permit_type,
        form_version=form_version_current(permit_type),
        channel=channel,
        applicant=applicant,
        created_by=user,
        **applicant_fields,
    )
    application._history_user = user
    application.full_clean(exclude=["registration_number", "state"])
    application.save()
    checks = bulk_create_with_history(
        [
            RequirementCheck(application=application, requirement=requirement)
            for requirement in permit_type.requirements.filter(active=True)
        ],
        RequirementCheck,
        default_user=user,
    )
    seal_history_bulk(RequirementCheck, checks)  # bulk: no signal seals the history rows
    if application.form_spec:  # the counter's verdict on the type's own fields, to come
        data_check = DataCheck(application=application)
        data_check._history_user = user
        data_check.save()
    event_record(
        application=application,
        action=APPLICATION_CREATED,
        actor=actor,
        to_state=Stage.DRAFT,
        data={"channel": channel},
    )
    return application


# What an applicant may still change on their own draft (the NIK comes from the account).
DRAFT_EDITABLE = tuple(name for name in APPLICANT_FIELDS if name != "applicant_nik")


@transaction.atomic
def application_draft_update(
    *, application: Application, actor: Actor, details: dict | None = None, **fields
) -> Application:
    """Save what the applicant typed on their draft (saved as they go). ``details``, the
    whole document of the type's fields, is checked by the model as it is saved."""
    app = _locked(application)
    if app.state != Stage.DRAFT or not app.is_applicant(actor.user):
        raise PermissionDenied(_("Berkas ini tidak dapat diubah lagi."))
    unknown = set(fields) - set(DRAFT_EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if details is not None:
        fields["details"] = details
    changed = [name for name, value in fields.items() if getattr(app, name) != value]
    if not changed:
        return app
    for name in changed:
        setattr(app, name, fields[name])
    app._history_user = actor.user
    app.save(update_fields=changed)
    return app


def may_fill_details(app: Application, user) -> bool:
    """A draft's details are filled by whoever speaks for its applicant: the applicant, the
    counter for a walk-in, the partner system that filed it."""
    return app.state == Stage.DRAFT and app.speaks_for_applicant(user)


@transaction.atomic
def application_details_update(
    *, application: Application, actor: Actor, details: dict
) -> Application:
    """Replace the draft's details (its type's fields, ``permits.details``) as the applicant
    or, on a walk-in file, the counter fills them in; the model checks them as it saves."""
    app = _locked(application)
    user = actor.user
    if not may_fill_details(app, user):
        raise PermissionDenied(_("Berkas ini tidak dapat diubah lagi."))
    if app.details == details:
        return app
    app.details = details
    app._history_user = user
    app.save(update_fields=["details"])
    return app


def _locked(application: Application) -> Application:
    return (
        # of=("self",): only the file's row; locking its type and office too would queue
        # every transition of that office behind each other on PostgreSQL.
        Application.objects.select_for_update(of=("self",))
        .select_related("permit_type__opd")
        .get(pk=application.pk)
    )


@held_attempts_recorded
@transaction.atomic
def transition_fire(
    *,
    application: Application,
    name: str,
    actor: Actor,
    expected_state: str | None = None,
    note: str = "",
    data: dict | None = None,
    **kwargs,
) -> Application:
    """Fire transition ``name`` on the file, record it and route the file onwards.

    The row is locked and compared with the state the user saw (``expected_state``): a
    double click or two officers at once fire once; the other gets ``ActionRefused``.
    The returned file carries ``notice``: the outbox message that told the applicant (its
    channel, its kind), or None when this step tells them nothing.
    """
    app = _locked(application)
    if expected_state is not None and app.state != expected_state:
        raise ActionRefused(STALE_MESSAGE)
    if app.held_since is not None:
        raise HeldRefused(app.pk, actor, name)
    action_guards_check(app, actor.user, name)
    from_state, at = app.state, timezone.now()
    try:
        getattr(app, name)(by=actor.user, at=at, **kwargs)
    except TransitionNotAllowed as exc:
        raise ActionRefused(_("Tindakan ini tidak tersedia pada tahap berkas sekarang.")) from exc
    except ValidationError as exc:
        raise ActionRefused(" ".join(exc.messages)) from exc
    app._history_user = actor.user
    try:
        app.save()
    except ConcurrentTransition as exc:
        raise ActionRefused(STALE_MESSAGE) from exc
    if name in QUEUE_TRANSITIONS:
        # The file joined the counter's queue: its event keeps the check's deadline, so the
        # LATE rule judges the check from the history as it was.
        data = {**(data or {}), "check_due": app.check_due_at.isoformat()}
    event_record(
        application=app,
        action=EVENT_ACTIONS[name],
        actor=actor,
        from_state=from_state,
        to_state=app.state,
        note=note,
        data=data,
        at=at,
    )
    _route(app, actor, at)
    if app.state == Stage.TECHNICAL_REVIEW:
        recommendations_request(app, actor, at)
    figures_count(application=app, name=name, at=at)
    transition_fired.send(
        sender=Application, application=app, name=name, from_state=from_state, actor=actor, at=at
    )
    app.notice = transition_notices(app, name, from_state)
    return app


def _route(app: Application, actor: Actor, at) -> None:
    """Give the file to an officer of the stage it entered (keep the holder if eligible)."""
    role = STAGE_ROLE.get(app.state)
    if role is None:
        return
    holder = app.assigned_to
    if holder is not None and officer_may_take(holder, app):
        return
    officer = least_loaded_officer(app, app.state)
    _assign(app, officer, actor, at, reason="auto")


def _assign(app: Application, officer, actor: Actor, at, *, reason: str, note: str = "") -> None:
    previous = app.assigned_to
    app.assigned_to, app.assigned_at = officer, at
    app._history_user = actor.user
    app.save(update_fields=["assigned_to", "assigned_at"])
    file_event(
        application=app,
        action=APPLICATION_ASSIGNED if reason == "auto" else APPLICATION_REASSIGNED,
        actor=actor,
        note=note,
        data={
            "from": previous.pk if previous else None,
            "to": officer.pk if officer else None,
            "reason": reason,
        },
        at=at,
    )


@transaction.atomic
def application_submit(*, application: Application, actor: Actor, expected_state=None):
    """Submit a draft: it gets its registration number and goes to the counter's queue.

    An online file needs an applicant whose e-mail or phone is verified and a document for
    every mandatory requirement first.
    """
    app = _locked(application)
    if app.channel == Channel.ONLINE and not app.applicant.is_verified_contact:
        raise ContactUnverified
    if app.state != Stage.DRAFT:
        raise ActionRefused(STALE_MESSAGE)
    if app.channel != Channel.COUNTER:  # no paper at a counter: every mandatory scan first
        missing = [requirement.name for requirement in documents_wanting(app)]
        if missing:
            raise ActionRefused(
                _("Unggah dulu dokumen wajib: %(docs)s.") % {"docs": ", ".join(missing)}
            )
    wanting = details_wanting(app)
    if wanting:
        raise ActionRefused(
            _("Lengkapi dulu data permohonan: %(fields)s.") % {"fields": ", ".join(wanting)}
        )
    app.registration_number = registration_number_next()
    app._history_user = actor.user
    app.save(update_fields=["registration_number"])
    from permits.tasks import render_receipt

    enqueue_on_commit(render_receipt, app.pk)
    return transition_fire(
        application=app,
        name="submit",
        actor=actor,
        expected_state=expected_state,
        data={"number": app.registration_number},
    )


@held_attempts_recorded
@transaction.atomic
def application_resubmit(*, application: Application, actor: Actor, expected_state=None):
    """Send a returned file back to verification, once it is fixed.

    Every requirement found missing or invalid needs a new document whose content differs
    from every version found wanting (``checks_awaiting_replacement``); until then the
    file stays with the applicant and the refusal names what is still to replace.
    """
    from permits.services.checks import checks_awaiting_replacement

    app = _locked(application)
    if expected_state is not None and app.state != expected_state:
        raise ActionRefused(STALE_MESSAGE)
    if app.held_since is not None:  # said first: nothing else matters while it is held
        raise HeldRefused(app.pk, actor, "resubmit")
    app.authorize("resubmit", actor.user)
    waiting = checks_awaiting_replacement(application=app)
    if waiting:
        raise ActionRefused(
            _("Ganti dulu dokumen yang dikembalikan petugas: %(docs)s.")
            % {"docs": ", ".join(check.requirement.name for check in waiting)}
        )
    from permits.services.data_checks import data_wanting

    wanting = data_wanting(app)
    if wanting:
        raise ActionRefused(
            _("Perbaiki dulu data yang diminta petugas: %(fields)s.")
            % {"fields": ", ".join(wanting)}
        )
    return transition_fire(
        application=app, name="resubmit", actor=actor, expected_state=expected_state
    )


@held_attempts_recorded
@transaction.atomic
def application_return(
    *,
    application: Application,
    actor: Actor,
    findings: dict[int, tuple[str, str]],
    note: str = "",
    expected_state=None,
    data: tuple[str, list[str]] | None = None,
) -> Application:
    """Return the file to the applicant: ``findings`` maps check ids to (status, note), and
    ``data``, (note, fields), names the fields of its details to correct.

    Each finding must be "missing" or "invalid" and carry a note telling the applicant
    what to fix; the applicant then has N working days (setting) to complete the file.
    """
    app = _locked(application)
    if expected_state is not None and app.state != expected_state:
        raise ActionRefused(STALE_MESSAGE)
    if app.held_since is not None:
        raise HeldRefused(app.pk, actor, "return_to_applicant")
    app.authorize("return_to_applicant", actor.user)
    if not findings and not data:
        raise ActionRefused(_("Sebutkan persyaratan yang kurang atau tidak sah."))
    from permits.services.checks import check_update, verdict_unchanged
    from permits.services.data_checks import data_check_update

    if data:
        data_note, fields = data
        data_check_update(
            application=app,
            status=DataStatus.WRONG,
            note=data_note,
            fields=fields,
            actor=actor,
            locked=True,
        )

    for check_id, (status, check_note) in findings.items():
        if status not in {CheckStatus.MISSING, CheckStatus.INVALID} or not check_note.strip():
            raise ActionRefused(
                _(
                    "Setiap persyaratan yang dikembalikan harus berstatus kurang atau tidak sah, "
                    "dengan catatan untuk pemohon."
                )
            )
        check = app.checks.get(pk=check_id)
        if verdict_unchanged(check, status, check_note):
            continue  # already saved from the checklist: no second verdict in the record
        check_update(check=check, status=status, note=check_note, actor=actor, application=app)
    deadline = get_calendar().add_working_days(
        timezone.now(), settings.RETURNED_EXPIRY_WORKING_DAYS
    )
    return transition_fire(
        application=app,
        name="return_to_applicant",
        actor=actor,
        note=note,
        applicant_deadline=deadline,
        data={"returned_checks": sorted(findings)} | ({"returned_data": data[1]} if data else {}),
    )


@transaction.atomic
def application_reassign(
    *, application: Application, officer, actor: Actor, reason: str
) -> Application:
    """A supervisor (or the head of office) hands the file to another eligible officer."""
    app = _locked(application)
    if actor.user is None or actor.user.role not in supervisor_roles():
        raise PermissionDenied(_("Hanya atasan yang dapat memindahkan berkas."))
    if app.is_applicant(actor.user):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini pada berkas ini."))
    if not reason.strip():
        raise ActionRefused(_("Tuliskan alasan pemindahan berkas."))
    if STAGE_ROLE.get(app.state) is None:
        raise ActionRefused(_("Berkas pada tahap ini tidak ditangani petugas."))
    if not officer_may_take(officer, app):
        raise ActionRefused(_("Petugas ini tidak dapat menangani berkas ini."))
    if officer.pk == app.assigned_to_id:
        raise ActionRefused(_("Berkas sudah ditangani petugas ini."))
    _assign(app, officer, actor, timezone.now(), reason="supervisor", note=reason.strip())
    return app


EXPIRY_NOTES = {
    Stage.RETURNED: gettext_lazy("Berkas tidak dilengkapi pemohon dalam batas waktu."),
    Stage.AWAITING_PAYMENT: gettext_lazy("Retribusi tidak dibayar sampai jatuh tempo."),
}


def applications_expire_overdue(*, now=None) -> int:
    """Expire files left waiting on their applicant past the deadline (periodic task):
    returned and not completed; awaiting payment and unpaid past the bill's due date, when
    ``UNPAID_BILL_EXPIRES_FILE`` is on.

    Each file in its own transaction, through the same transition as any other act, so
    the event log shows the system expired it; a file resubmitted or paid meanwhile is skipped.
    """
    now = now or timezone.now()
    stages = APPLICANT_STAGES if settings.UNPAID_BILL_EXPIRES_FILE else {Stage.RETURNED}
    overdue = Application.objects.filter(
        state__in=sorted(stages), applicant_deadline__lt=now
    ).values_list("pk", "state")
    expired = 0
    for pk, state in list(overdue):
        try:
            transition_fire(
                application=Application(pk=pk),
                name="expire",
                actor=Actor.system(),
                expected_state=state,
                note=str(EXPIRY_NOTES[state]),
            )
        except ActionRefused:
            continue
        expired += 1
    return expired


def documents_wanting(app: Application) -> list:
    """The mandatory requirements the file has no document for yet, in their order (two
    queries however many)."""
    filed = set(app.documents.values_list("requirement_id", flat=True))
    return [
        check.requirement
        for check in app.checks.select_related("requirement").filter(requirement__mandatory=True)
        if check.requirement_id not in filed
    ]


def details_wanting(app: Application) -> list[str]:
    """The labels of the file's fields that are missing or wrong, for submission."""
    cleaned = details_clean(app.form_spec, app.details, places=gazetteer(), complete=True)
    return labels(app.form_spec, cleaned.errors, get_language() or "id")
