from celery import shared_task

from core.health import record_heartbeat


@shared_task
def heartbeat() -> None:
    record_heartbeat()
