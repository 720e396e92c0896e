"""Field history (django-simple-history) with its manager class built once.

The library builds the manager behind ``instance.history`` afresh on every access
(``Manager.from_queryset``, which lists the queryset's methods with ``inspect``), and it
reaches it for every historical record it writes: on each save of a model with history.
Here the class is built once per queryset class; the records and tables are the same.
"""

from __future__ import annotations

import functools

from simple_history import manager, models


class HistoryManager(manager.HistoryManager):
    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


class HistoricalRecords(models.HistoricalRecords):
    """``simple_history.models.HistoricalRecords`` with ``HistoryManager`` by default."""

    def __init__(self, *args, history_manager=HistoryManager, **kwargs):
        super().__init__(*args, history_manager=history_manager, **kwargs)
