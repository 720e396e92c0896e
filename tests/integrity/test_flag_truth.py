"""Detection quality on history the rules were not tuned on (issue 17, point 3).

``bench/history.py`` lives an office's four months through the real services, with
misconduct and honest look-alikes drawn from distributions written before the rules'
parameters were read. Here it runs on two seeds with every rule at its defaults; the table
of precision and recall per rule is printed (``-s`` shows it). A rule that holds is held to
precision >= 0.9 and recall >= 0.95 (HOURS, LATE); FAST, FLIP, PAIR, QUEUE and PRESSURE
do not hold yet, for the reasons named below (``xfail``, not strict: they turn green
then).

The histories are generated once per module, each inside a transaction rolled back before
any test runs, so nothing leaks to other tests.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test.utils import override_settings

from bench.history import history_generate
from bench.history_judge import Score, false_flags, score_table, scores
from worktime.calendar import invalidate_calendar

# The tests read only the module's results, but the marker makes pytest-django set up the
# test database the fixture fills (it sets up databases that collected tests ask for).
# The rules' judgement is the same on either database; the four months of office life cost
# about two minutes of CPU, so CI judges them once, on the SQLite pass (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.judged_once]
SEEDS = (1, 2)
FILES = 120  # the bench runs 480; the test keeps to a CI budget (about 40 s of CPU a seed)
PRECISION, RECALL = 0.9, 0.95


@pytest.fixture(scope="module")
def results(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[int, dict[str, Score]]:
    from permits.selectors.catalogue import catalogue_choices_invalidate

    out = {}
    media = tmp_path_factory.mktemp("history-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        for seed in SEEDS:
            invalidate_calendar()
            catalogue_choices_invalidate()
            with transaction.atomic():
                truth = history_generate(files=FILES, seed=seed)
                out[seed] = scores(truth)
                print(
                    f"\nseed {seed}: {truth.files} files, {truth.events} events, "
                    f"{truth.seconds:.0f} s\n{score_table(out[seed])}"
                )
                for rule, kinds in sorted(false_flags(truth).items()):
                    print(
                        f"{rule} flags not about its own plants: "
                        + "; ".join(f"{n} × {k}" for k, n in kinds.items())
                    )
                transaction.set_rollback(True)
        invalidate_calendar()
        catalogue_choices_invalidate()
    return out


def held(results, rule: str) -> None:
    for seed, by_rule in results.items():
        score = by_rule.get(rule)
        assert score is not None and score.planted, f"seed {seed}: nothing planted for {rule}"
        assert score.recall >= RECALL, f"seed {seed}: {rule} recall {score.recall:.2f}"
        assert score.precision is not None and score.precision >= PRECISION, (
            f"seed {seed}: {rule} precision {score.precision}"
        )


@pytest.mark.parametrize("rule", ["HOURS", "LATE"])
def test_rule_holds_on_independent_history(results, rule):
    held(results, rule)


# What does not hold yet (issue 17 stays open for them), with what the flags outside a
# rule's plants, or the plants it missed, went through (480 files: bench/README.md).
# Precision counts a flag about another rule's plant as right: misconduct is behind it all
# the same.
NOT_YET = {
    "FAST": "recall 0.90-1.00, precision 0.79-1.00 at 480 files (seeds 5-12): 0 to 3 honest "
    "files in four months (a quick three-day review, a 14-day file quick in a quiet week); "
    "at 120 files one of them is a quarter of the flags (seed 2: 0.75)",
    "FLIP": "recall 1.00 and 0.90, precision 1.00 and 0.90 at 480 files (at 120 files one "
    "plant of 2 missed on seed 1): a mis-click corrected after more than 15 minutes",
    "QUEUE": "precision 0.90-1.00, recall 0.67-0.92 at 480 files (seeds 5-12); with every "
    "rule read together 0.93-1.00 of its truth carries a flag: its misses are FAST's and "
    "PRESSURE's plants (in QUEUE's truth because they jumped), flagged by those rules; a "
    "planted jump whose review took an ordinary time is, by its times, an honest reordering",
    "PAIR": "holds at 480 files on both seeds (bench/README.md); at 120 files seed 2 misses "
    "one biro jasa of three: 4 of its 7 files went to its officer by the automatic "
    "assignment, 3 by hand, in an office too small to tell that from chance",
    "PRESSURE": "precision 0.75-1.00, recall 0.80-1.00 at 480 files (seeds 5-12): a "
    "supervisor's routine look shortly before an honest review quicker than its type's "
    "median, and plants on one-day types pushed at their ordinary pace",
}


@pytest.mark.parametrize("rule", sorted(NOT_YET))
def test_rule_not_yet_held_on_independent_history(results, rule, request):
    request.applymarker(pytest.mark.xfail(strict=False, reason=NOT_YET[rule]))
    held(results, rule)


def test_every_kind_of_plant_and_decoy_occurs(results):
    """The generator itself: each seed planted every kind it promises."""
    for seed, by_rule in results.items():
        for rule in ("FAST", "FLIP", "QUEUE", "PAIR", "HOURS", "LATE", "PRESSURE"):
            assert by_rule[rule].planted > 0, f"seed {seed}: no {rule} planted"
