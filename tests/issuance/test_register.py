"""The public register: each finished day sealed with a digest chained to the day before, so
that a permit added, removed or back-dated later shows; its pages and JSON for outsiders."""

# The small office of tests/permits is imported as a fixture; tests take it as an argument.

from __future__ import annotations

import datetime
import hashlib
import itertools
import json
import zoneinfo
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from issuance.models import GENESIS, Permit, RegisterDay, register_digest
from issuance.services.register import register_seal, register_verify
from issuance.tasks import seal_register
from tests.factories import new_file
from tests.trail.kit import behind_the_back
from trail.anchors import anchor_record

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db

MAR = {d: datetime.date(2026, 3, d) for d in range(1, 32)}


def wib(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 3):
    return datetime.datetime(2026, month, day, hour, minute, second, tzinfo=WIB)


NOW = wib(6, 12)  # Friday 6 March 2026, noon in Jakarta


def permit_at(office, at, number, permit_type=None) -> Permit:
    """A permit row issued at ``at`` (the register reads only number, type and time)."""
    app = new_file(office, permit_type or office.simple_type)
    return Permit.objects.create(
        application=app,
        permit_type=app.permit_type,
        number=number,
        holder_name=app.applicant_name,
        holder_nik=app.applicant_nik,
        issued_at=at,
        valid_from=timezone.localtime(at).date(),
        signed_by=office.head,
        signatory_name=office.head.display_name,
        signatory_title="Kepala Dinas",
    )


@pytest.fixture
def issued(office):
    """Permits on 2 March (two, created out of order), none on 3 March, one late on
    4 March and one just after midnight on 5 March (still 4 March in UTC)."""
    return {
        "A": permit_at(office, wib(2, 9), "SIP/0002/2026"),
        "B": permit_at(office, wib(2, 8, 15), "APT/0001/2026", office.full_type),
        "C": permit_at(office, wib(4, 23, 59, 30), "SIP/0003/2026"),
        "D": permit_at(office, wib(5, 0, 0, 10), "SIP/0004/2026"),
    }


@pytest.fixture
def sealed(issued, time_machine):
    time_machine.move_to(NOW, tick=False)
    register_seal(NOW)
    return issued


def days() -> list[RegisterDay]:
    return list(RegisterDay.objects.order_by("day"))


# --- sealing -------------------------------------------------------------------------------


def test_every_finished_day_from_the_first_permit_is_sealed_empty_days_too(office, issued):
    records = register_seal(NOW)
    assert [r.day for r in records] == [MAR[2], MAR[3], MAR[4], MAR[5]]  # not today (6th)
    assert [r.count for r in records] == [2, 0, 1, 1]
    assert [r.day for r in days()] == [MAR[2], MAR[3], MAR[4], MAR[5]]


def test_entries_are_number_type_and_local_time_in_issue_order(office, issued):
    by_day = {r.day: r.entries for r in register_seal(NOW)}
    assert by_day[MAR[2]] == [
        ["APT/0001/2026", office.full_type.code, "2026-03-02T08:15:00+07:00"],
        ["SIP/0002/2026", office.simple_type.code, "2026-03-02T09:00:00+07:00"],
    ]
    assert by_day[MAR[3]] == []
    assert by_day[MAR[4]] == [
        ["SIP/0003/2026", office.simple_type.code, "2026-03-04T23:59:30+07:00"]
    ]
    assert by_day[MAR[5]] == [
        ["SIP/0004/2026", office.simple_type.code, "2026-03-05T00:00:10+07:00"]
    ]


def test_each_digest_covers_the_day_its_entries_and_the_previous_digest(issued):
    records = register_seal(NOW)
    previous = GENESIS
    for record in records:
        assert record.previous_digest == previous
        assert record.digest == register_digest(record.day, record.entries, previous)
        previous = record.digest
    assert records[0].previous_digest == "0" * 64
    assert len({r.digest for r in records}) == len(records)  # empty days differ by day


