"""Hourly anchors: both chains' heads recorded each hour, chained, mailed to the
inspectorate through the outbox (kept while Redis is down), shown on the public register,
and checked by verify_audit_trail, so a chain rewritten before the last anchor shows
without ``--expect``."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from integrity.inspection.services.anchor_mail import ANCHOR_KIND
from outbox.models import Channel, Message, MessageStatus
from permits.models import ApplicationEvent
from portal.schedules import SCHEDULES
from tests.factories import new_file
from tests.trail.kit import behind_the_back, chain, forged_copy
from trail.anchors import anchor_hash, anchor_record
from trail.models import GENESIS, ChainAnchor, ChainHead, Seal, SealHead
from trail.seals import seal_hash
from trail.verify import chain_verify

pytestmark = pytest.mark.django_db

TEN = datetime.datetime(2026, 3, 2, 3, 7, tzinfo=datetime.UTC)  # 10:07 in Jakarta
HOUR = datetime.timedelta(hours=1)


def test_an_anchor_holds_both_heads_once_an_hour_chained_to_the_one_before(files, settings):
    settings.AUDIT_ANCHOR_EMAIL = "inspektorat@example.go.id"
    first = anchor_record(TEN)
    head, seals = ChainHead.objects.get(), SealHead.objects.get()
    assert first.at == datetime.datetime(2026, 3, 2, 3, 0, tzinfo=datetime.UTC)
    assert (first.last_seq, first.head_hash) == (head.seq, head.hash)
    assert (first.seal_seq, first.seal_hash) == (seals.seq, seals.hash) != (0, GENESIS)
    assert first.prev_hash == GENESIS and first.hash == anchor_hash(first)
    assert anchor_record(TEN + datetime.timedelta(minutes=40)) == first  # the same hour
    second = anchor_record(TEN + HOUR)
    assert second.prev_hash == first.hash
    assert ChainAnchor.objects.count() == 2
    assert Message.objects.filter(kind=ANCHOR_KIND).count() == 2  # once per hour
    assert chain_verify().ok


def test_each_anchor_is_mailed_to_the_configured_address(files, settings):
    settings.AUDIT_ANCHOR_EMAIL = "inspektorat@example.go.id, arsip@example.go.id"
    anchor = anchor_record(TEN)
    mails = Message.objects.filter(kind=ANCHOR_KIND).order_by("address")
    assert [(m.channel, m.address, m.recipient) for m in mails] == [
        (Channel.EMAIL, "arsip@example.go.id", None),
        (Channel.EMAIL, "inspektorat@example.go.id", None),
    ]
    mail = mails[0]
    assert mail.subject == "Jangkar jejak audit Terang 2026-03-02 03:00 UTC"
    assert f"nomor urut {anchor.last_seq}, hash {anchor.head_hash}" in mail.body
    assert f"nomor urut {anchor.seal_seq}, hash {anchor.seal_hash}" in mail.body
    assert f"verify_audit_trail --expect {anchor.last_seq}:{anchor.head_hash}" in mail.body


def test_unset_it_is_mailed_to_every_active_auditor_in_their_language(office, settings):
    settings.AUDIT_ANCHOR_EMAIL = ""
    office.auditor.email, office.auditor.language = "auditor@example.go.id", "en"
    office.auditor.save()
    retired = type(office.auditor).objects.create(
        username="retired", role="auditor", email="retired@example.go.id", is_active=False
    )
    anchor_record(TEN)
    mails = list(Message.objects.filter(kind=ANCHOR_KIND))
    assert [(m.address, m.language) for m in mails] == [("auditor@example.go.id", "en")]
    assert retired.email not in {m.address for m in mails}
    assert mails[0].subject == "Audit trail anchor of Terang 2026-03-02 03:00 UTC"


def test_with_redis_down_the_anchor_lands_and_its_mail_stays_queued(
    files, settings, redis_down, django_capture_on_commit_callbacks
):
    settings.AUDIT_ANCHOR_EMAIL = "inspektorat@example.go.id"
    with django_capture_on_commit_callbacks(execute=True):
        anchor = anchor_record(TEN)
    assert ChainAnchor.objects.get() == anchor
    mail = Message.objects.get(kind=ANCHOR_KIND)
    assert mail.status == MessageStatus.PENDING  # the sweep delivers it later


def test_the_public_register_shows_the_anchors_newest_first(files, settings):
    settings.AUDIT_ANCHOR_EMAIL = "inspektorat@example.go.id"
    older = anchor_record(TEN)
    newer = anchor_record(TEN + HOUR)
    body = Client().get("/daftar-izin/").content.decode()
    assert "Jangkar jejak audit" in body
    assert body.index(newer.hash[:16]) < body.index(older.hash[:16])
    assert f"#{newer.last_seq}" in body and f"#{newer.seal_seq}" in body
    assert 'href="/daftar-izin/jangkar.json"' in body
    data = Client().get("/daftar-izin/jangkar.json").json()
    assert [a["hash"] for a in data["anchors"]] == [newer.hash, older.hash]
    assert data["anchors"][0] == {
        "at": "2026-03-02T04:00:00.000000+00:00",
        "event_seq": newer.last_seq,
        "event_hash": newer.head_hash,
        "seal_seq": newer.seal_seq,
        "seal_hash": newer.seal_hash,
        "previous": older.hash,
        "hash": newer.hash,
    }
    assert "inspektorat@" not in body and "Siti" not in body  # no personal data


def test_the_anchor_task_is_scheduled_hourly():
    schedule = next(s for s in SCHEDULES if s.name == "trail.record_chain_anchor")
    assert schedule.task == "trail.tasks.record_chain_anchor"
    assert schedule.crontab["hour"] == "*"


def test_events_rewritten_before_the_last_anchor_show_without_expect(files, settings):
    settings.AUDIT_ANCHOR_EMAIL = "inspektorat@example.go.id"
    events = chain()
    anchor = anchor_record(TEN)
    prev = events[3].hash
    with behind_the_back() as cursor:
        for event in events[4:]:
            forged = forged_copy(event, note=event.note + " ", prev_hash=prev)
            cursor.execute(
                "UPDATE permits_applicationevent SET note = %s, prev_hash = %s, hash = %s "
                "WHERE id = %s",
                [forged.note, forged.prev_hash, forged.hash, event.pk],
            )
            prev = forged.hash
        cursor.execute("UPDATE trail_chainhead SET hash = %s", [prev])
    rewritten = ApplicationEvent.objects.get(seq=anchor.last_seq).hash
    assert chain_verify().problem == (
        f"the anchor of 2026-03-02T03:00+00:00 is seq {anchor.last_seq} with hash "
        f"{anchor.head_hash}, but the chain has {rewritten} there: the chain was rewritten "
        "up to that point"
    )


def test_seals_rewritten_before_the_last_anchor_show_without_expect(files, settings):
    """A row edited, its seal and every later one recomputed, the seal head too."""
    settings.AUDIT_ANCHOR_EMAIL = "inspektorat@example.go.id"
    anchor = anchor_record(TEN)
    seals = list(Seal.objects.order_by("seq"))
    prev = seals[2].prev_hash
    with behind_the_back() as cursor:
        for seal in seals[2:]:
            seal.prev_hash = prev
            if seal is seals[2]:
                seal.content_sha256 = "1" * 64  # as if re-sealed after an edit
            seal.hash = prev = seal_hash(seal)
            cursor.execute(
                "UPDATE trail_seal SET content_sha256 = %s, prev_hash = %s, hash = %s "
                "WHERE id = %s",
                [seal.content_sha256, seal.prev_hash, seal.hash, seal.pk],
            )
        cursor.execute("UPDATE trail_sealhead SET hash = %s", [prev])
    assert chain_verify().problem == (
        f"the anchor of 2026-03-02T03:00+00:00 is seal seq {anchor.seal_seq} with hash "
        f"{anchor.seal_hash}, but the seal chain has {prev} there: the seals were rewritten "
        "up to that point"
    )


def test_an_edited_or_deleted_anchor_breaks_the_anchors_chain(files, settings):
    settings.AUDIT_ANCHOR_EMAIL = "inspektorat@example.go.id"
    first = anchor_record(TEN)
    second = anchor_record(TEN + HOUR)
    anchor_record(TEN + 2 * HOUR)
    with behind_the_back() as cursor:
        cursor.execute("UPDATE trail_chainanchor SET last_seq = 1 WHERE id = %s", [second.pk])
    assert chain_verify().problem == (
        f"the anchor of 2026-03-02T04:00+00:00 (trail_chainanchor id {second.pk}) does not "
        "match its hash: the anchor was edited"
    )
    with behind_the_back() as cursor:
        cursor.execute("DELETE FROM trail_chainanchor WHERE id = %s", [second.pk])
    third = ChainAnchor.objects.order_by("at").last()
    assert first.hash != third.prev_hash
    assert chain_verify().problem == (
        f"the anchor of 2026-03-02T05:00+00:00 (trail_chainanchor id {third.pk}): prev_hash "
        "does not match the anchor before: an anchor was deleted or inserted"
    )


def test_the_administrator_reads_anchors_and_seals_but_cannot_change_them(office, client):
    new_file(office)  # a few sealed rows
    anchor_record(TEN)
    client.force_login(office.admin)
    for path in ("/admin/trail/chainanchor/", "/admin/trail/seal/"):
        response = client.get(path)
        assert response.status_code == 200
        assert f"{path}add/".encode() not in response.content
    seal = Seal.objects.first()
    response = client.post(f"/admin/trail/seal/{seal.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Seal.objects.filter(pk=seal.pk).exists()
