"""Keeping the per-day figures (``permits.models.figures``) as files move, and rebuilding
them from the files.

``figures_count`` runs inside ``transition_fire``'s transaction, so a figure moves exactly
when the file does: a transition that is refused or rolled back counts nothing, and there is
no second store to drift from the files. ``figures_rebuild`` recomputes every day from the
files and their events: the backfill after a bulk load (``bench/seed.py``) or an import,
and the check that the kept figures still equal what the files say
(``manage.py rebuild_figures --check``).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from permits.event_names import APPLICATION_RETURNED
from permits.models import FINAL_STAGES, Application, ApplicationEvent
from permits.models.figures import DailyPlaceFigures, DailyTypeFigures
from worktime.calendar import get_calendar

MICROSECOND = datetime.timedelta(microseconds=1)


def office_day(at: datetime.datetime) -> datetime.date:
    return timezone.localtime(at, get_calendar().timezone).date()


def _micro(value: datetime.timedelta | None) -> int | None:
    return None if value is None else value // MICROSECOND


def _time(app: Application) -> list:
    return [_micro(app.work_used), _micro(app.sop_budget)]


def _add(model, key: dict, **counts: int) -> None:
    """Add to the day's row, made at its first count. The row is locked by the update: two
    transitions of one type on one day wait in turn, and both counts land."""
    changes = {name: F(name) + n for name, n in counts.items()}
    if not model.objects.filter(**key).update(**changes):
        with transaction.atomic():  # a savepoint: a row made meanwhile is added to instead
            _made, created = model.objects.get_or_create(**key, defaults=counts)
        if not created:
            model.objects.filter(**key).update(**changes)


def _locked(model, key: dict):
    """The day's row, locked until the transaction ends (made if it is the day's first)."""
    row = model.objects.select_for_update().filter(**key).first()
    if row is None:
        with transaction.atomic():  # a savepoint: a row made meanwhile is taken instead
            model.objects.get_or_create(**key)
        row = model.objects.select_for_update().get(**key)
    return row


def figures_count(*, application: Application, name: str, at: datetime.datetime) -> None:
    """Count transition ``name``, just fired on the file at ``at``, into its day."""
    app, day = application, office_day(at)
    by_type = {"day": day, "permit_type_id": app.permit_type_id}
    by_place = {"day": day, "kecamatan": app.site_kecamatan}
    if name == "submit":
        _add(DailyTypeFigures, by_type, received=1)
        _add(DailyPlaceFigures, by_place, received=1)
    elif name == "return_to_applicant":
        _add(DailyTypeFigures, by_type, returned=1)
    elif app.state in FINAL_STAGES and app.submitted_at is not None:
        # A draft withdrawn was never received: it ends nothing the figures counted.
        on_time = int(not app.finished_late)
        _add(DailyPlaceFigures, by_place, finished=1, on_time=on_time)
        if app.clock_started_at is not None:
            row = _locked(DailyTypeFigures, by_type)
            row.finished += 1
            row.on_time += on_time
            row.times.append(_time(app))
            row.save(update_fields=["finished", "on_time", "times"])


@dataclass
class _Derived:
    """Every day's figures as the files and their events say, keyed by (day, type id) and
    (day, kecamatan)."""

    types: dict[tuple, Counter] = field(default_factory=lambda: defaultdict(Counter))
    times: dict[tuple, list] = field(default_factory=lambda: defaultdict(list))
    places: dict[tuple, Counter] = field(default_factory=lambda: defaultdict(Counter))


def _derive() -> _Derived:
    out = _Derived()
    files = Application.objects.filter(submitted_at__isnull=False).values_list(
        "permit_type_id",
        "site_kecamatan",
        "submitted_at",
        "finished_at",
        "finished_late",
        "clock_started_at",
        "work_used",
        "sop_budget",
    )
    for type_id, place, submitted, finished, late, started, used, budget in files.iterator(
        chunk_size=5000
    ):
        out.types[office_day(submitted), type_id]["received"] += 1
        out.places[office_day(submitted), place]["received"] += 1
        if finished is None:
            continue
        day = office_day(finished)
        out.places[day, place].update(finished=1, on_time=int(not late))
        if started is not None:
            out.types[day, type_id].update(finished=1, on_time=int(not late))
            out.times[day, type_id].append([_micro(used), _micro(budget)])
    returns = ApplicationEvent.objects.filter(action=APPLICATION_RETURNED).values_list(
        "created_at", "application__permit_type_id"
    )
    for at, type_id in returns.iterator(chunk_size=5000):
        out.types[office_day(at), type_id]["returned"] += 1
    return out


TYPE_COUNTS = ("received", "returned", "finished", "on_time")
PLACE_COUNTS = ("received", "finished", "on_time")


@transaction.atomic
def figures_rebuild() -> tuple[int, int]:
    """Recompute every day's figures from the files and their events; returns the rows
    written (per type, per place)."""
    derived = _derive()
    DailyTypeFigures.objects.all().delete()
    DailyPlaceFigures.objects.all().delete()
    DailyTypeFigures.objects.bulk_create(
        (
            DailyTypeFigures(
                day=day, permit_type_id=type_id, times=derived.times[day, type_id], **counts
            )
            for (day, type_id), counts in derived.types.items()
        ),
        batch_size=2000,
    )
    DailyPlaceFigures.objects.bulk_create(
        (
            DailyPlaceFigures(day=day, kecamatan=place, **counts)
            for (day, place), counts in derived.places.items()
        ),
        batch_size=2000,
    )
    return len(derived.types), len(derived.places)


def figures_differences() -> list[str]:
    """Where the kept figures differ from what the files say now, one line per day and key;
    empty when they agree. Reads every file: a check for an operator, not for a page."""
    derived = _derive()
    kept_types = {
        (row.day, row.permit_type_id): row for row in DailyTypeFigures.objects.all().iterator()
    }
    lines = []
    for key in sorted(set(derived.types) | set(kept_types), key=str):
        row = kept_types.get(key)
        kept = {name: getattr(row, name, 0) for name in TYPE_COUNTS}
        kept["times"] = _in_order(row.times if row else [])
        should = {name: derived.types[key][name] for name in TYPE_COUNTS}
        should["times"] = _in_order(derived.times.get(key, []))
        if kept != should:
            lines.append(f"{key[0]} type {key[1]}: kept {_brief(kept)}, files say {_brief(should)}")
    # A file's place is counted where its details named it at the act; the files only say
    # where it is now. A site changed on a return moves a count between kecamatan, never
    # off its day: the places are compared per day, in total.
    kept_days, derived_days = defaultdict(Counter), defaultdict(Counter)
    for row in DailyPlaceFigures.objects.all():
        kept_days[row.day].update({name: getattr(row, name) for name in PLACE_COUNTS})
    for (day, _place), counts in derived.places.items():
        derived_days[day].update(counts)
    for day in sorted(set(kept_days) | set(derived_days)):
        kept = {name: kept_days[day][name] for name in PLACE_COUNTS}
        should = {name: derived_days[day][name] for name in PLACE_COUNTS}
        if kept != should:
            lines.append(f"{day} places: kept {kept}, files say {should}")
    return lines


def _in_order(times: list) -> list:
    return sorted(times, key=lambda t: (t[0], -1 if t[1] is None else t[1]))


def _brief(figures: dict) -> dict:
    return {**figures, "times": len(figures["times"])}
