"""The red-flag rules and their settings.

A rule is a small documented unit (one module in ``integrity.inspection.flags.rules``): a code, a
title and description, a default severity, default parameters, the event actions it
depends on (``triggers``), and ``on_event(event, params, context)`` which returns the
``Hit``s that event reveals. The engine (``integrity.inspection.flags.engine``) runs it after each
trigger event commits and in the nightly sweep, and stores each hit as a ``Flag`` keyed by
``Hit.key``: the same evidence never raises two flags.

Rules read the event history as of the event, not the files' current state, so evaluating
an event now, tonight or a year later gives the same answer (the per-type and per-unit
baselines are the exception: they are as of the day of evaluation).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from integrity.inspection.models import (
    RuleSetting,
    Severity,
)


@dataclass(frozen=True)
class Hit:
    """What a rule found: one flag's worth of evidence."""

    key: str
    occurred_at: datetime.datetime
    evidence: tuple[int, ...]  # ApplicationEvent ids
    application_id: int | None = None
    officer_id: int | None = None
    detail: dict = field(default_factory=dict)
    severity: str | None = None  # None: the rule's configured severity


class Rule:
    code: str = ""
    title = ""
    description = ""
    severity: str = Severity.MEDIUM
    params: dict = {}
    # Event actions that may reveal this rule; ANY_STAFF_EVENT: every act of a staff member.
    triggers: frozenset[str] = frozenset()
    any_staff_event: bool = False

    def on_event(self, event, params: dict, context) -> list[Hit]:
        return []

    def sweep_extra(self, params: dict, context, *, until) -> Iterable[Hit]:
        """Hits no event announces (a running file past its deadline): nightly only."""
        return ()

    def explain(self, detail: dict) -> str:
        """One line for the auditor: what this flag's evidence shows."""
        return ""


RULES: dict[str, Rule] = {}


def register(cls):
    """Have the engine run rule ``cls`` (``IntegrityConfig.ready`` registers
    ``rules.ALL_RULES``)."""
    RULES[cls.code] = cls()
    return cls


@dataclass(frozen=True)
class RuleConfig:
    enabled: bool
    severity: str
    params: dict


def rule_configs() -> dict[str, RuleConfig]:
    """Every rule's effective settings: its defaults, overridden by the admin's row."""
    from integrity.inspection.flags import rules  # noqa: F401  (registers every rule)

    settings = {row.code: row for row in RuleSetting.objects.all()}
    configs = {}
    for code, rule in RULES.items():
        row = settings.get(code)
        params = dict(rule.params)
        if row is not None:
            params.update({k: v for k, v in (row.params or {}).items() if k in rule.params})
        configs[code] = RuleConfig(
            enabled=row.enabled if row is not None else True,
            severity=(row.severity if row is not None and row.severity else rule.severity),
            params=params,
        )
    return configs


def rules_for(action: str, actor_role: str) -> list[Rule]:
    from integrity.inspection.flags import rules  # noqa: F401
    from integrity.inspection.flags.rules.common import STAFF_ACTOR_ROLES

    staff = actor_role in STAFF_ACTOR_ROLES
    return [
        rule
        for rule in RULES.values()
        if action in rule.triggers or (rule.any_staff_event and staff)
    ]
