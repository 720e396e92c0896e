"""Every record the audit relies on is sealed: the legitimate flows (a message, a staff
view, a document version, a declaration, a case opened, reviewed and decided, a finding
and its follow-ups, a complaint and its entries and evidence, and every field-history row)
verify; a row of any sealed table edited, deleted or inserted behind the application's back
(raw SQL; on PostgreSQL with the triggers switched off) makes ``verify_audit_trail`` exit 1
naming the table and the row."""

from __future__ import annotations

import datetime
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from permits.models import Document
from tests.factories import declared_case, submitted
from tests.trail.kit import behind_the_back, verify
from trail.content import row_sha256
from trail.models import Seal, SealAction, SealHead
from trail.seals import bound_models, seal_hash
from trail.verify import chain_verify

pytestmark = pytest.mark.django_db

# Tables the audit relies on, by name in the issue: each must hold rows after ``records``.
REQUIRED = {
    "permits.filemessage",
    "permits.fileview",
    "permits.document",
    "integrity.filedeclaration",
    "integrity.conflictcase",
    "integrity.finding",
    "integrity.followup",
    "integrity.suspicion",
    "integrity.flagverdict",
    "public.complaintentry",
    "public.complaintevidence",
    "permits.historicaldocument",
    "permits.historicalapplication",
    "permits.historicalrequirementcheck",
    "integrity.historicalconflictcase",
    "integrity.historicalfinding",
    "public.historicalcomplaint",
    "accounts.historicaluser",
}
LABELS = sorted(model._meta.label_lower for model in bound_models())


def test_the_legitimate_flows_seal_every_required_table_and_verify(records):
    present = {label for label in LABELS if _model(label)._base_manager.exists()}
    assert present >= REQUIRED, REQUIRED - present
    sealed = set(Seal.objects.values_list("model", flat=True))
    assert present <= sealed
    report = chain_verify(chunk_size=7)
    assert report.ok, report.problem
    assert report.rows_checked == sum(_model(label)._base_manager.count() for label in LABELS)
    assert report.seals_checked == Seal.objects.count() == SealHead.objects.get().seq
    status, out = verify()
    assert status == 0 and "sealed row(s) match their seals" in out


def test_a_legitimate_change_and_delete_re_seal(records):
    document = Document.objects.order_by("pk").first()
    document.original_name = "ktp-baru.pdf"
    document.save()
    latest = Seal.objects.filter(model="permits.document", row_id=document.pk).last()
    assert latest.action == SealAction.CHANGE
    assert latest.content_sha256 == row_sha256(Document.objects.get(pk=document.pk))
    assert chain_verify().ok
    Document.objects.filter(pk=document.pk).delete()  # a queryset's delete() sends signals
    latest = Seal.objects.filter(model="permits.document", row_id=document.pk).last()
    assert (latest.action, latest.content_sha256) == (SealAction.DELETE, "")
    assert chain_verify().ok


def _model(label: str) -> type[models.Model]:
    return next(m for m in bound_models() if m._meta.label_lower == label)


def _quoted(model) -> tuple[str, str]:
    meta = model._meta
    return connection.ops.quote_name(meta.db_table), connection.ops.quote_name(meta.pk.column)


def _edit_field(model) -> models.Field:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.unique]
    for kind in (models.TextField, models.CharField, models.DateTimeField):
        for field in fields:
            if isinstance(field, kind) and not field.is_relation:
                return field
    raise AssertionError(f"{model._meta.label}: nothing to edit")


def _edited(field, value):
    if isinstance(field, models.DateTimeField):
        return (value or timezone.now()) + datetime.timedelta(seconds=1)
    return "x" if value != "x" else "y"


def _raw_update(model, pk, field, value) -> None:
    table, key = _quoted(model)
    column = connection.ops.quote_name(field.column)
    with behind_the_back() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = %s WHERE {key} = %s",  # noqa: S608
            [field.get_db_prep_save(value, connection), pk],
        )


def _raw_insert(model, values: dict, cursor=None) -> None:
    if cursor is None:
        with behind_the_back() as cursor:
            return _raw_insert(model, values, cursor)
    table, _key = _quoted(model)
    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    params = [f.get_db_prep_save(values[f.attname], connection) for f in fields]
    cursor.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", params)  # noqa: S608
    return None


def _raw_delete(model, pk) -> None:
    table, key = _quoted(model)
    with behind_the_back() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {key} = %s", [pk])  # noqa: S608


def _values(row) -> dict:
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}


def _unique_names(model) -> set[str]:
    names = {f.attname for f in model._meta.concrete_fields if f.unique and not f.primary_key}
    for constraint in model._meta.constraints:
        fields = [model._meta.get_field(n) for n in getattr(constraint, "fields", ())]
        plain = [f for f in fields if not f.is_relation]
        names |= {(plain or fields)[0].attname} if fields else set()
    return names


def _fresh(field, value, salt: int):
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.ForeignKey):
        return value
    if isinstance(field, models.IntegerField):
        return (value or 0) + salt
    return f"F{salt}"[: field.max_length or 10]


