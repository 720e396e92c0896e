from celery import shared_task


@shared_task
def escalate_overdue_cases() -> int:
    from integrity.services import escalate_overdue_cases as run

    return run()


@shared_task
def send_register_reminders() -> int:
    from integrity.services import register_reminders_send

    return register_reminders_send()
