"""Sending work to Celery without letting a broker outage reach the user.

Everything Terang enqueues is recoverable: messages wait in the outbox for the sweep,
a receipt is asked for again when it is downloaded. So a refused connection to the broker
is logged and the request carries on; it never turns a committed change into an error page.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)


def enqueue(task, *args, countdown: float | None = None, **kwargs) -> bool:
    """Send ``task`` now (to run ``countdown`` seconds later, if given); False (and a
    warning) if the broker cannot be reached."""
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False, countdown=countdown)
    except (BrokerError, OSError) as exc:
        logger.warning("Broker unreachable, %s not sent now: %s", task.name, exc)
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send ``task`` once the current transaction commits (never if it rolls back)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
