from celery import shared_task


@shared_task
def record_chain_day() -> str:
    """Record yesterday's closing head of the event chain (idempotent)."""
    from trail.services import chain_day_record

    return chain_day_record().day.isoformat()


@shared_task
def record_chain_anchor() -> str:
    """Record and mail this hour's anchor of both chains (idempotent)."""
    from trail.anchors import anchor_record

    return anchor_record().at.isoformat()
