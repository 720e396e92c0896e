from celery import shared_task


@shared_task
def escalate_overdue_cases() -> int:
    from integrity.conflicts.services.cases import escalate_overdue_cases as run

    return run()


@shared_task
def send_register_reminders() -> int:
    from integrity.conflicts.services.register import register_reminders_send

    return register_reminders_send()


@shared_task
def evaluate_flags(event_id: int) -> int:
    from integrity.inspection.flags.engine import flags_for_event

    return flags_for_event(event_id)


@shared_task
def sweep_flags() -> int:
    from integrity.inspection.flags.engine import flags_sweep

    return flags_sweep().raised


@shared_task
def render_monev(month: str | None = None, requested_by: int | None = None) -> str:
    """The monev report of ``month`` (YYYY-MM-DD, any day of it; default: last month)."""
    import datetime

    from accounts.models import User
    from integrity.inspection.selectors.monev import previous_month
    from integrity.inspection.services.monev import monev_render

    day = datetime.date.fromisoformat(month) if month else previous_month()
    user = User.objects.filter(pk=requested_by).first() if requested_by else None
    return monev_render(day, requested_by=user).pdf_sha256