def test_yesterday_waits_for_the_grace_period_after_midnight(issued, settings):
    settings.REGISTER_SEAL_GRACE_MINUTES = 10
    assert [r.day for r in register_seal(wib(6, 0, 5))] == [MAR[2], MAR[3], MAR[4]]
    assert [r.day for r in register_seal(wib(6, 0, 9, 59))] == []
    (late,) = register_seal(wib(6, 0, 10, 1))
    assert late.day == MAR[5] and late.previous_digest == days()[-2].digest


def test_sealing_again_seals_nothing_new(issued):
    first = register_seal(NOW)
    assert register_seal(NOW) == []
    assert register_seal(NOW + datetime.timedelta(hours=3)) == []
    assert [r.digest for r in days()] == [r.digest for r in first]


def test_the_next_run_continues_the_chain(office, issued):
    register_seal(NOW)
    permit_at(office, wib(6, 10), "SIP/0005/2026")
    (today,) = register_seal(wib(7, 9))
    assert today.day == MAR[6] and today.count == 1
    assert today.previous_digest == RegisterDay.objects.get(day=MAR[5]).digest


def test_no_permit_yet_means_nothing_to_seal(db):
    assert register_seal(NOW) == []
    assert not RegisterDay.objects.exists()


def test_the_scheduled_task_seals_up_to_yesterday(issued, time_machine):
    time_machine.move_to(NOW, tick=False)
    assert seal_register.delay().get() == 4
    assert seal_register.delay().get() == 0


def test_a_sealed_day_is_append_only(sealed):
    record = RegisterDay.objects.get(day=MAR[2])
    record.entries = []
    with pytest.raises(RuntimeError, match="append-only"):
        record.save()
    with pytest.raises(RuntimeError, match="append-only"):
        record.delete()
    assert RegisterDay.objects.get(day=MAR[2]).count == 2


# --- verifying -----------------------------------------------------------------------------


def test_an_intact_register_has_no_problems(sealed):
    assert register_verify() == []


def test_a_permit_back_dated_into_a_sealed_day_shows(office, sealed):
    permit_at(office, wib(3, 14), "SIP/0099/2026")
    (problem,) = register_verify()
    assert problem.startswith("2026-03-03:")
    assert "ditambahkan kemudian: SIP/0099/2026" in problem


def test_a_deleted_permit_shows(sealed):
    Permit.objects.filter(pk=sealed["C"].pk).delete()
    (problem,) = register_verify()
    assert problem.startswith("2026-03-04:") and "hilang: SIP/0003/2026" in problem


def test_a_permit_moved_to_another_day_shows_on_both(sealed):
    Permit.objects.filter(pk=sealed["D"].pk).update(issued_at=wib(4, 10))
    problems = register_verify()
    assert any("2026-03-04" in p and "ditambahkan kemudian: SIP/0004/2026" in p for p in problems)
    assert any("2026-03-05" in p and "hilang: SIP/0004/2026" in p for p in problems)


def test_a_changed_number_or_order_within_a_day_shows(sealed):
    Permit.objects.filter(pk=sealed["A"].pk).update(issued_at=wib(2, 7))  # now before B
    (problem,) = register_verify()
    assert problem.startswith("2026-03-02:") and "isi atau urutan berubah" in problem


def test_edited_entries_of_a_sealed_day_show(sealed):
    with behind_the_back():
        RegisterDay.objects.filter(day=MAR[2]).update(entries=[["SIP/0002/2026", "KES-SIP", "x"]])
    problems = register_verify()
    assert "2026-03-02: sidik tidak cocok dengan isinya." in problems
    assert register_verify(check_permits=False) == ["2026-03-02: sidik tidak cocok dengan isinya."]


