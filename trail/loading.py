"""Reference data loaded idempotently from a file (the permit catalogue, the regency's
places): rows matched by key, a row already right left alone (a second load writes nothing
and leaves no history), a changed one updated with its field history, new ones inserted at
once with their history sealed into the trail, and a row gone from the file deactivated,
never deleted, because records refer to it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from simple_history.utils import bulk_create_with_history

from trail.seals import seal_history_bulk


@dataclass
class LoadReport:
    counts: Counter = field(default_factory=Counter)

    def add(self, kind: str, outcome: str) -> None:
        self.counts[f"{kind}.{outcome}"] += 1

    @property
    def changed(self) -> bool:
        return any(n for key, n in self.counts.items() if not key.endswith(".unchanged"))

    def __str__(self) -> str:
        return ", ".join(f"{key}={n}" for key, n in sorted(self.counts.items())) or "empty"


def rows_sync(model, wanted: dict, existing: dict, report: LoadReport, kind: str, fk: str) -> dict:
    """Bring ``model``'s rows in line with ``wanted`` (key -> field values) and return key ->
    row. A row whose values differ is saved (its field history records the change); new
    rows are created in one insert with their history, which is sealed (``trail.seals``);
    a row that matches is not touched. ``existing`` maps key -> row already stored.

    Rows are validated field by field; uniqueness is what ``wanted``'s keys are, and the
    database's constraints hold it. ``fk``, the parent this load just wrote, is not looked
    up again."""
    rows, new = {}, []
    for key, values in wanted.items():
        obj = existing.get(key)
        if obj is None:
            obj = model(**values)
            obj.full_clean(exclude=[fk], validate_unique=False, validate_constraints=False)
            new.append(obj)
            report.add(kind, "created")
        else:
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            if changed:
                for name in changed:
                    setattr(obj, name, values[name])
                obj.full_clean(exclude=[fk], validate_unique=False, validate_constraints=False)
                obj.save()
                report.add(kind, "updated")
            else:
                report.add(kind, "unchanged")
        rows[key] = obj
    if new:
        created = bulk_create_with_history(new, model)
        seal_history_bulk(model, created)
        by_key = {id(obj): obj for obj in created}
        rows = {key: by_key.get(id(obj), obj) for key, obj in rows.items()}
    return rows


def rows_deactivate(queryset, report: LoadReport, kind: str) -> None:
    # Row by row, not queryset.update(): each deactivation leaves field history.
    for obj in queryset.filter(active=True):
        obj.active = False
        obj.save(update_fields=["active"])
        report.add(kind, "deactivated")
