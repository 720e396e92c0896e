"""How ``bench/history.py`` judges the rules: what was planted (``Truth``), what a flag is
about, and each rule's precision and recall over the flags stored."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from bench.history_world import JAKARTA

# Rules whose truth is per file; the others name an officer and a day or a person.
FILE_RULES = {"FAST", "FLIP", "QUEUE", "LATE", "PRESSURE", "HELD", "COI"}
PLANTED_RULES = ("FAST", "FLIP", "QUEUE", "PAIR", "HOURS", "LATE", "PRESSURE")


@dataclass
class Truth:
    """What was planted (and what happened), per rule, as flag subjects (``flag_subject``)."""

    files: int = 0
    events: int = 0
    seconds: float = 0.0
    cpu_seconds: float = (
        0.0  # this process only (the database's own work is not in it on PostgreSQL)
    )
    subjects: dict[str, set] = field(default_factory=lambda: {r: set() for r in PLANTED_RULES})
    decoys: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # What each subject (a file, an officer's day) went through: its type, its plant, the
    # look-alikes it met. For reading which honest subjects a rule flags.
    labels: dict[tuple, set] = field(default_factory=lambda: defaultdict(set))


def flag_subject(flag) -> tuple:
    """What a flag is about, comparable with ``Truth.subjects``."""
    if flag.rule == "HOURS":
        return ("officer-day", flag.officer_id, flag.detail.get("day"))
    if flag.rule == "PAIR":
        return ("officer-person", flag.officer_id, flag.key.rsplit(":", 1)[1])
    return ("file", flag.application_id)


@dataclass
class Score:
    rule: str
    planted: int
    flagged: int
    true_flags: int  # about a subject planted for this rule
    found: int
    other_plants: int = 0  # about a file planted for another rule: misconduct all the same
    found_by_any: int = 0  # planted subjects some rule (this one or another) flagged

    @property
    def precision(self) -> float | None:
        """The share of flags behind which an auditor finds misconduct (this rule's plant or
        another's); ``own_precision`` counts this rule's plants only."""
        return (self.true_flags + self.other_plants) / self.flagged if self.flagged else None

    @property
    def own_precision(self) -> float | None:
        return self.true_flags / self.flagged if self.flagged else None

    @property
    def recall(self) -> float | None:
        return self.found / self.planted if self.planted else None

    @property
    def recall_any(self) -> float | None:
        """What an auditor reading the whole queue gets: the share of this rule's planted
        subjects that carry some flag (a fast-tracked file that jumped the queue is in
        QUEUE's truth too, and may be flagged by FAST alone)."""
        return self.found_by_any / self.planted if self.planted else None


def _planted(truth: Truth, subject: tuple) -> bool:
    return any(label.startswith("planted ") for label in truth.labels.get(subject, ()))


def scores(truth: Truth) -> dict[str, Score]:
    """Precision (share of a rule's flags about a planted subject) and recall (share of
    planted subjects with a flag) per rule, over the flags now stored."""
    from integrity.models import Flag

    flagged: dict[str, list] = defaultdict(list)
    for flag in Flag.objects.all():
        flagged[flag.rule].append(flag_subject(flag))
    anything = {subject for subjects in flagged.values() for subject in subjects}
    out = {}
    for rule in sorted(set(truth.subjects) | set(flagged)):
        planted, subjects = truth.subjects.get(rule, set()), flagged.get(rule, [])
        out[rule] = Score(
            rule,
            planted=len(planted),
            flagged=len(subjects),
            true_flags=sum(1 for s in subjects if s in planted),
            found=len(planted & set(subjects)),
            other_plants=sum(1 for s in subjects if s not in planted and _planted(truth, s)),
            found_by_any=len(planted & anything),
        )
    return out


def _describe(flag) -> str:
    """A flag whose subject the history recorded nothing about: who did what, when."""
    event = flag.evidence.order_by("created_at").first()
    if event is None:
        return f"{flag.rule} {flag.detail}"
    local = event.created_at.astimezone(JAKARTA)
    who = event.actor.username if event.actor else "-"
    return f"{who} {event.action} {local:%a %H:%M}"


def false_flags(truth: Truth) -> dict[str, Counter]:
    """Per rule, what the subjects of its false flags went through (``Truth.labels``)."""
    from integrity.models import Flag

    out: dict[str, Counter] = defaultdict(Counter)
    for flag in Flag.objects.all():
        subject = flag_subject(flag)
        if subject in truth.subjects.get(flag.rule, set()):
            continue
        labels = truth.labels.get(subject) or {_describe(flag)}
        out[flag.rule][", ".join(sorted(labels))] += 1
    return dict(out)


def score_table(result: dict[str, Score]) -> str:
    def number(x):
        return "   -" if x is None else f"{x:4.2f}"

    lines = [
        f"{'rule':8} {'planted':>7} {'flags':>6} {'own':>4} {'other':>5} "
        f"{'precision':>9} {'own only':>8} {'recall':>6} {'by any':>6}"
    ]
    for s in result.values():
        lines.append(
            f"{s.rule:8} {s.planted:7} {s.flagged:6} {s.true_flags:4} {s.other_plants:5} "
            f"{number(s.precision):>9} {number(s.own_precision):>8} {number(s.recall):>6}"
            f" {number(s.recall_any):>6}"
        )
    return "\n".join(lines)