def test_a_day_rewritten_with_a_fresh_digest_breaks_the_next_link(sealed):
    forged = [["SIP/0002/2026", "KES-SIP", "2026-03-02T09:00:00+07:00"]]
    with behind_the_back():
        RegisterDay.objects.filter(day=MAR[2]).update(
            entries=forged, count=1, digest=register_digest(MAR[2], forged, GENESIS)
        )
    assert register_verify(check_permits=False) == [
        "2026-03-03 tidak merujuk sidik hari sebelumnya."
    ]


def test_a_broken_link_shows(sealed):
    with behind_the_back():
        RegisterDay.objects.filter(day=MAR[4]).update(previous_digest="f" * 64)
    problems = register_verify()
    assert "2026-03-04 tidak merujuk sidik hari sebelumnya." in problems
    assert "2026-03-04: sidik tidak cocok dengan isinya." in problems


def test_a_removed_day_breaks_the_chain(sealed):
    with behind_the_back():  # the queryset bypasses append-only; raw access, the trigger
        RegisterDay.objects.filter(day=MAR[3]).delete()
    problems = register_verify()
    assert "Rantai terputus: setelah 2026-03-02 langsung 2026-03-04." in problems
    assert "2026-03-04 tidak merujuk sidik hari sebelumnya." in problems


def test_a_permit_dated_before_the_register_began_shows(office, sealed):
    permit_at(office, wib(1, 16), "SIP/0001/2026")
    assert register_verify() == ["Izin bertanggal sebelum register dimulai: SIP/0001/2026"]


# --- manage.py verify_register -------------------------------------------------------------


