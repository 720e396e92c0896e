"""Messages inside a file between the applicant and the office, on the record."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role
from outbox.services import message_queue
from permits.models import Application, FileMessage
from permits.selectors import applications_visible_to
from permits.services.context import ActionRefused, Actor
from permits.services.events import event_record
from permits.services.notices import applicant_notify

MAX_LENGTH = 2000


def may_post(application: Application, user) -> bool:
    """The file's applicant, and office staff who may see the file (auditors only read)."""
    if user is None or not user.is_authenticated:
        return False
    if application.is_applicant(user):
        return True
    if user.role in {Role.APPLICANT, Role.AUDITOR}:
        return False
    return applications_visible_to(user).filter(pk=application.pk).exists()


@transaction.atomic
def file_message_post(*, application: Application, actor: Actor, body: str) -> FileMessage:
    """Post a message in the file's thread and tell the other side: the officer in charge
    (inside Terang and by their channel), or the applicant. The message carries ``notice``,
    the outbox message that told them (None if nobody could be told)."""
    user = actor.user
    if not may_post(application, user):
        raise PermissionDenied(_("Anda tidak dapat mengirim pesan pada berkas ini."))
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
        action="message.posted",
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
