import functools
import threading

from django.db import transaction

from permits.event_names import INTEGRITY_HELD_ATTEMPT
from permits.models import Application, ApplicationEvent
from permits.services.context import Actor, HeldRefused
from trail.chain import chain_append


def event_record(
    *,
    application: Application,
    action: str,
    actor: Actor,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict | None = None,
    at=None,
) -> ApplicationEvent:
    """Append one event to the file's record (the only way events are written), as the
    next link of the event chain: see ``trail.chain.chain_append`` for the lock it holds
    until the caller's transaction commits."""
    fields = {"created_at": at} if at else {}
    event = ApplicationEvent(
        application=application,
        action=action,
        actor=actor.user,
        actor_role=actor.role,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
        ip_address=actor.ip,
        user_agent=actor.user_agent,
        **fields,
    )
    return chain_append(event)


def file_event(
    *, application: Application, action: str, actor: Actor, note: str = "", data=None, at=None
) -> ApplicationEvent:
    """An event that does not move the file: it happened in the file's current stage."""
    stage = application.state
    return event_record(
        application=application,
        action=action,
        actor=actor,
        from_state=stage,
        to_state=stage,
        note=note,
        data=data,
        at=at,
    )


def held_attempts_recorded(service):
    """Record a refused attempt to act on a held file (``HeldRefused``) as an
    ``integrity.held_attempt`` event: the refusal rolls the service's own transaction back,
    so the record is written after it, by the outermost decorated call."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        depth = getattr(_calls, "depth", 0)
        _calls.depth = depth + 1
        try:
            return service(*args, **kwargs)
        except HeldRefused as refused:
            if depth == 0:
                with transaction.atomic():
                    file_event(
                        application=Application.objects.get(pk=refused.application_id),
                        action=INTEGRITY_HELD_ATTEMPT,
                        actor=refused.actor,
                        data={"action": refused.action},
                    )
            raise
        finally:
            _calls.depth = depth

    return wrapper


_calls = threading.local()