def verify_register(*args) -> str:
    out = StringIO()
    call_command("verify_register", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_command_says_an_intact_register_holds(sealed):
    assert "4 sealed day(s); the register holds." in verify_register()


def test_the_command_fails_on_tampering(sealed):
    Permit.objects.filter(pk=sealed["A"].pk).delete()
    err = StringIO()
    with pytest.raises(CommandError, match="does not hold"):
        call_command("verify_register", stdout=StringIO(), stderr=err)
    assert "hilang: SIP/0002/2026" in err.getvalue()


def test_a_kept_digest_must_equal_the_sealed_one(sealed):
    digest = RegisterDay.objects.get(day=MAR[4]).digest
    assert "holds" in verify_register("--digest", f"2026-03-04={digest}")
    assert "holds" in verify_register("--digest", f"2026-03-04={digest.upper()}")
    with pytest.raises(CommandError):
        verify_register("--digest", f"2026-03-04={'0' * 64}")
    with pytest.raises(CommandError):
        verify_register("--digest", f"2026-03-09={digest}")  # not sealed here


def test_a_malformed_kept_digest_is_a_clear_error(sealed):
    with pytest.raises(CommandError):
        verify_register("--digest", "2026-3-4x=abc")


# --- the public pages ----------------------------------------------------------------------


def test_the_index_lists_sealed_days_and_counts_today(office, sealed):
    permit_at(office, wib(6, 8), "SIP/0005/2026")
    permit_at(office, wib(6, 9), "SIP/0006/2026")
    response = Client().get("/daftar-izin/")
    body = response.content.decode()
    assert response.status_code == 200
    for day in ("2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"):
        assert f'href="/daftar-izin/{day}/"' in body
    assert RegisterDay.objects.get(day=MAR[2]).digest[:16] in body
    assert "Hari ini (6 Maret 2026): 2 izin terbit sejauh ini, belum disegel." in body
    assert 'href="/daftar-izin/rantai.json"' in body


@pytest.mark.parametrize("sealed_days", [2, 30])
def test_the_index_runs_a_fixed_number_of_queries(
    office, time_machine, sealed_days, django_assert_max_num_queries
):
    permit_at(office, wib(1, 9), "SIP/0001/2026")
    now = wib(1, 12) + datetime.timedelta(days=sealed_days)
    time_machine.move_to(now, tick=False)
    assert len(register_seal(now)) == sealed_days
    for hours in range(sealed_days):
        anchor_record(now - datetime.timedelta(hours=hours))
    client = Client()
    client.get("/daftar-izin/")  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/daftar-izin/").content.decode()
    assert body.count('href="/daftar-izin/2026-') == sealed_days + 1  # and today's
    # The page count, the page of days, today's permits; the audit trail anchors' count and
    # page.
    assert len(queries) == 5
    with django_assert_max_num_queries(5):
        client.get("/daftar-izin/")


def test_a_sealed_day_lists_numbers_and_types_but_no_personal_data(office, sealed):
    response = Client().get("/daftar-izin/2026-03-02/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "APT/0001/2026" in body and "SIP/0002/2026" in body
    assert office.full_type.name_id in body and office.simple_type.name_id in body
    assert body.index("APT/0001/2026") < body.index("SIP/0002/2026")
    assert ">08.15<" in body  # local time, Indonesian form
    assert RegisterDay.objects.get(day=MAR[2]).digest in body
    assert "Siti" not in body and "Rahmawati" not in body
    assert "3201014101900001" not in body
    assert "belum disegel" not in body


def test_a_day_lists_its_permits_at_local_times_at_both_ends(sealed):
    late = Client().get("/daftar-izin/2026-03-04/").content.decode()
    assert "SIP/0003/2026" in late and ">23.59<" in late
    early = Client().get("/daftar-izin/2026-03-05/").content.decode()
    assert "SIP/0004/2026" in early and ">00.00<" in early  # 4 March 17.00 in UTC
    sealed_at = Client().get("/daftar-izin/2026-03-05.json").json()["sealed_at"]
    assert sealed_at == "2026-03-06T12:00:00+07:00"


def test_an_empty_sealed_day_says_so(sealed):
    body = Client().get("/daftar-izin/2026-03-03/").content.decode()
    assert "Tidak ada izin terbit pada hari ini." in body


def test_today_is_listed_as_not_sealed_yet(office, sealed):
    permit_at(office, wib(6, 8), "SIP/0005/2026")
    response = Client().get("/daftar-izin/2026-03-06/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "belum disegel" in body
    assert "SIP/0005/2026" in body and "Siti" not in body


@pytest.mark.parametrize(
    "path",
    [
        "/daftar-izin/2026-03-07/",
        "/daftar-izin/2027-01-01/",
        "/daftar-izin/2026-02-30/",
        "/daftar-izin/2026-13-01/",
        "/daftar-izin/2026-3-02/",
        "/daftar-izin/kemarin/",
        "/daftar-izin/2026-03-06.json",  # not sealed yet
        "/daftar-izin/2026-02-30.json",
    ],
)
def test_future_malformed_or_unsealed_days_are_not_found(sealed, path):
    assert Client().get(path).status_code == 404


def test_a_days_json_lets_an_outsider_recompute_its_digest(office, sealed):
    response = Client().get("/daftar-izin/2026-03-02.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["day"] == "2026-03-02"
    assert data["previous"] == GENESIS
    assert [entry[0] for entry in data["entries"]] == ["APT/0001/2026", "SIP/0002/2026"]
    canonical = json.dumps(
        {"day": data["day"], "entries": data["entries"], "previous": data["previous"]},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    assert hashlib.sha256(canonical).hexdigest() == data["digest"]


def test_the_chain_json_lists_every_day_oldest_first_and_links_them(sealed):
    response = Client().get("/daftar-izin/rantai.json")
    assert response.status_code == 200
    chain = json.loads(response.content)["days"]
    assert [d["day"] for d in chain] == ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"]
    assert [d["count"] for d in chain] == [2, 0, 1, 1]
    assert chain[0]["previous"] == GENESIS
    for before, after in itertools.pairwise(chain):
        assert after["previous"] == before["digest"]
    client = Client()
    for link in chain:  # each day's JSON recomputes to the digest the chain lists
        day = client.get(f"/daftar-izin/{link['day']}.json").json()
        payload = {k: day[k] for k in ("day", "entries", "previous")}
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert hashlib.sha256(canonical.encode()).hexdigest() == link["digest"]
