"""What the inspectorate's workspace reads: the flag queue and random samples of unflagged
files (a file's whole story is ``integrity.inspection.selectors.story``). Each runs a fixed
number of queries whatever the size of the history."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q
from django.db.models.functions import Mod
from django.utils import timezone
from django.utils.translation import gettext as _

from core.moments import day_start
from integrity.inspection.flags.registry import RULES
from integrity.inspection.models import (
    Flag,
    FlagState,
    FlagVerdict,
)
from permits.models import Application

QUEUE_PAGE = 50


def flag_queue(
    *, rule="", severity="", opd=None, officer=None, since=None, until=None, state=FlagState.OPEN
):
    """Flags in the order an auditor works them: newest evidence first."""
    flags = Flag.objects.select_related(
        "application__permit_type__opd", "officer", "finding"
    ).order_by("-occurred_at", "-id")
    if state:
        flags = flags.filter(state=state)
    if rule:
        flags = flags.filter(rule=rule)
    if severity:
        flags = flags.filter(severity=severity)
    if opd is not None:
        flags = flags.filter(application__permit_type__opd=opd)
    if officer is not None:
        flags = flags.filter(officer=officer)
    if since:  # local days as a range of moments: the occurred_at index serves it
        flags = flags.filter(occurred_at__gte=day_start(since))
    if until:
        flags = flags.filter(occurred_at__lt=day_start(until + datetime.timedelta(days=1)))
    return flags


def flag_counts() -> dict[str, int]:
    """Open flags per rule, for the queue's summary."""
    rows = Flag.objects.filter(state=FlagState.OPEN).values("rule").annotate(n=Count("id"))
    return {row["rule"]: row["n"] for row in rows}


def flag_explain(flag: Flag) -> str:
    rule = RULES.get(flag.rule)
    return str(rule.explain(flag.detail)) if rule else ""


SAMPLE_PRIME = 2_147_483_647  # 2**31 - 1: above every file's id
SAMPLE_ROUNDS = 4  # rounds of random ids before the draw falls back to ordering every file
SAMPLE_BATCH_MAX = 4000


def unflagged_sample(*, size: int, opd=None, since=None, until=None, seed=None):
    """A random sample of submitted files without any flag (for audits that must not only
    look where the rules point). The seed is returned so the same draw can be repeated.

    Drawn by rejection: ids picked at random (from the seed) between the lowest and the
    highest file id are looked up by primary key, those that are submitted, unflagged and
    inside the filters are kept in the order drawn, the first ``size`` are the sample. Each
    qualifying file is as likely as any other, and the cost follows the sample's size, not
    the office's (a bounded number of primary-key lookups). When the filters keep too few
    files for that (a narrow period in a large office), the draw orders the filtered files
    by an affine permutation of their ids, (id x a + b) mod p, in the database."""
    seed = seed if seed is not None else random.SystemRandom().randrange(10**6)
    files = Application.objects.filter(submitted_at__isnull=False).exclude(
        Exists(Flag.objects.filter(application=OuterRef("pk")))
    )
    if opd is not None:
        files = files.filter(permit_type__opd=opd)
    if since:
        files = files.filter(submitted_at__gte=day_start(since))
    if until:
        files = files.filter(submitted_at__lt=day_start(until + datetime.timedelta(days=1)))
    rows = files.select_related("permit_type__opd", "assigned_to")
    # A reproducible draw (the seed is printed), not a secret: S311 does not apply.
    draw = random.Random(seed)  # noqa: S311
    bounds = Application.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return [], seed
    low, high = bounds["low"], bounds["high"]
    span = high - low + 1
    chosen: list = []
    tried: set[int] = set()
    batch = 4 * size
    for _round in range(SAMPLE_ROUNDS):
        if len(tried) >= span:
            break
        want = min(batch, SAMPLE_BATCH_MAX, span - len(tried))
        candidates = []
        while len(candidates) < want:
            pk = draw.randint(low, high)
            if pk not in tried:
                tried.add(pk)
                candidates.append(pk)
        found = {app.pk: app for app in rows.filter(pk__in=candidates)}
        chosen += [found[pk] for pk in candidates if pk in found]
        if len(chosen) >= size or len(tried) >= span:
            break
        batch *= 4
    if len(chosen) < size and len(tried) < span:
        a, b = draw.randrange(1, SAMPLE_PRIME), draw.randrange(SAMPLE_PRIME)
        ordered = (
            rows.exclude(pk__in=[app.pk for app in chosen])
            .annotate(draw=Mod(F("pk") * a + b, SAMPLE_PRIME))
            .order_by("draw")
        )
        chosen += list(ordered[: size - len(chosen)])
    sample = sorted(chosen[:size], key=lambda app: (app.submitted_at, app.pk))
    return sample, seed


def period_default() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today - datetime.timedelta(days=90), today


# How far back the auditors' verdicts judge a rule.
PRECISION_DAYS = 90


@dataclass(frozen=True)
class Precision:
    """A rule's precision as the auditors judged it: of the ``judged`` flags closed in the
    window, how many became findings (``confirmed``)."""

    rule: str
    confirmed: int = 0
    judged: int = 0

    @property
    def value(self) -> float | None:
        return self.confirmed / self.judged if self.judged else None

    @property
    def text(self) -> str:
        """ "75% (3 dari 4 bendera)", or that no flag was judged."""
        if not self.judged:
            return _("belum ada bendera yang ditelaah")
        return _("%(percent)d%% (%(confirmed)d dari %(judged)d bendera)") % {
            "percent": round(100 * self.confirmed / self.judged),
            "confirmed": self.confirmed,
            "judged": self.judged,
        }


def rule_precision(*, until=None, days: int = PRECISION_DAYS) -> dict[str, Precision]:
    """Each rule's precision over the ``days`` before ``until`` (default now), from the
    auditors' verdicts (``FlagVerdict``): one query. Every registered rule has an entry."""
    until = until or timezone.now()
    rows = (
        FlagVerdict.objects.filter(
            judged_at__gte=until - datetime.timedelta(days=days), judged_at__lt=until
        )
        .values("rule")
        .annotate(judged=Count("id"), confirmed=Count("id", filter=Q(confirmed=True)))
    )
    table = {code: Precision(code) for code in RULES}
    for row in rows:
        table[row["rule"]] = Precision(row["rule"], row["confirmed"], row["judged"])
    return dict(sorted(table.items()))
