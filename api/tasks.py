from celery import shared_task
from oauth2_provider.models import clear_expired

from api.idempotency import idempotency_keys_expire
from api.webhooks import webhooks_deliver


@shared_task
def deliver_webhooks() -> int:
    """Deliver due webhooks (after each commit, and every minute as a sweep)."""
    return webhooks_deliver()


@shared_task
def api_housekeeping() -> int:
    """Nightly: expired access tokens deleted (django-oauth-toolkit's ``clear_expired``),
    idempotency keys past their month forgotten."""
    clear_expired()
    return idempotency_keys_expire()
