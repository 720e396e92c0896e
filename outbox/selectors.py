"""What a person reads of their own messages: the inbox and its unread count (never the
private kinds, one-time codes)."""

from outbox.models import PRIVATE_KINDS, Message


def _own_messages(user):
    messages = Message.objects.filter(recipient=user)
    for prefix in PRIVATE_KINDS:
        messages = messages.exclude(kind__startswith=prefix)
    return messages


def inbox_for(user):
    return _own_messages(user).select_related("application")


def unread_count(user) -> int:
    return _own_messages(user).filter(read_at__isnull=True).count()
