from celery import shared_task


@shared_task
def record_chain_day() -> str:
    """Record yesterday's closing head of the event chain (idempotent)."""
    from trail.services import chain_day_record

    return chain_day_record().day.isoformat()
