"""Changes made behind the application's back (raw SQL, triggers switched off as a DBA
would) break the chain, and the walk names the first broken link."""

import datetime

import pytest

from permits.models import ApplicationEvent
from tests.trail.kit import behind_the_back, chain, forged_copy, insert_raw
from trail.chain import GENESIS
from trail.models import ChainDay
from trail.verify import chain_verify

pytestmark = pytest.mark.django_db


def problem(**kwargs) -> str:
    report = chain_verify(**kwargs)
    assert not report.ok
    return report.problem


def delete_seq(*seqs) -> None:
    with behind_the_back() as cursor:
        for seq in seqs:
            cursor.execute("DELETE FROM permits_applicationevent WHERE seq = %s", [seq])


def test_an_edited_note_breaks_its_own_link(files):
    target = chain()[9]
    with behind_the_back() as cursor:
        cursor.execute(
            "UPDATE permits_applicationevent SET note = %s WHERE id = %s", ["diubah", target.pk]
        )
    assert problem() == (
        f"BROKEN at seq 10 (event id {target.pk}, application {target.application_id}): "
        "content does not match its hash — the row was edited"
    )
    assert chain_verify().checked == 9


def test_an_edited_row_with_a_recomputed_hash_breaks_the_next_link(files):
    events = chain()
    forged = forged_copy(events[4], note="tidak pernah terjadi")
    with behind_the_back() as cursor:
        cursor.execute(
            "UPDATE permits_applicationevent SET note = %s, hash = %s WHERE id = %s",
            [forged.note, forged.hash, events[4].pk],
        )
    after = events[5]
    assert problem() == (
        f"seq 6 (event id {after.pk}, application {after.application_id}): prev_hash does "
        "not match seq 5's hash: a row was inserted or replaced"
    )


def test_a_deleted_middle_row_shows_as_a_gap(files):
    delete_seq(7)
    assert problem() == "missing seq 7: rows were deleted"


def test_several_deleted_rows_show_as_one_range(files):
    delete_seq(7, 8, 9)
    assert problem() == "missing seq 7..9: rows were deleted"


def test_deleted_newest_rows_show_against_the_head(files):
    last = chain()[-1].seq
    delete_seq(last, last - 1)
    assert problem() == (
        f"chain ends at seq {last - 2} but the head says {last}: the newest rows were deleted"
    )


def test_a_forged_row_with_a_made_up_hash_past_the_head(files):
    newest = chain()[-1]
    insert_raw(forged_copy(newest, seq=newest.seq + 1, hash="a" * 64, prev_hash=newest.hash))
    forged = ApplicationEvent.objects.get(seq=newest.seq + 1)
    assert problem() == (
        f"seq {forged.seq} (event id {forged.pk}, application {forged.application_id}) is "
        f"past the head (seq {newest.seq}): it was appended behind the application's back"
    )


def test_a_forged_row_with_a_made_up_hash_in_a_gap(files):
    events = chain()
    forged = forged_copy(events[7], note="palsu", hash="b" * 64)
    delete_seq(8)
    insert_raw(forged)
    forged = ApplicationEvent.objects.get(seq=8)
    assert problem() == (
        f"BROKEN at seq 8 (event id {forged.pk}, application {forged.application_id}): "
        "content does not match its hash — the row was edited"
    )


def test_a_forged_row_with_a_correct_hash_but_the_wrong_prev(files):
    events = chain()
    forged = forged_copy(events[7], note="palsu", prev_hash=GENESIS)
    delete_seq(8)
    insert_raw(forged)
    forged = ApplicationEvent.objects.get(seq=8)
    assert problem() == (
        f"seq 8 (event id {forged.pk}, application {forged.application_id}): prev_hash does "
        "not match seq 7's hash: a row was inserted or replaced"
    )


def test_a_row_without_a_hash(files):
    newest = chain()[-1]
    forged = forged_copy(newest, hash="", prev_hash="")
    delete_seq(newest.seq)
    insert_raw(forged)
    forged = ApplicationEvent.objects.get(seq=newest.seq)
    assert problem() == (
        f"seq {forged.seq} (event id {forged.pk}, application {forged.application_id}) has "
        "no hash: it was inserted behind the application's back"
    )


def test_content_swapped_between_two_rows(files):
    events = chain()
    a, b = events[3], events[11]
    swapped = ["action", "note", "from_state", "to_state", "created_at", "actor_id"]
    with behind_the_back() as cursor:
        for row, other in ((a, b), (b, a)):
            assignments = ", ".join(f"{name} = %s" for name in swapped)
            values = [
                ApplicationEvent._meta.get_field(name).get_db_prep_save(
                    getattr(other, name), cursor.db
                )
                for name in swapped
            ]
            cursor.execute(
                f"UPDATE permits_applicationevent SET {assignments} WHERE id = %s",  # noqa: S608
                [*values, row.pk],
            )
    assert problem().startswith(f"BROKEN at seq 4 (event id {a.pk},")


def test_a_rewritten_chain_shows_against_a_recorded_day(files):
    """Everything recomputed from seq 5 on, head included: only an anchor shows it."""
    events = chain()
    ChainDay.objects.create(
        day=datetime.date(2026, 3, 1), last_seq=events[6].seq, head_hash=events[6].hash
    )
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
    assert chain_verify(expect=[]).problem == (
        f"the head recorded for 2026-03-01 is seq 7 with hash {events[6].hash}, but the chain "
        f"has {ApplicationEvent.objects.get(seq=7).hash} there: the chain was rewritten up to "
        "that point"
    )


def test_a_recorded_day_past_the_end_of_the_chain(files):
    last = chain()[-1]
    ChainDay.objects.create(day=datetime.date(2026, 3, 1), last_seq=last.seq, head_hash=last.hash)
    delete_seq(last.seq)
    with behind_the_back() as cursor:
        cursor.execute(
            "UPDATE trail_chainhead SET seq = %s, hash = %s", [last.seq - 1, chain()[-1].hash]
        )
    assert problem() == (
        f"the head recorded for 2026-03-01 is seq {last.seq}, but the chain ends at seq "
        f"{last.seq - 1}: the newest rows were deleted"
    )


def test_a_kept_head_that_does_not_match(files):
    events = chain()
    assert chain_verify(expect=[(5, events[4].hash)]).ok
    assert problem(expect=[(5, "c" * 64)]) == (
        f"the expected head is seq 5 with hash {'c' * 64}, but the chain has "
        f"{events[4].hash} there: the chain was rewritten up to that point"
    )


def test_the_first_broken_link_is_named_when_there_are_several(files):
    events = chain()
    delete_seq(15)
    with behind_the_back() as cursor:
        cursor.execute(
            "UPDATE permits_applicationevent SET note = 'x' WHERE id = %s", [events[2].pk]
        )
    assert problem().startswith("BROKEN at seq 3 ")


def test_a_deleted_head_row(files):
    with behind_the_back() as cursor:
        cursor.execute("DELETE FROM trail_chainhead")
    assert problem() == "the chain head (trail_chainhead) is missing: it was deleted"
