"""The rules over synthetic history whose events are written by hand (``bench/planted.py``):
the path from event to flag of the rules no lived history reaches (HELD and COI), and a
second sweep that adds nothing. It is no evidence of detection quality: for that, see
``test_flag_truth.py`` (history lived through the services, distributions written before
reading the rules)."""

from __future__ import annotations

import pytest

from bench.planted import planted_history
from integrity.inspection.flags.engine import flags_sweep
from integrity.models import Flag

pytestmark = pytest.mark.django_db

# What no other test reaches: HELD (an act attempted on a held file) and COI (a case decided
# "conflict") from event to flag. Every other rule is judged on lived history.
PATH_RULES = ("HELD", "COI")
FILE_RULES = {"FAST", "LATE", "FLIP", "QUEUE", "HELD", "COI"}


def subject(flag: Flag) -> tuple:
    if flag.rule in FILE_RULES:
        return ("file", flag.application_id)
    if flag.rule == "HOURS":
        return ("officer-day", flag.officer_id, flag.detail["day"])
    if flag.rule == "PAIR":
        return ("officer-person", flag.officer_id, flag.key.rsplit(":", 1)[1])
    return (flag.rule, flag.key)


def test_held_and_coi_flag_what_was_planted_and_a_second_sweep_adds_nothing():
    truth = planted_history(files=200, seed=11)
    first = flags_sweep(everything=True)
    found: dict[str, set] = {}
    for flag in Flag.objects.all():
        found.setdefault(flag.rule, set()).add(subject(flag))
    for rule in PATH_RULES:
        planted = truth.subjects[rule]
        assert planted, f"nothing planted for {rule}"
        assert found.get(rule, set()) == planted, rule

    again = flags_sweep(everything=True)
    assert first.raised > 0
    assert again.raised == 0
    assert Flag.objects.count() == first.raised
