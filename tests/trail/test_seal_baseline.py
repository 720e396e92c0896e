"""The migration that began sealing gives every existing row of every sealed model one
``baseline`` seal (the row as it then was, not its original write), and the trail then
verifies; a row edited afterwards behind the application's back still shows."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from tests.trail.kit import behind_the_back
from trail.models import GENESIS, Seal, SealAction, SealHead
from trail.seals import bound_models
from trail.verify import chain_verify

pytestmark = pytest.mark.django_db

migration = importlib.import_module("trail.migrations.0002_chain_seals_anchors")


def test_existing_rows_get_one_baseline_seal_each(files):
    with behind_the_back() as cursor:  # as before the migration: no seal at all
        cursor.execute("DELETE FROM trail_seal")
        cursor.execute("DELETE FROM trail_sealhead")
    assert not chain_verify().ok

    migration.rows_baseline(apps, SimpleNamespace(connection=connection))

    rows = {
        (model._meta.label_lower, pk)
        for model in bound_models()
        for pk in model._base_manager.values_list("pk", flat=True)
    }
    seals = list(Seal.objects.order_by("seq"))
    assert {(s.model, s.row_id) for s in seals} == rows and len(seals) == len(rows)
    assert {s.action for s in seals} == {SealAction.BASELINE}
    assert seals[0].prev_hash == GENESIS
    assert [s.seq for s in seals] == list(range(1, len(seals) + 1))
    assert SealHead.objects.get().seq == len(seals)
    report = chain_verify()
    assert report.ok, report.problem
    assert report.rows_checked == len(rows)

    document = next(s for s in seals if s.model == "permits.document")
    with behind_the_back() as cursor:
        cursor.execute(
            "UPDATE permits_document SET size = size + 1 WHERE id = %s", [document.row_id]
        )
    assert chain_verify().problem.startswith(f"permits_document row {document.row_id} ")


def test_an_empty_database_gets_no_seal():
    migration.rows_baseline(apps, SimpleNamespace(connection=connection))
    assert not Seal.objects.exists()
    assert chain_verify().ok
