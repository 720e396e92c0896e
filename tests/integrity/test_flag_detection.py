"""The rules over synthetic history whose events are written by hand (``bench/planted.py``),
with each pattern planted just past its rule's threshold: a check that every rule's path
from event to flag works (HELD and COI are covered nowhere else) and that a second sweep
adds nothing. It is no evidence of detection quality: for that, see ``test_flag_truth.py``
(history lived through the services, distributions written before reading the rules)."""

from __future__ import annotations

import pytest

from bench.planted import planted_history
from integrity.flags.engine import flags_sweep
from integrity.models import Flag

pytestmark = pytest.mark.django_db

RECALL_FLOOR = 0.9
PRECISION_FLOOR = 0.9
FILE_RULES = {"FAST", "LATE", "FLIP", "QUEUE", "HELD", "COI"}


def subject(flag: Flag) -> tuple:
    if flag.rule in FILE_RULES:
        return ("file", flag.application_id)
    if flag.rule == "HOURS":
        return ("officer-day", flag.officer_id, flag.detail["day"])
    if flag.rule == "PAIR":
        return ("officer-person", flag.officer_id, flag.key.rsplit(":", 1)[1])
    raise AssertionError(flag.rule)


def test_every_rule_finds_what_was_planted_and_little_else():
    truth = planted_history(files=400, seed=11)
    flags_sweep(everything=True)
    found: dict[str, set] = {}
    for flag in Flag.objects.all():
        found.setdefault(flag.rule, set()).add(subject(flag))

    report, failures = [], []
    for rule in sorted(truth.subjects):
        planted, flagged = truth.subjects[rule], found.get(rule, set())
        hits = planted & flagged
        recall = len(hits) / len(planted)
        precision = len(hits) / len(flagged) if flagged else 0.0
        report.append(
            f"{rule:6} planted {len(planted):3} flagged {len(flagged):3} "
            f"recall {recall:.2f} precision {precision:.2f}"
        )
        if recall < RECALL_FLOOR or precision < PRECISION_FLOOR:
            failures.append(rule)
    print(f"\n{truth.files} files, {truth.events} events\n" + "\n".join(report))
    assert set(truth.subjects) >= {"FAST", "FLIP", "QUEUE", "PAIR", "HOURS", "LATE", "HELD", "COI"}
    assert not set(found) - set(truth.subjects), "a rule flagged what nobody planted"
    assert not set(failures) - {"QUEUE"}, "\n".join(report)
    if "QUEUE" in failures:
        # The planted jumps are single overtakes just past the old fixed tolerance (a
        # working day and a half); QUEUE now wants them far outside the desk's learned
        # spread and large or repeated, which these are mostly not. Not tuned to them.
        pytest.xfail("issue 17 point 3: planted history replaced")


def test_a_second_sweep_raises_nothing_new():
    planted_history(files=120, seed=3)
    first = flags_sweep(everything=True)
    again = flags_sweep(everything=True)
    assert first.raised > 0
    assert again.raised == 0
    assert Flag.objects.count() == first.raised
