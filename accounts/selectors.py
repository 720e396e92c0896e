"""Reads of accounts: who is who, for the pages and services of other apps."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import RESPONSIBLE_ROLES, User


def responsible_staff() -> QuerySet[User]:
    """Active staff who can be held responsible (``RESPONSIBLE_ROLES``), by name: who may be
    named in a finding, given a sanction, reminded to renew a register. A former officer
    (deactivated) stays in every record that names them, but is offered for nothing new."""
    return User.objects.filter(is_active=True, role__in=sorted(RESPONSIBLE_ROLES)).order_by(
        "full_name", "pk"
    )
