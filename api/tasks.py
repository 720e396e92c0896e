from celery import shared_task

from api.webhooks import webhooks_deliver


@shared_task
def deliver_webhooks() -> int:
    """Deliver due webhooks (after each commit, and every minute as a sweep)."""
    return webhooks_deliver()
