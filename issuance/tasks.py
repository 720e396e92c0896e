import datetime
import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def render_permit(self, permit_id: int) -> str:
    """Render and sign one permit's PDF (after the signing commits)."""
    from issuance.models import Permit
    from issuance.services.issue import permit_render

    permit = Permit.objects.select_related("application", "permit_type__opd").get(pk=permit_id)
    try:
        permit_render(permit)
    except Exception as exc:  # a missing key, a WeasyPrint failure: the permit waits, not lost
        logger.exception("Permit %s not rendered", permit.number)
        if self.request.is_eager:  # in process (no worker): the sweep tries again
            return ""
        raise self.retry(exc=exc) from exc
    return permit.pdf_sha256


@shared_task
def render_pending_permits() -> int:
    """The sweep: permits signed more than two minutes ago that still have no PDF."""
    from core.queue import enqueue
    from issuance.models import Permit

    since = timezone.now() - datetime.timedelta(minutes=2)
    pending = Permit.objects.filter(pdf_sha256="", issued_at__lt=since).values_list("pk", flat=True)
    return sum(enqueue(render_permit, pk) for pk in pending[:200])


@shared_task
def seal_register() -> int:
    """Seal every finished day of the public register that is not sealed yet."""
    from issuance.services.register import register_seal

    return len(register_seal())
