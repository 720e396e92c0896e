from celery import shared_task

from permits.services.applications import applications_expire_overdue
from permits.services.reminders import sla_reminders_send


@shared_task
def expire_returned_files() -> int:
    return applications_expire_overdue()


@shared_task
def send_sla_reminders() -> dict[str, int]:
    from permits.services.recommendations import recommendations_escalate

    sent = sla_reminders_send()
    sent["recommendations_late"] = recommendations_escalate()
    return sent


@shared_task
def render_visit_report(visit_id: int) -> str:
    """The signed site visit report's PDF (``permits.services.site_visit_reports``)."""
    from permits.models import SiteVisit
    from permits.services.site_visit_reports import visit_report_render

    return visit_report_render(SiteVisit.objects.get(pk=visit_id))


@shared_task
def render_receipt(application_id: int) -> str:
    from permits.models import Application
    from permits.receipt import receipt_render

    app = Application.objects.select_related("applicant", "permit_type__opd").get(pk=application_id)
    receipt_render(app)
    return app.receipt_sha256
