from celery import shared_task

from permits.services.applications import applications_expire_overdue


@shared_task
def expire_returned_files() -> int:
    return applications_expire_overdue()
