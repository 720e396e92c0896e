"""Reads of the audit trail for pages."""

from __future__ import annotations

from trail.models import ChainDay


def chain_days_recent(limit: int = 30) -> list[ChainDay]:
    """The last ``limit`` recorded day heads, newest first (the auditors' page)."""
    return list(ChainDay.objects.order_by("-day")[:limit])
