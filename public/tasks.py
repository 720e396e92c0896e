from celery import shared_task


@shared_task
def escalate_complaints() -> dict:
    from public.services.complaints import complaints_escalate

    return complaints_escalate()


@shared_task
def refresh_dashboard() -> int:
    from public.services.transparency import (
        dashboard_refresh,
    )

    return dashboard_refresh()
