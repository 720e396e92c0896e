"""Reads of the audit trail for pages."""

from __future__ import annotations

from trail.models import ChainAnchor, ChainDay


def chain_days_recent(limit: int = 30) -> list[ChainDay]:
    """The last ``limit`` recorded day heads, newest first (the auditors' page)."""
    return list(ChainDay.objects.order_by("-day")[:limit])


def chain_anchors():
    """Every hourly anchor, newest first (the public register: no personal data)."""
    return ChainAnchor.objects.order_by("-at").only(
        "at", "last_seq", "head_hash", "seal_seq", "seal_hash", "prev_hash", "hash"
    )
