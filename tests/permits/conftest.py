"""Fixtures of the permits tests."""

from __future__ import annotations

import pytest

from accounts.models import Role
from permits.models import TypeRecommender
from tests.conftest import users_bulk
from tests.factories import OPDFactory


@pytest.fixture
def team(office):
    """Public works (2 working days) and the environment office (3) recommend on the full
    type; each has a technical officer and a supervisor answering to the head."""
    pupr = OPDFactory(code="DPUPR", name_id="Dinas PUPR", name_en="Public Works Office")
    dlh = OPDFactory(code="DLH", name_id="Dinas Lingkungan Hidup", name_en="")
    people = users_bulk(
        pupr_officer={"role": Role.TECHNICAL, "username": "teknis.pupr", "unit": pupr},
        pupr_officer2={"role": Role.TECHNICAL, "username": "teknis.pupr2", "unit": pupr},
        dlh_officer={"role": Role.TECHNICAL, "username": "teknis.dlh", "unit": dlh},
        pupr_supervisor={
            "role": Role.SUPERVISOR,
            "username": "atasan.pupr",
            "unit": pupr,
            "supervisor": office.head,
        },
        dlh_supervisor={
            "role": Role.SUPERVISOR,
            "username": "atasan.dlh",
            "unit": dlh,
            "supervisor": office.head,
        },
    )
    TypeRecommender.objects.create(permit_type=office.full_type, opd=pupr, working_days=2)
    TypeRecommender.objects.create(permit_type=office.full_type, opd=dlh, working_days=3)
    office.pupr, office.dlh = pupr, dlh
    vars(office).update(people)
    return office
