"""Querysets compiled once and run many times: for the hottest public pages only.

Compiling a queryset to SQL costs Django about a millisecond, often more than PostgreSQL
takes to run it (the tracking page ran four). ``PreparedQuery`` compiles a ``values_list``
queryset once per database, with placeholder values standing in for the parameters, then
runs the same SQL with the real values and converts the rows with Django's own converters,
so the results are what the queryset itself would return, on SQLite as on PostgreSQL.

Use it only where a benchmark shows the compile cost matters; everywhere else the ORM
reads better.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet


def model_columns(model, names=None) -> list[str]:
    """The attnames of ``model``'s concrete fields (those in ``names``, or all) in the
    model's field order, as ``Model.from_db`` wants them."""
    return [f.attname for f in model._meta.concrete_fields if names is None or f.attname in names]


@dataclass
class _Compiled:
    compiler: object
    sql: str
    params: list
    slots: list[tuple[int, int]]  # (position in params, argument index)


class PreparedQuery:
    """``build(*samples)`` returns a ``values_list`` queryset filtered on the samples (values
    of the right type that appear nowhere else among its parameters); call the prepared query
    with the real arguments in their place to get its rows as tuples."""

    def __init__(self, build: Callable[..., QuerySet], *samples) -> None:
        self.build = build
        self.samples = samples
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def _compile(self, alias: str) -> _Compiled:
        key = (alias, connections[alias].settings_dict["NAME"])
        compiled = self._compiled.get(key)
        if compiled is None:
            queryset = self.build(*self.samples)
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            params = list(params)
            slots = []
            for position, value in enumerate(params):
                for index, sample in enumerate(self.samples):
                    if value == sample and type(value) is type(sample):
                        slots.append((position, index))
            if len(slots) != len(self.samples):
                raise ValueError("each sample must appear exactly once among the parameters")
            compiled = self._compiled[key] = _Compiled(compiler, sql, params, slots)
        return compiled

    def __call__(self, *args, using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
        compiled = self._compile(using)
        params = list(compiled.params)
        for position, index in compiled.slots:
            params[position] = args[index]
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return list(compiled.compiler.results_iter(results=[rows], tuple_expected=True))
