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


@shared_task
def refresh_dashboard_period(key: str) -> str:
    """One period's snapshot, asked for by a page that found it stale or missing."""
    from public.selectors.transparency import period_parse
    from public.services.transparency import dashboard_store

    return str(dashboard_store(period_parse(key)))
