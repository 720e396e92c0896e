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


@shared_task
def seal_catch_up() -> int:
    """Seal the rows of sealed-later models written since the last catch-up (asked for by
    their writers a moment after each write)."""
    from trail.seals import seals_catch_up

    return seals_catch_up()


@shared_task
def seal_sweep() -> int:
    """Every minute: seal what the catch-ups left (the broker was down, a process ended
    before its catch-up ran), looking further back than they do."""
    from trail.seals import SWEEP_LOOKBACK, seals_catch_up

    return seals_catch_up(lookback=SWEEP_LOOKBACK)
