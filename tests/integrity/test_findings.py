"""The inspectorate's services on flags and findings (integrity.inspection.services.findings):
only auditors dismiss flags, open findings and assess their follow-up; the responsible person alone
reports; every refusal says why and changes nothing; findings are numbered gapless per
year; follow-up rows are append-only; field history names who acted; overdue; and who
sees which finding."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import Role
from integrity.inspection.selectors.findings import findings_visible_to, is_auditor, may_report
from integrity.inspection.services.findings import (
    finding_assess,
    finding_report,
    flag_dismiss,
)
from integrity.models import Finding, FindingState, Flag, FlagState, FollowUp
from outbox.models import Message
from permits.models import NumberSequence
from permits.services.context import ActionRefused
from tests.factories import act, new_file
from tests.integrity.kit import in_days, open_finding, raise_flag

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
NOT_AUDITORS = ["applicant", "counter", "technical", "supervisor", "head", "cashier", "admin"]
RESPONSIBLE_ROLES = ["counter", "technical", "supervisor", "head", "cashier"]


# --- helpers (also used by test_audit_views) ---------------------------------------------------


def kinds_to(user) -> list[str]:
    return list(Message.objects.filter(recipient=user).values_list("kind", flat=True))


# --- who may act ---------------------------------------------------------------------------


def test_is_auditor_needs_an_active_auditor(office, make_user):
    assert is_auditor(office.auditor)
    assert not is_auditor(None)
    assert not is_auditor(office.head)
    retired = make_user(Role.AUDITOR, username="auditor.pensiun", is_active=False)
    assert not is_auditor(retired)


@pytest.mark.parametrize("role", NOT_AUDITORS)
def test_only_auditors_dismiss_a_flag(office, role):
    flag = raise_flag()
    with pytest.raises(PermissionDenied):
        flag_dismiss(flag=flag, actor=act(getattr(office, role)), reason="Bukan apa-apa.")
    flag.refresh_from_db()
    assert flag.state == FlagState.OPEN and flag.closed_by is None and not flag.dismiss_reason


@pytest.mark.parametrize("role", NOT_AUDITORS)
def test_only_auditors_open_a_finding(office, role):
    flag = raise_flag()
    with pytest.raises(PermissionDenied):
        open_finding(office, by=getattr(office, role), flags=[flag])
    assert not Finding.objects.exists()
    assert Flag.objects.get(pk=flag.pk).state == FlagState.OPEN
    assert not NumberSequence.objects.filter(key__startswith="finding:").exists()
    assert kinds_to(office.counter) == []


@pytest.mark.parametrize("role", NOT_AUDITORS)
def test_only_auditors_assess_a_follow_up(office, role):
    finding = open_finding(office)
    finding_report(finding=finding, actor=act(office.counter), note="Sudah dikembalikan.")
    with pytest.raises(PermissionDenied):
        finding_assess(finding=finding, actor=act(getattr(office, role)), accepted=True, note="Ok")
    finding.refresh_from_db()
    assert finding.state == FindingState.IN_PROGRESS and finding.closed_at is None
    assert list(finding.follow_ups.values_list("kind", flat=True)) == [FollowUp.Kind.REPORT]


def test_an_inactive_auditor_can_do_nothing(office, make_user):
    retired = make_user(Role.AUDITOR, username="auditor.pensiun", is_active=False)
    flag = raise_flag()
    with pytest.raises(PermissionDenied):
        flag_dismiss(flag=flag, actor=act(retired), reason="Bukan apa-apa.")
    with pytest.raises(PermissionDenied):
        open_finding(office, by=retired)
    finding = open_finding(office)
    with pytest.raises(PermissionDenied):
        finding_assess(finding=finding, actor=act(retired), accepted=False, note="Belum.")


@pytest.mark.parametrize("who", ["auditor", "counter2", "supervisor", "head", "applicant"])
def test_only_the_responsible_person_reports(office, who):
    finding = open_finding(office, responsible=office.counter)
    assert not may_report(finding, getattr(office, who))
    with pytest.raises(PermissionDenied):
        finding_report(finding=finding, actor=act(getattr(office, who)), note="Sudah.")
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN and not finding.follow_ups.exists()


@pytest.mark.parametrize("role", RESPONSIBLE_ROLES)
def test_any_active_office_staff_may_be_responsible(office, role):
    finding = open_finding(office, responsible=getattr(office, role))
    assert may_report(finding, getattr(office, role))
    finding_report(finding=finding, actor=act(getattr(office, role)), note="Sudah.")
    assert Finding.objects.get(pk=finding.pk).state == FindingState.IN_PROGRESS


# --- dismissing a flag ---------------------------------------------------------------------


def test_dismissing_keeps_the_reason_and_who(office):
    flag = raise_flag(officer=office.counter)
    flag_dismiss(flag=flag, actor=act(office.auditor), reason="  Pengadu salah orang.  ")
    flag.refresh_from_db()
    assert flag.state == FlagState.DISMISSED
    assert flag.dismiss_reason == "Pengadu salah orang."
    assert flag.closed_by == office.auditor and flag.closed_at is not None
    assert flag.finding is None


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_dismissing_needs_a_reason(office, reason):
    flag = raise_flag()
    with pytest.raises(ActionRefused) as refused:
        flag_dismiss(flag=flag, actor=act(office.auditor), reason=reason)
    assert "alasan" in str(refused.value.message)
    flag.refresh_from_db()
    assert flag.state == FlagState.OPEN and flag.closed_by is None


def test_a_flag_is_reviewed_once(office, make_user):
    other = make_user(Role.AUDITOR, username="auditor2")
    flag = raise_flag()
    flag_dismiss(flag=flag, actor=act(office.auditor), reason="Pertama.")
    with pytest.raises(ActionRefused) as refused:
        flag_dismiss(flag=flag, actor=act(other), reason="Kedua.")
    assert "sudah ditelaah" in str(refused.value.message)
    flag.refresh_from_db()
    assert flag.dismiss_reason == "Pertama." and flag.closed_by == office.auditor
    # Nor can a dismissed flag be turned into a finding (the finding is not kept either).
    with pytest.raises(ActionRefused):
        open_finding(office, flags=[flag])
    assert not Finding.objects.exists()
    assert Flag.objects.get(pk=flag.pk).state == FlagState.DISMISSED


def test_dismissing_a_stale_copy_reads_the_current_state(office):
    flag = raise_flag()
    stale = Flag.objects.get(pk=flag.pk)
    open_finding(office, flags=[flag])
    with pytest.raises(ActionRefused):
        flag_dismiss(flag=stale, actor=act(office.auditor), reason="Terlambat.")
    assert Flag.objects.get(pk=flag.pk).state == FlagState.FINDING


def test_the_flag_history_names_the_auditor(office):
    flag = raise_flag()
    flag_dismiss(flag=flag, actor=act(office.auditor), reason="Bukan apa-apa.")
    latest = flag.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == office.auditor
    assert latest.state == FlagState.DISMISSED
    assert latest.dismiss_reason == "Bukan apa-apa."
    assert flag.history.count() == 2  # raised, dismissed


# --- opening a finding ---------------------------------------------------------------------


def test_a_finding_from_flags_closes_them_and_tells_the_responsible(office):
    app = new_file(office)
    first = raise_flag("a", application=app, officer=office.counter)
    second = raise_flag("b", application=app, officer=office.counter)
    finding = open_finding(
        office,
        flags=[first, second],
        application=app,
        officer=office.counter,
        title="  Pungutan di loket  ",
        sanction_level="light",
    )
    assert finding.number == f"TEMUAN/{timezone.localdate().year}/0001"
    assert finding.title == "Pungutan di loket"
    assert finding.state == FindingState.OPEN and finding.closed_at is None
    assert finding.opened_by == office.auditor and finding.responsible == office.counter
    assert finding.application == app and finding.officer == office.counter
    assert finding.sanction_level == "light"
    for flag in Flag.objects.filter(pk__in=[first.pk, second.pk]):
        assert flag.state == FlagState.FINDING and flag.finding == finding
        assert flag.closed_by == office.auditor and flag.closed_at is not None
        assert flag.history.order_by("-history_date", "-history_id")[0].history_user == (
            office.auditor
        )
    assert kinds_to(office.counter) == ["integrity.finding_opened"]
    message = Message.objects.get(recipient=office.counter)
    assert finding.number in message.subject and str(finding.public_id) in message.body


def test_a_finding_without_a_flag_or_a_file(office):
    finding = open_finding(office, responsible=office.technical)
    assert finding.application is None and finding.officer is None
    assert not finding.flags.exists()
    assert kinds_to(office.technical) == ["integrity.finding_opened"]


@pytest.mark.parametrize("field", ["title", "condition", "recommendation"])
@pytest.mark.parametrize("value", ["", "   "])
def test_a_finding_needs_title_condition_and_recommendation(office, field, value):
    flag = raise_flag()
    with pytest.raises(ActionRefused) as refused:
        open_finding(office, flags=[flag], **{field: value})
    assert "wajib diisi" in str(refused.value.message)
    assert not Finding.objects.exists()
    assert Flag.objects.get(pk=flag.pk).state == FlagState.OPEN
    assert kinds_to(office.counter) == []


def test_the_due_date_may_be_today_but_not_in_the_past(office):
    with pytest.raises(ActionRefused) as refused:
        open_finding(office, due_date=in_days(-1))
    assert "masa lalu" in str(refused.value.message)
    assert not Finding.objects.exists()
    assert open_finding(office, due_date=in_days(0)).due_date == timezone.localdate()


@pytest.mark.parametrize("who", ["applicant", "auditor", "admin", "inactive"])
def test_the_responsible_person_is_active_office_staff(office, make_user, who):
    if who == "inactive":
        person = make_user(Role.COUNTER, username="loket.lama", is_active=False)
    else:
        person = getattr(office, who)
    with pytest.raises(ActionRefused) as refused:
        open_finding(office, responsible=person)
    assert "pegawai aktif" in str(refused.value.message)
    assert not Finding.objects.exists()
    assert kinds_to(person) == []


def test_one_flag_already_reviewed_spoils_the_whole_finding(office):
    fresh, dismissed = raise_flag("a"), raise_flag("b")
    flag_dismiss(flag=dismissed, actor=act(office.auditor), reason="Bukan apa-apa.")
    with pytest.raises(ActionRefused):
        open_finding(office, flags=[fresh, dismissed])
    assert not Finding.objects.exists()
    assert Flag.objects.get(pk=fresh.pk).state == FlagState.OPEN
    assert Flag.objects.get(pk=fresh.pk).finding is None
    assert kinds_to(office.counter) == []


# --- numbering ---------------------------------------------------------------------------


def test_numbers_are_gapless_per_year(office):
    with time_machine.travel(datetime.datetime(2026, 12, 30, 10, 0, tzinfo=JAKARTA), tick=False):
        first = open_finding(office)
        with pytest.raises(ActionRefused):  # refused after the number was drawn: given back
            dismissed = raise_flag("b")
            flag_dismiss(flag=dismissed, actor=act(office.auditor), reason="Bukan.")
            open_finding(office, flags=[dismissed])
        with pytest.raises(ActionRefused):  # refused before
            open_finding(office, title="")
        second = open_finding(office)
    with time_machine.travel(datetime.datetime(2027, 1, 2, 9, 0, tzinfo=JAKARTA), tick=False):
        third = open_finding(office)
        fourth = open_finding(office)
    assert [f.number for f in (first, second, third, fourth)] == [
        "TEMUAN/2026/0001",
        "TEMUAN/2026/0002",
        "TEMUAN/2027/0001",
        "TEMUAN/2027/0002",
    ]


def test_the_year_is_the_local_year(office):
    # 31 Dec 2026 20:00 UTC is already 1 Jan 2027 in Jakarta.
    moment = datetime.datetime(2026, 12, 31, 20, 0, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        assert open_finding(office).number == "TEMUAN/2027/0001"


# --- follow-up -----------------------------------------------------------------------------


def test_report_then_return_then_accept(office):
    finding = open_finding(office)
    report = finding_report(finding=finding, actor=act(office.counter), note="  Sudah.  ")
    assert report.kind == FollowUp.Kind.REPORT and report.note == "Sudah."
    assert report.author == office.counter and report.author_role == Role.COUNTER
    finding.refresh_from_db()
    assert finding.state == FindingState.IN_PROGRESS
    assert kinds_to(office.auditor) == ["integrity.finding_reported"]

    returned = finding_assess(
        finding=finding, actor=act(office.auditor), accepted=False, note="Bukti belum ada."
    )
    assert returned.kind == FollowUp.Kind.RETURNED and returned.author_role == Role.AUDITOR
    finding.refresh_from_db()
    assert finding.state == FindingState.IN_PROGRESS and finding.closed_at is None
    assert may_report(finding, office.counter)

    finding_report(finding=finding, actor=act(office.counter), note="Bukti kuitansi terlampir.")
    accepted = finding_assess(
        finding=finding, actor=act(office.auditor), accepted=True, note="Memadai."
    )
    assert accepted.kind == FollowUp.Kind.ACCEPTED
    finding.refresh_from_db()
    assert finding.state == FindingState.CLOSED and finding.closed_at is not None
    assert list(finding.follow_ups.values_list("kind", flat=True)) == [
        FollowUp.Kind.REPORT,
        FollowUp.Kind.RETURNED,
        FollowUp.Kind.REPORT,
        FollowUp.Kind.ACCEPTED,
    ]
    assert kinds_to(office.counter).count("integrity.finding_assessed") == 2
    assert kinds_to(office.auditor).count("integrity.finding_reported") == 2


def test_a_report_needs_a_note(office):
    finding = open_finding(office)
    with pytest.raises(ActionRefused) as refused:
        finding_report(finding=finding, actor=act(office.counter), note="  ")
    assert "Uraikan" in str(refused.value.message)
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN and not finding.follow_ups.exists()
    assert kinds_to(office.auditor) == []


def test_an_assessment_needs_a_note_and_acceptance_needs_a_report(office):
    finding = open_finding(office)
    with pytest.raises(ActionRefused) as refused:
        finding_assess(finding=finding, actor=act(office.auditor), accepted=True, note="Ok.")
    assert "Belum ada laporan" in str(refused.value.message)
    finding_report(finding=finding, actor=act(office.counter), note="Sudah.")
    with pytest.raises(ActionRefused) as refused:
        finding_assess(finding=finding, actor=act(office.auditor), accepted=True, note=" ")
    assert "penilaian" in str(refused.value.message)
    finding.refresh_from_db()
    assert finding.state == FindingState.IN_PROGRESS
    assert finding.follow_ups.count() == 1
    assert "integrity.finding_assessed" not in kinds_to(office.counter)


def test_a_closed_finding_takes_no_more_reports_nor_assessments(office):
    finding = open_finding(office)
    finding_report(finding=finding, actor=act(office.counter), note="Sudah.")
    finding_assess(finding=finding, actor=act(office.auditor), accepted=True, note="Memadai.")
    finding.refresh_from_db()
    assert not may_report(finding, office.counter)
    with pytest.raises(PermissionDenied):
        finding_report(finding=finding, actor=act(office.counter), note="Lagi.")
    with pytest.raises(ActionRefused) as refused:
        finding_assess(finding=finding, actor=act(office.auditor), accepted=False, note="Buka.")
    assert "sudah selesai" in str(refused.value.message)
    assert finding.follow_ups.count() == 2


def test_follow_ups_are_append_only(office):
    finding = open_finding(office)
    report = finding_report(finding=finding, actor=act(office.counter), note="Sudah.")
    report.note = "Diubah diam-diam."
    with pytest.raises(RuntimeError):
        report.save()
    with pytest.raises(RuntimeError):
        report.delete()
    assert FollowUp.objects.get(pk=report.pk).note == "Sudah."


def test_the_finding_history_names_who_acted(office):
    finding = open_finding(office)
    finding_report(finding=finding, actor=act(office.counter), note="Sudah.")
    finding_assess(finding=finding, actor=act(office.auditor), accepted=True, note="Memadai.")
    records = list(finding.history.order_by("history_date", "history_id"))
    assert [(r.history_type, r.state, r.history_user) for r in records] == [
        ("+", FindingState.OPEN, office.auditor),
        ("~", FindingState.IN_PROGRESS, office.counter),
        ("~", FindingState.CLOSED, office.auditor),
    ]


# --- overdue -------------------------------------------------------------------------------


def test_a_finding_is_overdue_after_its_due_date_until_closed(office):
    start = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=JAKARTA)
    with time_machine.travel(start, tick=False):
        finding = open_finding(office, due_date=datetime.date(2026, 11, 20))
        assert not finding.overdue and finding.days_left() == 2
    with time_machine.travel(start + datetime.timedelta(days=2), tick=False):
        assert not finding.overdue and finding.days_left() == 0  # the due day itself
    with time_machine.travel(start + datetime.timedelta(days=3), tick=False):
        assert finding.overdue and finding.days_left() == -1
        finding_report(finding=finding, actor=act(office.counter), note="Terlambat, sudah.")
        finding.refresh_from_db()
        assert finding.overdue  # in follow-up is still not done
        finding_assess(finding=finding, actor=act(office.auditor), accepted=True, note="Ok.")
        finding.refresh_from_db()
        assert not finding.overdue


# --- who sees which finding ----------------------------------------------------------------


def test_findings_visible_to(office, make_user):
    other_auditor = make_user(Role.AUDITOR, username="auditor2")
    mine = open_finding(office, responsible=office.counter)
    theirs = open_finding(office, responsible=office.technical)
    assert set(findings_visible_to(office.auditor)) == {mine, theirs}
    assert set(findings_visible_to(other_auditor)) == {mine, theirs}
    assert list(findings_visible_to(office.counter)) == [mine]
    assert list(findings_visible_to(office.technical)) == [theirs]
    for user in (office.counter2, office.supervisor, office.head, office.admin, office.applicant):
        assert not findings_visible_to(user).exists(), user.username
