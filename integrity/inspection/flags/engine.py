"""Running the red-flag rules and storing what they find.

- ``flags_for_event``: after an event commits (a Celery task enqueued by
  ``integrity.receivers``), the rules that depend on its action look at it.
- ``flags_sweep``: nightly, every event since the last sweep (with a day's overlap, for
  tasks a broker outage lost) goes through the rules again, plus the checks no event
  announces. Idempotent: a flag's ``key`` is unique, so a second look adds nothing.
- ``flag_raise``: the hook for evidence that is not a file event (complaints, survey
  answers): the caller names the rule, the key and the file or officer.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from integrity.inspection.flags.registry import (
    RULES,
    Hit,
    Rule,
    RuleConfig,
    rule_configs,
    rules_for,
)
from integrity.inspection.models import (
    SEVERITY_RANK,
    Flag,
    FlagEvidence,
    FlagSweep,
)
from permits.models import ApplicationEvent
from worktime.calendar import WorkCalendar, get_calendar

logger = logging.getLogger(__name__)

SWEEP_OVERLAP = datetime.timedelta(days=1)
SWEEP_CHUNK = 2000


@dataclass
class Context:
    """What one evaluation shares between rules and events: settings, calendar, memos."""

    configs: dict[str, RuleConfig]
    calendar: WorkCalendar
    memo: dict = field(default_factory=dict)

    @classmethod
    def load(cls) -> Context:
        return cls(configs=rule_configs(), calendar=get_calendar())


def flag_store(rule: Rule, hit: Hit, config: RuleConfig) -> tuple[Flag, bool]:
    """Keep one hit: a new flag, or more evidence (and never a lower severity) on the flag
    its key already raised. Returns the flag and whether it is new."""
    severity = hit.severity or config.severity
    with transaction.atomic():
        flag = Flag.objects.select_for_update().filter(key=hit.key).first()
        created = flag is None
        if created:
            try:
                with transaction.atomic():
                    flag = Flag.objects.create(
                        rule=rule.code,
                        key=hit.key,
                        severity=severity,
                        application_id=hit.application_id,
                        officer_id=hit.officer_id,
                        detail=hit.detail,
                        occurred_at=hit.occurred_at,
                    )
            except IntegrityError:  # raised meanwhile by another worker
                flag = Flag.objects.select_for_update().get(key=hit.key)
                created = False
        if not created:
            changed = []
            if SEVERITY_RANK[severity] > SEVERITY_RANK[flag.severity]:
                flag.severity = severity
                changed.append("severity")
            if hit.occurred_at > flag.occurred_at:
                flag.occurred_at = hit.occurred_at
                changed.append("occurred_at")
            if hit.detail and hit.detail != flag.detail:
                flag.detail = {**flag.detail, **hit.detail}
                changed.append("detail")
            if changed:
                flag.save(update_fields=changed)
        FlagEvidence.objects.bulk_create(
            [FlagEvidence(flag=flag, event_id=pk) for pk in hit.evidence],
            ignore_conflicts=True,
        )
    return flag, created


def _evaluate(event: ApplicationEvent, context: Context) -> int:
    raised = 0
    for rule in rules_for(event.action, event.actor_role):
        config = context.configs[rule.code]
        if not config.enabled:
            continue
        for hit in rule.on_event(event, config.params, context):
            raised += flag_store(rule, hit, config)[1]
    return raised


def flags_for_event(event_id: int) -> int:
    """Run the rules that depend on this event; the number of new flags."""
    event = ApplicationEvent.objects.select_related("application").filter(pk=event_id).first()
    if event is None:
        return 0
    return _evaluate(event, Context.load())


def flags_sweep(*, since=None, until=None, everything: bool = False) -> FlagSweep:
    """Look at every event since the last sweep again (or at all of history), then run the
    checks no event announces. Constant memory: events are read in chunks."""
    until = until or timezone.now()
    if since is None and not everything:
        last = FlagSweep.objects.filter(finished_at__isnull=False).first()
        since = last.covered_until - SWEEP_OVERLAP if last else None
    run = FlagSweep.objects.create(covered_from=since, covered_until=until)
    context = Context.load()
    events = ApplicationEvent.objects.select_related("application").filter(created_at__lt=until)
    if since is not None:
        events = events.filter(created_at__gte=since)
    raised = seen = 0
    for event in events.order_by("created_at", "id").iterator(chunk_size=SWEEP_CHUNK):
        seen += 1
        raised += _evaluate(event, context)
    for code, rule in RULES.items():
        config = context.configs[code]
        if config.enabled:
            for hit in rule.sweep_extra(config.params, context, until=until):
                raised += flag_store(rule, hit, config)[1]
    run.events, run.raised, run.finished_at = seen, raised, timezone.now()
    run.save(update_fields=["events", "raised", "finished_at"])
    logger.info("Flag sweep: %s events, %s new flags", seen, raised)
    return run


def flag_raise(
    *,
    rule: str,
    key: str,
    occurred_at=None,
    application=None,
    officer=None,
    evidence=(),
    detail: dict | None = None,
    severity: str | None = None,
) -> Flag | None:
    """Raise a flag from outside the event log (the COMPLAINT and SURVEY rules: a complaint
    against an officer, a survey answer reporting an illegal fee). Idempotent per ``key``;
    None when an administrator switched the rule off."""
    config = Context.load().configs[rule]
    if not config.enabled:
        return None
    hit = Hit(
        key=f"{rule}:{key}",
        occurred_at=occurred_at or timezone.now(),
        evidence=tuple(event.pk for event in evidence),
        application_id=getattr(application, "pk", None),
        officer_id=getattr(officer, "pk", None),
        detail=detail or {},
        severity=severity,
    )
    return flag_store(RULES[rule], hit, config)[0]
