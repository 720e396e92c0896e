"""Messages inside a file between the applicant and the office, on the record.

The applicant writes on their own file at any time. In the office, only the officer
holding the file and those above them (their supervisors, up the line, and the head of
office) write to the applicant, and a message passes the same guards as a step: nothing
while the file is held for a conflict-of-interest review, and nothing from the holder
before their declaration on the file (``permits.services.context.action_guards_check``).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from outbox.services import message_queue
from permits.event_names import MESSAGE_POSTED
from permits.models import Application, FileMessage
from permits.selectors.backoffice import applications_visible_to
from permits.services.context import ActionRefused, Actor, HeldRefused, action_guards_check
from permits.services.events import event_record, held_attempts_recorded
from permits.services.notices import applicant_notify

MAX_LENGTH = 2000
# How far up the line of supervisors a holder's "supervisors" reach.
LINE_DEPTH = 6

HELD_MESSAGE = gettext_lazy(
    "Berkas ini sedang ditahan untuk pemeriksaan konflik kepentingan: kantor tidak mengirim "
    "pesan kepada pemohon sampai penahanan dicabut."
)


def _line_above(user) -> set[int]:
    """The ids of ``user``'s supervisors, up the line (one query per level)."""
    ids, current = set(), user.supervisor_id
    while current and current not in ids and len(ids) < LINE_DEPTH:
        ids.add(current)
        current = User.objects.filter(pk=current).values_list("supervisor_id", flat=True).first()
    return ids


def may_write(application: Application, user) -> bool:
    """Who writes in the file's thread at all: its applicant; in the office, the holder and
    their supervisors (the head of office included) among those who may see the file; with
    nobody holding it, the supervisors and the head. Auditors, cashiers and administrators
    read only."""
    if user is None or not user.is_authenticated:
        return False
    if application.is_applicant(user):
        return True
    if user.role not in {Role.COUNTER, Role.TECHNICAL, Role.SUPERVISOR, Role.HEAD}:
        return False
    if not applications_visible_to(user).filter(pk=application.pk).exists():
        return False
    if user.role == Role.HEAD:
        return True
    holder = application.assigned_to
    if holder is None:
        return user.role == Role.SUPERVISOR
    return user.pk == holder.pk or user.pk in _line_above(holder)


def post_refusal(application: Application, user) -> str:
    """Why someone who may write cannot post now ("" when they can): the hold, or a
    declaration still owed on the file."""
    if application.is_applicant(user):
        return ""
    if application.held_since is not None:
        return str(HELD_MESSAGE)
    try:
        action_guards_check(application, user, "message")
    except ActionRefused as refused:
        return str(refused.message)
    return ""


def may_post(application: Application, user) -> bool:
    return may_write(application, user) and not post_refusal(application, user)


@held_attempts_recorded
@transaction.atomic
def file_message_post(*, application: Application, actor: Actor, body: str) -> FileMessage:
    """Post a message in the file's thread and tell the other side: the officer in charge
    (inside Terang and by their channel), or the applicant. The message carries ``notice``,
    the outbox message that told them (None if nobody could be told)."""
    user = actor.user
    if not may_write(application, user):
        raise PermissionDenied(_("Anda tidak dapat mengirim pesan pada berkas ini."))
    if not application.is_applicant(user):
        application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        if application.held_since is not None:
            raise HeldRefused(application.pk, actor, "message", message=HELD_MESSAGE)
        action_guards_check(application, user, "message")
    body = body.strip()
    if not body:
        raise ActionRefused(_("Tulis pesan Anda."))
    if len(body) > MAX_LENGTH:
        raise ActionRefused(_("Pesan terlalu panjang (paling banyak 2000 huruf)."))
    message = FileMessage.objects.create(
        application=application, author=user, author_role=user.role, body=body
    )
    event_record(
        application=application,
        action=MESSAGE_POSTED,
        actor=actor,
        data={"message": message.pk},
    )
    message.notice = None
    if message.from_applicant:
        if application.assigned_to_id:
            message.notice = message_queue(
                recipient=application.assigned_to,
                kind="file.message_to_office",
                context={"application": application, "message": message},
                application=application,
            )
    else:
        message.notice = applicant_notify(application, "file.message_to_applicant", message=message)
    return message
