from celery import shared_task

from permits.services.applications import applications_expire_overdue
from permits.services.reminders import sla_reminders_send


@shared_task
def expire_returned_files() -> int:
    return applications_expire_overdue()


@shared_task
def send_sla_reminders() -> dict[str, int]:
    return sla_reminders_send()
