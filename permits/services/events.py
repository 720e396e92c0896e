from permits.models import Application, ApplicationEvent
from permits.services.context import Actor


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
    """Append one event to the file's record (the only way events are written)."""
    fields = {"created_at": at} if at else {}
    return ApplicationEvent.objects.create(
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
