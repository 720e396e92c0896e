"""Pages of long lists whose cost does not grow with the list (issue 20.5).

- ``keyset_page``: newest first by a moment and the id, continued from the last row
  shown (``after``) or back from the first (``before``). The database reads one page from
  the index, however deep the page; no OFFSET, no COUNT. The cursor is signed, so a
  tampered one is a first page, never an error or another ordering.
- ``CappedPaginator``: Django's paginator for lists numbered by page, counting at most
  ``cap`` rows: a filter that matches 300 000 files is "more than 1 000", and a list that
  deep is searched, not paged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property

SALT = "core.paging.keyset"
# The query parameters of a keyset pager (templates/_keyset_pager.html).
PAGE_AFTER, PAGE_BEFORE = "setelah", "sebelum"


@dataclass
class KeysetPage:
    items: list
    next_cursor: str = ""
    previous_cursor: str = ""
    first: bool = True

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.previous_cursor)


def keyset_cursor(row, key: str) -> str:
    """The cursor that continues a list after ``row`` (its ``key`` moment and id)."""
    return signing.dumps([getattr(row, key).isoformat(), row.pk], salt=SALT, compress=False)


def _decode(cursor: str | None):
    if not cursor:
        return None
    try:
        moment, pk = signing.loads(cursor, salt=SALT)
        return datetime.datetime.fromisoformat(moment), int(pk)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def keyset_page(
    queryset: QuerySet, *, key: str, size: int, after: str | None = None, before: str | None = None
) -> KeysetPage:
    """One page of ``queryset`` newest first by ``key`` (a moment) then id, descending.

    ``after``: the rows older than the one that cursor names; ``before``: the rows newer
    than it (the previous page). Neither, or a cursor that does not verify: the first
    page. Reads ``size + 1`` rows to know whether more follow."""
    newest_first = queryset.order_by(f"-{key}", "-pk")
    back = _decode(before)
    forward = _decode(after) if back is None else None
    if back is not None:
        moment, pk = back
        newer = Q(**{f"{key}__gt": moment}) | Q(**{key: moment, "pk__gt": pk})
        rows = list(queryset.filter(newer).order_by(key, "pk")[: size + 1])
        more_before = len(rows) > size
        rows = list(reversed(rows[:size]))
        return KeysetPage(
            items=rows,
            next_cursor=keyset_cursor(rows[-1], key) if rows else "",
            previous_cursor=keyset_cursor(rows[0], key) if rows and more_before else "",
            first=not more_before,
        )
    if forward is not None:
        moment, pk = forward
        older = Q(**{f"{key}__lt": moment}) | Q(**{key: moment, "pk__lt": pk})
        newest_first = newest_first.filter(older)
    rows = list(newest_first[: size + 1])
    more_after = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        items=rows,
        next_cursor=keyset_cursor(rows[-1], key) if rows and more_after else "",
        previous_cursor=keyset_cursor(rows[0], key) if rows and forward is not None else "",
        first=forward is None,
    )


class CappedPaginator(Paginator):
    """A paginator whose count stops at ``cap`` (one bounded query): past it, the last
    page offered is the cap's, and ``capped`` tells the page to say "more than"."""

    def __init__(self, object_list, per_page, *, cap: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        return super().num_pages if not self.capped else -(-self.cap // self.per_page)
