"""Every periodic task Terang runs, in one place.

``manage.py install_schedules`` writes these into django-celery-beat's tables; beat
(with the database scheduler) then runs them. Times are the office's
(``settings.TIME_ZONE``, Asia/Jakarta).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    crontab: dict  # minute, hour, day_of_week, day_of_month, month_of_year
    description: str = ""


SCHEDULES = [
    Schedule(
        name="portal.heartbeat",
        task="portal.tasks.heartbeat",
        crontab={"minute": "*"},
        description="Proves beat and a worker are alive; /healthz shows the last beat.",
    ),
    Schedule(
        name="permits.expire_returned_files",
        task="permits.tasks.expire_returned_files",
        crontab={"minute": "5", "hour": "*"},
        description="Expires returned files not completed within the working days allowed, "
        "and files whose bill was not paid by its due date (UNPAID_BILL_EXPIRES_FILE).",
    ),
    Schedule(
        name="outbox.deliver_messages",
        task="outbox.tasks.deliver_messages",
        crontab={"minute": "*"},
        description="Delivers pending messages the after-commit kick could not (broker or "
        "gateway down).",
    ),
    Schedule(
        name="api.deliver_webhooks",
        task="api.tasks.deliver_webhooks",
        crontab={"minute": "*"},
        description="Delivers partners' webhooks that are due: those the after-commit kick "
        "could not send and the retries of failed ones (for about a day).",
    ),
    Schedule(
        name="trail.seal_sweep",
        task="trail.tasks.seal_sweep",
        crontab={"minute": "*"},
        description="Seals the partners' calls (and any other record sealed after its "
        "write) that their writers' catch-up left unsealed.",
    ),
    Schedule(
        name="api.housekeeping",
        task="api.tasks.api_housekeeping",
        crontab={"minute": "40", "hour": "2"},
        description="Deletes partners' expired access tokens and forgets idempotency keys "
        "older than 30 days.",
    ),
    Schedule(
        name="permits.send_sla_reminders",
        task="permits.tasks.send_sla_reminders",
        crontab={"minute": "*/30"},
        description="Tells officers of files due within a working day; escalates late files "
        "to their supervisor (working time only; once per file and deadline).",
    ),
    Schedule(
        name="issuance.render_pending_permits",
        task="issuance.tasks.render_pending_permits",
        crontab={"minute": "*/5"},
        description="Renders and signs the PDF of permits the after-commit task missed.",
    ),
    Schedule(
        name="integrity.escalate_overdue_cases",
        task="integrity.tasks.escalate_overdue_cases",
        crontab={"minute": "20", "hour": "*"},
        description="Sends an overdue conflict-of-interest review to the head of office and "
        "an overdue decision to the inspectorate (once per step).",
    ),
    Schedule(
        name="integrity.send_register_reminders",
        task="integrity.tasks.send_register_reminders",
        crontab={"minute": "0", "hour": "8", "day_of_week": "1-5"},
        description="Reminds staff to renew their affiliation register (a month before it "
        "falls due, and when overdue or missing).",
    ),
    Schedule(
        name="integrity.sweep_flags",
        task="integrity.tasks.sweep_flags",
        crontab={"minute": "30", "hour": "1"},
        description="Runs the red-flag rules over every event since the last sweep (with a "
        "day's overlap) and over running files past their SOP deadline; idempotent.",
    ),
    Schedule(
        name="integrity.render_monev",
        task="integrity.tasks.render_monev",
        crontab={"minute": "0", "hour": "3", "day_of_month": "1"},
        description="Renders last month's monitoring and evaluation report (PDF and CSV) "
        "for the inspectorate.",
    ),
    Schedule(
        name="issuance.seal_register",
        task="issuance.tasks.seal_register",
        crontab={"minute": "15", "hour": "0"},
        description="Seals yesterday (and any day missed) in the hash-chained public register.",
    ),
    Schedule(
        name="public.escalate_complaints",
        task="public.tasks.escalate_complaints",
        crontab={"minute": "40", "hour": "*"},
        description="Escalates complaints past their forwarding or answer deadline (once per "
        "deadline) and closes answered ones the complainant left unanswered.",
    ),
    Schedule(
        name="public.refresh_dashboard",
        task="public.tasks.refresh_dashboard",
        crontab={"minute": "50", "hour": "*"},
        description="Recomputes the public transparency dashboard of this month, this year "
        "and the month before.",
    ),
    Schedule(
        name="trail.record_chain_day",
        task="trail.tasks.record_chain_day",
        crontab={"minute": "10", "hour": "0"},
        description="Records yesterday's closing head of the hash-chained file event log "
        "(what verify_audit_trail checks a rewritten chain against); idempotent.",
    ),
    Schedule(
        name="trail.record_chain_anchor",
        task="trail.tasks.record_chain_anchor",
        crontab={"minute": "2", "hour": "*"},
        description="Records this hour's anchor of the event and seal chains, mails it to "
        "the inspectorate (AUDIT_ANCHOR_EMAIL) and shows it on the public register; "
        "idempotent.",
    ),
]


# Our own periodic tasks carry one of these prefixes; others (added by hand in the
# admin) are left alone.
OWN_PREFIXES = r"^(portal|accounts|worktime|trail|permits|issuance|integrity|outbox|public)\."


def schedules_install() -> dict[str, str]:
    """Make django-celery-beat's tables hold exactly ``SCHEDULES``; idempotent."""
    from django.conf import settings
    from django.db import transaction
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    outcome = {}
    with transaction.atomic():
        for schedule in SCHEDULES:
            fields = {
                "minute": "*",
                "hour": "*",
                "day_of_week": "*",
                "day_of_month": "*",
                "month_of_year": "*",
                **schedule.crontab,
            }
            crontab, _ = CrontabSchedule.objects.get_or_create(
                timezone=settings.TIME_ZONE, **fields
            )
            wanted = {
                "task": schedule.task,
                "crontab": crontab,
                "interval": None,
                "description": schedule.description,
                "enabled": True,
            }
            task, created = PeriodicTask.objects.get_or_create(name=schedule.name, defaults=wanted)
            stale = [k for k, v in wanted.items() if getattr(task, k) != v]
            if not created and stale:
                for key in stale:
                    setattr(task, key, wanted[key])
                task.save()
            outcome[schedule.name] = "installed" if created else "updated" if stale else "unchanged"
        names = [schedule.name for schedule in SCHEDULES]
        for task in PeriodicTask.objects.filter(name__regex=OWN_PREFIXES).exclude(name__in=names):
            task.delete()
            outcome[task.name] = "removed"
    return outcome