def _copy_inserted(model) -> int:
    """Insert a copy of one of the model's rows under a new id (unique values changed)."""
    unique = _unique_names(model)
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    top = model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
    with behind_the_back() as cursor:
        for salt, row in enumerate(model._base_manager.order_by("pk"), start=1000):
            values = _values(row)
            values[model._meta.pk.attname] = new_id = top + salt
            for name in unique:
                values[name] = _fresh(by_attname[name], values[name], salt)
                if by_attname[name].is_relation and by_attname[name].unique:  # one-to-one
                    taken = model._base_manager.values_list(name, flat=True)
                    related = by_attname[name].related_model._base_manager
                    free = related.exclude(pk__in=list(taken)).values_list("pk", flat=True)
                    values[name] = free.first() or values[name]
            try:
                with transaction.atomic():
                    _raw_insert(model, values, cursor)
            except IntegrityError:  # a unique constraint on foreign keys: try the next row
                pass
            else:
                return new_id
    raise AssertionError(f"{model._meta.label}: no row could be copied")


@pytest.mark.parametrize("label", LABELS)
def test_a_row_edited_deleted_or_inserted_behind_the_back_is_named(records, label):
    model = _model(label)
    row = model._base_manager.order_by("pk").last()
    if row is None:
        assert label not in REQUIRED
        pytest.skip(f"no {label} row in this flow")
    table = model._meta.db_table
    name = f"{table} row {row.pk} ({label})"

    field = _edit_field(model)
    original = getattr(row, field.attname)
    _raw_update(model, row.pk, field, _edited(field, original))
    status, err = verify()
    assert status == 1
    assert f"{name} does not match its latest seal" in err and "the row was edited" in err
    _raw_update(model, row.pk, field, original)
    assert verify()[0] == 0

    values = _values(row)
    _raw_delete(model, row.pk)
    status, err = verify()
    assert status == 1
    assert f"{name} is gone, but its latest seal" in err and "the row was deleted" in err
    _raw_insert(model, values)
    assert verify()[0] == 0

    new_id = _copy_inserted(model)
    status, err = verify()
    assert status == 1
    assert f"{table} row {new_id} ({label}) has no seal: it was inserted" in err


def test_a_deleted_seal_an_edited_seal_and_a_forged_seal_break_the_seal_chain(records):
    seals = list(Seal.objects.order_by("seq"))
    target = seals[4]
    with behind_the_back() as cursor:
        cursor.execute(
            "UPDATE trail_seal SET content_sha256 = %s WHERE id = %s", ["0" * 64, target.pk]
        )
    problem = chain_verify().problem
    assert problem == (
        f"BROKEN at seal seq {target.seq} (trail_seal id {target.pk}, {target.model} "
        f"{target.row_id}): content does not match its hash — the seal was edited"
    )
    with behind_the_back() as cursor:
        cursor.execute("DELETE FROM trail_seal WHERE id = %s", [target.pk])
    assert chain_verify().problem == f"missing seal seq {target.seq}: seals were deleted"


def test_a_row_edited_and_re_sealed_behind_the_back_breaks_the_seal_chain(records):
    """Editing a row and forging a seal that matches it, appended after the head."""
    document = Document.objects.order_by("pk").first()
    with behind_the_back() as cursor:
        cursor.execute(
            "UPDATE permits_document SET original_name = 'palsu.pdf' WHERE id = %s", [document.pk]
        )
    head = SealHead.objects.get()
    forged = Seal(
        seq=head.seq + 1,
        model="permits.document",
        row_id=document.pk,
        action=SealAction.CHANGE,
        fields=" ".join(f.attname for f in Document._meta.concrete_fields),
        content_sha256=row_sha256(Document.objects.get(pk=document.pk)),
        prev_hash=head.hash,
        created_at=timezone.now(),
    )
    forged.hash = seal_hash(forged)
    with behind_the_back() as cursor:
        cursor.execute(
            "INSERT INTO trail_seal (seq, model, row_id, action, fields, content_sha256, "
            "created_at, prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                forged.seq,
                forged.model,
                forged.row_id,
                forged.action,
                forged.fields,
                forged.content_sha256,
                Seal._meta.get_field("created_at").get_db_prep_save(forged.created_at, connection),
                forged.prev_hash,
                forged.hash,
            ],
        )
    forged = Seal.objects.get(seq=forged.seq)
    assert chain_verify().problem == (
        f"seal seq {forged.seq} (trail_seal id {forged.pk}, permits.document {document.pk}) is "
        f"past the seal head (seq {head.seq}): it was appended behind the application's back"
    )


def test_the_demo_seeded_through_the_services_verifies(catalogue, settings):
    settings.DEBUG = True
    call_command("seed_demo", files=6, stdout=StringIO())
    assert Seal.objects.filter(model="permits.document").exists()
    status, out = verify()
    assert status == 0, out


def test_an_overdue_case_stamped_by_update_is_re_sealed(office):
    """``escalate_overdue_cases`` stamps the case with ``queryset.update()``, which sends no
    signal: it seals the row itself, so the trail still verifies."""
    import time_machine

    from integrity.conflicts.services.cases import escalate_overdue_cases

    case = declared_case(submitted(office))
    with time_machine.travel(case.review_due + datetime.timedelta(hours=1), tick=False):
        assert escalate_overdue_cases() == 1
    latest = Seal.objects.filter(model="integrity.conflictcase", row_id=case.pk).last()
    assert latest.action == SealAction.CHANGE
    report = chain_verify()
    assert report.ok, report.problem
