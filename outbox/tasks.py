from celery import shared_task

from outbox.services import messages_deliver


@shared_task
def deliver_messages() -> int:
    """Deliver pending messages (after each commit, and every minute as a sweep)."""
    return messages_deliver()
