"""The inspectorate's workspace (/kantor/audit/) for every role: the flag queue and its
filters, dismissing a flag, a file's whole story, random samples of unflagged files,
findings and their follow-up, and the auditor's read-only place on the file page."""

from __future__ import annotations

import datetime
import re
import uuid
import zoneinfo
from html import escape, unescape
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse
from django.utils import timezone

from accounts.models import Role
from integrity.inspection import urls as audit_urls
from integrity.inspection.services.findings import finding_report, flag_dismiss
from integrity.models import Finding, FindingState, Flag, FlagState, FollowUp, Severity
from outbox.models import Message
from permits.models import Application, FileView, Stage
from permits.services.checks import check_update
from permits.services.file_messages import file_message_post
from permits.views.backoffice import PAGE_ACTIONS
from tests.conftest import SignedInClient
from tests.factories import (
    OPDFactory,
    PermitTypeFactory,
    RequirementFactory,
    act,
    new_file,
    pdf,
    walk,
)
from tests.integrity.kit import in_days, open_finding, raise_flag

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
NOT_AUDITORS = ["applicant", "counter", "technical", "supervisor", "head", "cashier", "admin"]
AUDITOR_ONLY = ["queue", "dismiss", "sample", "story", "finding_new", "trail"]
FOR_STAFF = ["findings", "finding"]
LOGIN = "/akun/masuk/"


def shows(body: str, text) -> bool:
    text = str(text)
    return text in body or escape(text) in body


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=JAKARTA)


def submitted(office, permit_type=None) -> Application:
    """A walk-in file registered and submitted at the counter (no upload needed)."""
    return walk(office, new_file(office, permit_type, online=False), Stage.SUBMITTED)


# --- every URL for every role ------------------------------------------------------------------


@pytest.fixture
def world(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    flag = raise_flag("w1", application=app, officer=office.counter, summary="Aduan pungutan")
    finding = open_finding(office, responsible=office.counter, application=app)
    return SimpleNamespace(app=app, flag=flag, finding=finding)


def requests_for(world) -> dict[str, tuple[str, str, dict | None]]:
    return {
        "queue": ("get", reverse("audit:queue"), None),
        "dismiss": (
            "post",
            reverse("audit:dismiss", args=[world.flag.public_id]),
            {"reason": "Pengadu salah orang."},
        ),
        "sample": ("get", reverse("audit:sample") + "?size=5", None),
        "story": ("get", reverse("audit:story", args=[world.app.public_id]), None),
        "finding_new": (
            "get",
            reverse("audit:finding_new") + f"?bendera={world.flag.public_id}",
            None,
        ),
        "trail": ("get", reverse("audit:trail"), None),
        "findings": ("get", reverse("audit:findings"), None),
        "finding": ("get", reverse("audit:finding", args=[world.finding.public_id]), None),
    }


def send(client, request):
    method, url, data = request
    return getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)


# The monthly monev report pages (added meanwhile) have their own tests.
NOT_HERE = {"monev", "monev_file"}


def test_every_audit_url_is_covered():
    names = {p.name for p in audit_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names - NOT_HERE == set(AUDITOR_ONLY) | set(FOR_STAFF)
    assert reverse("audit:queue") == "/kantor/audit/"


@pytest.mark.parametrize("name", AUDITOR_ONLY + FOR_STAFF)
def test_anonymous_visitors_are_sent_to_sign_in(client, world, name):
    response = send(client, requests_for(world)[name])
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert Flag.objects.get(pk=world.flag.pk).state == FlagState.OPEN
    assert not FileView.objects.filter(kind=FileView.Kind.AUDIT).exists()


@pytest.mark.parametrize("name", AUDITOR_ONLY)
@pytest.mark.parametrize("role", NOT_AUDITORS)
def test_auditor_pages_are_refused_to_everyone_else(client, office, world, name, role):
    client.force_login(getattr(office, role))
    response = send(client, requests_for(world)[name])
    assert response.status_code == 403
    flag = Flag.objects.get(pk=world.flag.pk)
    assert flag.state == FlagState.OPEN and not flag.dismiss_reason
    assert not FileView.objects.filter(kind=FileView.Kind.AUDIT).exists()


@pytest.mark.parametrize("name", AUDITOR_ONLY + FOR_STAFF)
def test_the_auditor_opens_every_page(client, office, world, name):
    client.force_login(office.auditor)
    response = send(client, requests_for(world)[name])
    if name == "dismiss":
        assert response.status_code == 302 and response["Location"] == reverse("audit:queue")
        assert Flag.objects.get(pk=world.flag.pk).state == FlagState.DISMISSED
    else:
        assert response.status_code == 200
        assert 'href="/kantor/audit/"' in response.content.decode()  # the workspace menu


# Who sees the finding (responsible: the counter officer): the page, and the row in the list.
FINDING_SEEN = {
    "auditor": (200, True),
    "counter": (200, True),
    "counter2": (404, False),
    "technical": (404, False),
    "supervisor": (404, False),
    "head": (404, False),
    "cashier": (404, False),
    "admin": (404, False),
}


@pytest.mark.parametrize(("role", "seen"), list(FINDING_SEEN.items()))
def test_staff_see_only_the_findings_they_follow_up(client, office, world, role, seen):
    status, listed = seen
    client.force_login(getattr(office, role))
    response = client.get(reverse("audit:findings"))
    assert response.status_code == 200
    assert (world.finding.number in response.content.decode()) is listed
    page = reverse("audit:finding", args=[world.finding.public_id])
    assert client.get(page).status_code == status
    if status == 404:
        assert client.post(page, {"note": "Sudah."}).status_code == 404
        assert not world.finding.follow_ups.exists()


def test_applicants_are_refused_the_findings(client, office, world):
    client.force_login(office.applicant)
    assert client.get(reverse("audit:findings")).status_code == 403
    page = reverse("audit:finding", args=[world.finding.public_id])
    assert client.get(page).status_code == 403
    assert client.post(page, {"note": "Sudah."}).status_code == 403


def test_the_findings_list_filters_by_status(client, office):
    first = open_finding(office, title="Temuan satu")
    second = open_finding(office, title="Temuan dua")
    finding_report(finding=second, actor=act(office.counter), note="Sudah.")
    client.force_login(office.auditor)
    body = client.get(reverse("audit:findings"), {"status": "open"}).content.decode()
    assert first.number in body and second.number not in body
    body = client.get(reverse("audit:findings"), {"status": "in_progress"}).content.decode()
    assert first.number not in body and second.number in body
    body = client.get(reverse("audit:findings"), {"status": "closed"}).content.decode()
    assert "Belum ada temuan." in body


# --- the queue -----------------------------------------------------------------------------


@pytest.fixture
def queue_world(office):
    """Four flags differing by rule, severity, OPD, officer, time and state."""
    dpupr = OPDFactory(code="DPUPR", name_id="Dinas PUPR")
    building = PermitTypeFactory(code="PU-PBG", opd=dpupr, sop_duration=5, fee=0)
    RequirementFactory(permit_type=building, code="KTP", position=1)
    health, works = new_file(office), new_file(office, building)
    q = SimpleNamespace(dpupr=dpupr)
    q.high = raise_flag(
        "high",
        summary="ADUAN-TINGGI",
        application=health,
        officer=office.counter,
        severity=Severity.HIGH,
        occurred_at=at(datetime.date(2026, 3, 10)),
    )
    q.low = raise_flag(
        "low",
        summary="ADUAN-RENDAH",
        application=works,
        officer=office.technical,
        severity=Severity.LOW,
        occurred_at=at(datetime.date(2026, 5, 20)),
    )
    q.hours = raise_flag(
        "loket2:2026-04-01",
        rule="HOURS",
        detail={"day": "2026-04-01", "reason": "day_off"},
        officer=office.counter2,
        occurred_at=at(datetime.date(2026, 4, 1), 21),
    )
    q.dismissed = raise_flag(
        "gone",
        summary="ADUAN-DIABAIKAN",
        application=health,
        officer=office.counter,
        occurred_at=at(datetime.date(2026, 3, 15)),
    )
    flag_dismiss(flag=q.dismissed, actor=act(office.auditor), reason="Salah orang.")
    q.markers = {
        "high": "ADUAN-TINGGI",
        "low": "ADUAN-RENDAH",
        "hours": "Bertindak pada 1 Apr 2026",
        "dismissed": "ADUAN-DIABAIKAN",
    }
    return q


def listed(body: str, q) -> set[str]:
    return {name for name, marker in q.markers.items() if marker in body}


def test_the_queue_shows_open_flags_by_default(client, office, queue_world):
    client.force_login(office.auditor)
    response = client.get(reverse("audit:queue"))
    body = response.content.decode()
    assert listed(body, queue_world) == {"high", "low", "hours"}
    assert "COMPLAINT · 2" in body and "HOURS · 1" in body  # open flags per rule
    # Each open flag offers its finding and its dismissal.
    assert f"?bendera={queue_world.high.public_id}" in body
    assert reverse("audit:dismiss", args=[queue_world.high.public_id]) in body
    assert reverse("audit:dismiss", args=[queue_world.dismissed.public_id]) not in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "open", "rule": "HOURS"}, {"hours"}),
        ({"state": "open", "rule": "COMPLAINT"}, {"high", "low"}),
        ({"state": "", "rule": "COMPLAINT"}, {"high", "low", "dismissed"}),
        ({"state": "open", "severity": "high"}, {"high"}),
        ({"state": "open", "severity": "low"}, {"low", "hours"}),
        ({"state": "open", "opd": "DPUPR"}, {"low"}),
        ({"state": "open", "opd": "DINKES"}, {"high"}),
        ({"state": "", "officer": "counter"}, {"high", "dismissed"}),
        ({"state": "open", "officer": "counter"}, {"high"}),
        ({"state": "open", "officer": "counter2"}, {"hours"}),
        ({"state": "open", "since": "2026-04-01", "until": "2026-04-30"}, {"hours"}),
        ({"state": "open", "since": "2026-04-01"}, {"hours", "low"}),
        ({"state": "", "until": "2026-03-31"}, {"high", "dismissed"}),
        ({"state": "", "since": "2026-03-10", "until": "2026-03-10"}, {"high"}),
        ({"state": "dismissed"}, {"dismissed"}),
        ({"state": "finding"}, set()),
        ({"state": ""}, {"high", "low", "hours", "dismissed"}),
    ],
)
def test_the_queue_filters(client, office, queue_world, query, expected):
    query = dict(query)
    if "opd" in query:
        query["opd"] = queue_world.dpupr.pk if query["opd"] == "DPUPR" else office.dinkes.pk
    if "officer" in query:
        query["officer"] = getattr(office, query["officer"]).pk
    client.force_login(office.auditor)
    response = client.get(reverse("audit:queue"), query)
    assert response.status_code == 200
    assert response.context["form"].is_valid(), response.context["form"].errors
    body = response.content.decode()
    assert listed(body, queue_world) == expected
    if not expected:
        assert "Tidak ada bendera untuk saringan ini." in body


def test_a_dismissed_flag_shows_its_state_and_a_finding_its_number(client, office, queue_world):
    finding = open_finding(office, flags=[queue_world.low])
    client.force_login(office.auditor)
    body = client.get(reverse("audit:queue"), {"state": ""}).content.decode()
    assert "Diabaikan" in body
    assert reverse("audit:finding", args=[finding.public_id]) in body and finding.number in body
    body = client.get(reverse("audit:queue"), {"state": "finding"}).content.decode()
    assert listed(body, queue_world) == {"low"}


def test_an_inverted_period_is_explained_and_the_queue_still_renders(client, office, queue_world):
    client.force_login(office.auditor)
    response = client.get(
        reverse("audit:queue"), {"state": "", "since": "2026-05-01", "until": "2026-03-01"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tanggal awal harus sebelum tanggal akhir." in body
    assert listed(body, queue_world) == {"high", "low", "hours"}  # the plain open queue
    assert 'value="2026-05-01"' in body  # what was typed stays


def test_the_period_is_in_local_days(client, office):
    """Just after midnight in Jakarta is still the day before in UTC."""
    flag = raise_flag(
        "midnight",
        summary="ADUAN-TENGAH-MALAM",
        occurred_at=datetime.datetime(2026, 4, 1, 0, 30, tzinfo=JAKARTA),
    )
    client.force_login(office.auditor)
    url = reverse("audit:queue")
    body = client.get(url, {"state": "open", "since": "2026-04-01", "until": "2026-04-01"})
    assert "ADUAN-TENGAH-MALAM" in body.content.decode()
    body = client.get(url, {"state": "open", "until": "2026-03-31"}).content.decode()
    assert "ADUAN-TENGAH-MALAM" not in body
    assert flag.state == FlagState.OPEN


def test_what_people_typed_is_escaped_on_every_page(client, office):
    app = new_file(office)
    script = "<script>alert(1)</script>"
    flag = raise_flag("xss", application=app, summary=script)
    finding = open_finding(office, application=app, title=script, condition=script)
    flag2 = raise_flag("xss2", application=app, summary="x")
    flag_dismiss(flag=flag2, actor=act(office.auditor), reason=script)
    client.force_login(office.auditor)
    for url in [
        reverse("audit:queue"),
        reverse("audit:story", args=[app.public_id]),
        new_url(flag),
        reverse("audit:findings"),
        finding_url(finding),
    ]:
        body = client.get(url).content.decode()
        assert script not in body, url
        assert escape(script) in body, url


@pytest.mark.parametrize(
    "query",
    [
        {"rule": "NOPE"},
        {"severity": "extreme"},
        {"state": "closed"},
        {"opd": "999999"},
        {"officer": "abc"},
        {"since": "kemarin"},
        {"state": "open", "page": "abc"},
        {"state": "open", "page": "999"},
    ],
)
def test_tampered_queue_filters_fall_back_to_the_open_queue(client, office, queue_world, query):
    client.force_login(office.auditor)
    response = client.get(reverse("audit:queue"), query)
    assert response.status_code == 200
    assert listed(response.content.decode(), queue_world) == {"high", "low", "hours"}


def many_flags(office, count: int, *, start: int = 0, files=None):
    files = files or [new_file(office) for _ in range(3)]
    officers = [office.counter, office.counter2, office.technical, office.cashier]
    flags = []
    for i in range(start, start + count):
        flags.append(
            raise_flag(
                f"many-{i:03d}",
                summary=f"BANYAK-{i:03d}",
                application=files[i % len(files)],
                officer=officers[i % len(officers)],
                occurred_at=timezone.now() - datetime.timedelta(minutes=i),
            )
        )
    return flags, files


def rows(body: str) -> int:
    return body.count('class="chip severity--')


def follow(client, body: str, label: str) -> str:
    link = re.search(rf'<a href="([^"]*)">{label}</a>', body)
    assert link, f"no link {label!r}"
    return client.get(reverse("audit:queue") + unescape(link.group(1))).content.decode()


OLDER, NEWER = "Lebih lama ›", "‹ Lebih baru"


def test_the_queue_pages_with_the_state_filter(client, office):
    flags, _files = many_flags(office, 60)
    for flag in flags[-5:]:  # the oldest five are set aside
        flag_dismiss(flag=flag, actor=act(office.auditor), reason="Bukan apa-apa.")
    client.force_login(office.auditor)
    first = client.get(reverse("audit:queue"), {"state": "open"}).content.decode()
    assert rows(first) == 50 and OLDER in first and NEWER not in first
    assert "BANYAK-000" in first and "BANYAK-049" in first and "BANYAK-050" not in first
    second = follow(client, first, OLDER)
    assert rows(second) == 5 and OLDER not in second
    assert "BANYAK-054" in second and "BANYAK-055" not in second
    back = follow(client, second, NEWER)
    assert rows(back) == 50 and "BANYAK-000" in back and NEWER not in back
    everything = client.get(reverse("audit:queue"), {"state": ""}).content.decode()
    everything = follow(client, everything, OLDER)
    assert rows(everything) == 10 and "BANYAK-059" in everything


def test_the_pager_of_the_default_queue_keeps_to_open_flags(client, office):
    flags, _files = many_flags(office, 60)
    for flag in flags[-5:]:
        flag_dismiss(flag=flag, actor=act(office.auditor), reason="Bukan apa-apa.")
    client.force_login(office.auditor)
    first = client.get(reverse("audit:queue")).content.decode()
    assert rows(first) == 50
    second = follow(client, first, OLDER)
    assert rows(second) == 5
    assert "BANYAK-055" not in second  # a dismissed flag


def test_flags_raised_at_the_same_moment_are_each_shown_once(client, office):
    """Keyset pages break ties on the id: 120 flags at one moment over three pages, each
    once, and back again."""
    same = timezone.now() - datetime.timedelta(hours=1)
    files = [new_file(office) for _ in range(2)]
    for i in range(120):
        raise_flag(
            f"tie-{i:03d}",
            summary=f"SAMA-{i:03d}",
            application=files[i % 2],
            officer=office.counter,
            occurred_at=same,
        )
    client.force_login(office.auditor)
    pages = [client.get(reverse("audit:queue")).content.decode()]
    while OLDER in pages[-1]:
        pages.append(follow(client, pages[-1], OLDER))
    assert [rows(page) for page in pages] == [50, 50, 20]
    seen = [re.findall(r"SAMA-\d{3}", page) for page in pages]
    flat = [code for page in seen for code in page]
    assert sorted(flat) == [f"SAMA-{i:03d}" for i in range(120)]
    assert len(set(flat)) == 120
    back = follow(client, pages[2], NEWER)
    assert re.findall(r"SAMA-\d{3}", back) == seen[1]


@pytest.mark.parametrize("cursor", ["garbage", "WyIyMDI2Il0:1abc:xyz", ""])
def test_a_tampered_cursor_gives_the_first_page(client, office, cursor):
    many_flags(office, 60)
    client.force_login(office.auditor)
    for param in ("setelah", "sebelum"):
        body = client.get(reverse("audit:queue"), {param: cursor}).content.decode()
        assert rows(body) == 50 and "BANYAK-000" in body


def test_the_queue_runs_a_fixed_number_of_queries(client, office, django_assert_max_num_queries):
    def mixed(flags):
        flag_dismiss(flag=flags[0], actor=act(office.auditor), reason="Bukan.")
        open_finding(office, flags=[flags[1]], application=flags[1].application)

    flags, files = many_flags(office, 3)
    mixed(flags)
    client.force_login(office.auditor)
    url = reverse("audit:queue")
    client.get(url, {"state": ""})  # warm the session and the caches
    with CaptureQueriesContext(connection) as small:
        assert rows(client.get(url, {"state": ""}).content.decode()) == 3
    bound = len(small.captured_queries)  # read now: the next request resets the log
    assert bound > 0
    more, _ = many_flags(office, 57, start=3, files=[*files, new_file(office)])
    mixed(more)
    client.get(url, {"state": ""})
    with django_assert_max_num_queries(bound):
        assert rows(client.get(url, {"state": ""}).content.decode()) == 50
    with django_assert_max_num_queries(bound):
        client.get(url)


# --- dismissing ------------------------------------------------------------------------------


def dismiss_url(flag) -> str:
    return reverse("audit:dismiss", args=[flag.public_id])


def test_dismissing_keeps_the_reason_and_the_auditor(client, office):
    flag = raise_flag(officer=office.counter)
    client.force_login(office.auditor)
    response = client.post(dismiss_url(flag), {"reason": "Pengadu salah orang."}, follow=True)
    assert response.redirect_chain == [(reverse("audit:queue"), 302)]
    assert "Bendera diabaikan; alasannya tercatat." in messages_of(response)
    flag.refresh_from_db()
    assert flag.state == FlagState.DISMISSED
    assert flag.dismiss_reason == "Pengadu salah orang."
    assert flag.closed_by == office.auditor and flag.closed_at is not None
    record = flag.history.order_by("-history_date", "-history_id").first()
    assert record.history_user == office.auditor and record.state == FlagState.DISMISSED


@pytest.mark.parametrize("reason", ["", "   "])
def test_dismissing_without_a_reason_is_refused(client, office, reason):
    flag = raise_flag()
    client.force_login(office.auditor)
    response = client.post(dismiss_url(flag), {"reason": reason})
    assert response.status_code == 400
    assert "Tuliskan alasan bendera ini diabaikan." in response.content.decode()
    flag.refresh_from_db()
    assert flag.state == FlagState.OPEN and flag.closed_by is None and not flag.dismiss_reason
    assert flag.history.count() == 1


def test_dismissing_twice_changes_nothing(client, office):
    flag = raise_flag()
    client.force_login(office.auditor)
    client.post(dismiss_url(flag), {"reason": "Pertama."})
    before = Flag.objects.values().get(pk=flag.pk)
    response = client.post(dismiss_url(flag), {"reason": "Kedua."}, follow=True)
    assert "Bendera ini sudah ditelaah." in messages_of(response)
    assert Flag.objects.values().get(pk=flag.pk) == before
    assert flag.history.count() == 2


def test_dismissing_is_post_only_and_needs_a_known_flag(client, office):
    flag = raise_flag()
    client.force_login(office.auditor)
    assert client.get(dismiss_url(flag)).status_code == 405
    unknown = reverse("audit:dismiss", args=[uuid.uuid4()])
    assert client.post(unknown, {"reason": "Bukan."}).status_code == 404
    assert Flag.objects.get(pk=flag.pk).state == FlagState.OPEN


def test_dismissing_needs_the_csrf_token(office):
    flag = raise_flag()
    browser = SignedInClient(enforce_csrf_checks=True)
    browser.force_login(office.auditor)
    assert browser.post(dismiss_url(flag), {"reason": "Bukan."}).status_code == 403
    assert Flag.objects.get(pk=flag.pk).state == FlagState.OPEN
    # The control: the same post with the token the queue page hands out goes through.
    body = browser.get(reverse("audit:queue")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    response = browser.post(dismiss_url(flag), {"reason": "Bukan.", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Flag.objects.get(pk=flag.pk).state == FlagState.DISMISSED


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/kantor/audit/",
        "//evil.example/kantor/audit/",
        "/kantor/berkas/",
        "/akun/keluar/",
        "javascript:alert(1)",
        " /kantor/audit/sampel/",
    ],
)
def test_next_outside_the_workspace_is_ignored(client, office, target):
    flag = raise_flag()
    client.force_login(office.auditor)
    response = client.post(dismiss_url(flag), {"reason": "Bukan.", "next": target})
    assert response.status_code == 302 and response["Location"] == reverse("audit:queue")


def test_next_inside_the_workspace_is_followed(client, office):
    app = new_file(office)
    flag = raise_flag(application=app)
    story = reverse("audit:story", args=[app.public_id])
    client.force_login(office.auditor)
    # The story page's dismiss form carries the page itself as next.
    body = client.get(story).content.decode()
    assert f'name="next" value="{story}"' in body
    response = client.post(dismiss_url(flag), {"reason": "Bukan.", "next": story})
    assert response.status_code == 302 and response["Location"] == story
    query = reverse("audit:queue") + "?rule=COMPLAINT&state=open"
    flag2 = raise_flag("x2")
    response = client.post(dismiss_url(flag2), {"reason": "Bukan.", "next": query})
    assert response["Location"] == query


# --- a file's story --------------------------------------------------------------------------


def storied(office) -> Application:
    """A file with a bit of everything: documents, checks, declarations, messages, a flag."""
    app = walk(office, new_file(office), Stage.TECHNICAL_REVIEW)
    file_message_post(application=app, actor=act(office.applicant), body="Mohon kabar STR saya.")
    file_message_post(application=app, actor=act(office.technical), body="Sedang dikaji.")
    raise_flag(
        "story", application=app, officer=office.counter, summary="Pemohon diminta uang rokok"
    )
    return app


def test_the_story_tells_everything_that_happened(client, office):
    app = storied(office)
    client.force_login(office.auditor)
    response = client.get(reverse("audit:story", args=[app.public_id]))
    assert response.status_code == 200
    body = response.content.decode()
    entries = response.context["entries"]
    groups = {entry.group for entry in entries}
    assert groups >= {"event", "document", "message", "view", "integrity"}
    assert any(entry.changes for entry in entries)  # field changes folded into their acts
    for text in [
        app.registration_number,
        "Diajukan",
        "Berkas dinyatakan lengkap",
        "KTP: Belum diperiksa → Sesuai",
        "STR: Belum diperiksa → Sesuai",
        "Tahap: Verifikasi berkas → Kajian teknis",
        "KTP versi 1",
        "STR versi 1",
        "Mohon kabar STR saya.",
        "Sedang dikaji.",
        "Petugas menyatakan tidak ada konflik kepentingan",
        "COMPLAINT · Sedang",
        "Pemohon diminta uang rokok",
        "Membuka berkas (ruang audit Inspektorat)",
        f"{office.counter.display_name} (Petugas loket)",
        f"{office.technical.display_name} (Petugas teknis)",
    ]:
        assert shows(body, text), text
    entries = response.context["entries"]
    assert [e.at for e in entries] == sorted(e.at for e in entries)  # oldest first
    # The flag can be worked from here.
    assert "?bendera=" in body and 'name="reason"' in body
    # A finding on the file joins the story.
    finding = open_finding(office, application=app, title="Uang rokok")
    body = client.get(reverse("audit:story", args=[app.public_id])).content.decode()
    assert shows(body, f"{finding.number} · Uang rokok")


def test_opening_the_story_is_recorded_and_shown_to_the_other_auditors(client, office, make_user):
    app = storied(office)
    url = reverse("audit:story", args=[app.public_id])
    client.force_login(office.auditor)
    client.get(url)
    view = FileView.objects.get(application=app, viewer=office.auditor)
    assert view.kind == FileView.Kind.AUDIT and view.viewer_role == Role.AUDITOR
    colleague = make_user(Role.AUDITOR, username="auditor2", full_name="Rina Inspektur")
    client.force_login(colleague)
    response = client.get(url)
    views = [e for e in response.context["entries"] if e.kind == "view"]
    assert {e.who for e in views} >= {office.auditor, colleague}
    body = response.content.decode()
    assert shows(body, office.auditor.display_name)
    assert body.count("Membuka berkas (ruang audit Inspektorat)") == 2
    assert FileView.objects.filter(application=app, kind=FileView.Kind.AUDIT).count() == 2


def test_the_public_tracking_page_does_not_reveal_the_auditors(client, office):
    app = storied(office)
    client.force_login(office.counter2)  # a staff view: shown to the public, by role
    client.get(reverse("backoffice:file", args=[app.public_id]))
    client.force_login(office.auditor)
    client.get(reverse("audit:story", args=[app.public_id]))
    client.get(reverse("backoffice:file", args=[app.public_id]))
    assert FileView.objects.filter(application=app, viewer=office.auditor).count() == 2
    visitor = Client(REMOTE_ADDR=f"2001:db8:{uuid.uuid4().hex[:4]}::1")
    response = visitor.get(f"/lacak/{app.tracking_code}/")
    assert response.status_code == 200
    body = response.content.decode()
    roles = [view.role_label for view in response.context["t"].views]
    assert str(Role.COUNTER.label) in roles
    assert str(Role.AUDITOR.label) not in roles
    assert str(Role.AUDITOR.label) not in body and "ruang audit" not in body
    assert office.auditor.display_name not in body


def test_a_missing_file_has_no_story(client, office):
    client.force_login(office.auditor)
    assert client.get(reverse("audit:story", args=[uuid.uuid4()])).status_code == 404


def test_the_story_runs_as_many_queries_for_a_long_history_as_for_a_short_one(
    client, office, django_assert_max_num_queries
):
    short = submitted(office)
    long = storied(office)
    for i in range(5):
        file_message_post(application=long, actor=act(office.applicant), body=f"Pesan {i}")
    open_finding(office, application=long)
    raise_flag("story2", application=long, officer=office.technical)
    client.force_login(office.auditor)
    client.get(reverse("audit:story", args=[short.public_id]))  # warm the caches
    with CaptureQueriesContext(connection) as few:
        short_entries = client.get(reverse("audit:story", args=[short.public_id])).context[
            "entries"
        ]
    few_sql = [q["sql"] for q in few.captured_queries]  # read now: a request resets the log
    client.get(reverse("audit:story", args=[long.public_id]))
    with CaptureQueriesContext(connection) as many:
        long_entries = client.get(reverse("audit:story", args=[long.public_id])).context["entries"]
    many_sql = [q["sql"] for q in many.captured_queries]
    assert len(long_entries) > 3 * len(short_entries)
    assert few_sql and len(many_sql) == len(few_sql), many_sql


# --- the random sample ------------------------------------------------------------------------


@pytest.fixture
def sample_world(office):
    clean = [submitted(office, office.simple_type) for _ in range(8)]
    flagged = [submitted(office, office.simple_type) for _ in range(3)]
    for i, app in enumerate(flagged):
        raise_flag(f"sample-{i}", application=app)
    draft = new_file(office)
    return SimpleNamespace(clean=clean, flagged=flagged, draft=draft)


def drawn(response) -> set[int]:
    return {app.pk for app in response.context["files"]}


def test_a_sample_draws_only_unflagged_submitted_files(client, office, sample_world):
    client.force_login(office.auditor)
    response = client.get(reverse("audit:sample"), {"size": 5})
    assert response.status_code == 200
    chosen = drawn(response)
    assert len(chosen) == 5
    assert chosen <= {app.pk for app in sample_world.clean}
    body = response.content.decode()
    for app in [*sample_world.flagged, sample_world.draft]:
        assert reverse("audit:story", args=[app.public_id]) not in body
    assert sum(reverse("audit:story", args=[a.public_id]) in body for a in sample_world.clean) == 5
    seed = response.context["seed"]
    assert f"5 berkas, benih acak {seed}" in body


def test_a_sample_larger_than_the_files_takes_them_all(client, office, sample_world):
    client.force_login(office.auditor)
    response = client.get(reverse("audit:sample"), {"size": 200})
    assert drawn(response) == {app.pk for app in sample_world.clean}


def test_the_same_seed_draws_the_same_files(client, office, sample_world):
    client.force_login(office.auditor)
    first = client.get(reverse("audit:sample"), {"size": 4, "seed": 1234})
    again = client.get(reverse("audit:sample"), {"size": 4, "seed": 1234})
    assert first.context["seed"] == 1234
    assert drawn(first) == drawn(again) and len(drawn(first)) == 4
    other_seeds = {
        frozenset(drawn(client.get(reverse("audit:sample"), {"size": 4, "seed": s})))
        for s in range(6)
    }
    assert len(other_seeds) > 1  # the seed matters
    # A draw without a seed tells its seed, which repeats it.
    free = client.get(reverse("audit:sample"), {"size": 4})
    repeat = client.get(reverse("audit:sample"), {"size": 4, "seed": free.context["seed"]})
    assert drawn(free) == drawn(repeat)


def test_a_sample_filters_by_opd(client, office, sample_world):
    dpupr = OPDFactory(code="DPUPR", name_id="Dinas PUPR")
    building = PermitTypeFactory(code="PU-PBG", opd=dpupr, sop_duration=5, fee=0)
    RequirementFactory(permit_type=building, code="KTP", position=1)
    works = submitted(office, building)
    client.force_login(office.auditor)
    response = client.get(reverse("audit:sample"), {"size": 10, "opd": dpupr.pk})
    assert drawn(response) == {works.pk}


@pytest.mark.parametrize(
    "query",
    [
        {"size": 0},
        {"size": "abc"},
        {"size": 1000},
        {"size": -3},
        {"size": ""},
        {"size": 5, "seed": -1},
        {"size": 5, "seed": "x"},
        {"size": 5, "since": "kemarin"},
        {"size": 5, "opd": "999999"},
    ],
)
def test_bad_sample_input_shows_the_form_errors(client, office, sample_world, query):
    client.force_login(office.auditor)
    response = client.get(reverse("audit:sample"), query)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.is_bound and form.errors
    assert response.context["files"] == [] and response.context["seed"] is None
    body = response.content.decode()
    assert 'class="errorlist' in body
    assert "benih acak" not in body.split("</form>", 1)[1]


def test_the_sample_page_without_input_draws_nothing(client, office, sample_world):
    client.force_login(office.auditor)
    response = client.get(reverse("audit:sample"))
    assert response.status_code == 200 and response.context["seed"] is None
    assert 'class="errorlist' not in response.content.decode()


# --- findings ---------------------------------------------------------------------------------


def finding_form(office, **fields) -> dict:
    return {
        "title": "Pungutan di loket",
        "condition": "Pemohon membayar Rp50.000 di luar retribusi.",
        "criteria": "PP 94/2021 Pasal 5",
        "recommendation": "Kembalikan pungutan dan beri pembinaan.",
        "sanction_level": "light",
        "responsible": office.supervisor.pk,
        "due_date": in_days(14).isoformat(),
        **fields,
    }


def new_url(flag=None, app=None) -> str:
    url = reverse("audit:finding_new")
    if flag is not None:
        return f"{url}?bendera={flag.public_id}"
    if app is not None:
        return f"{url}?berkas={app.public_id}"
    return url


def finding_url(finding) -> str:
    return reverse("audit:finding", args=[finding.public_id])


def test_a_finding_form_from_a_flag_is_prefilled(client, office):
    app = new_file(office)
    flag = raise_flag(application=app, officer=office.counter, summary="Diminta uang rokok")
    client.force_login(office.auditor)
    response = client.get(new_url(flag))
    assert response.status_code == 200
    form = response.context["form"]
    assert str(form.initial["title"]) == "Pengaduan terhadap petugas"
    assert form.initial["condition"] == "Diminta uang rokok"
    body = response.content.decode()
    assert 'value="Pengaduan terhadap petugas"' in body and "Diminta uang rokok" in body
    assert "dari bendera COMPLAINT" in body
    assert reverse("audit:story", args=[app.public_id]) in body
    # The responsible person is chosen among active office staff, not auditors nor admins.
    choices = {str(value) for value, _ in form.fields["responsible"].choices if value}
    assert str(office.counter.pk) in choices and str(office.head.pk) in choices
    assert str(office.auditor.pk) not in choices and str(office.admin.pk) not in choices
    assert str(office.applicant.pk) not in choices


def test_a_finding_from_a_flag(client, office):
    app = new_file(office)
    flag = raise_flag(application=app, officer=office.counter)
    client.force_login(office.auditor)
    response = client.post(new_url(flag), finding_form(office), follow=True)
    finding = Finding.objects.get()
    assert response.redirect_chain == [(finding_url(finding), 302)]
    assert f"Temuan {finding.number} tercatat." in messages_of(response)
    assert finding.number == f"TEMUAN/{timezone.localdate().year}/0001"
    assert finding.application == app and finding.officer == office.counter
    assert finding.responsible == office.supervisor and finding.opened_by == office.auditor
    assert finding.sanction_level == "light" and finding.criteria == "PP 94/2021 Pasal 5"
    flag.refresh_from_db()
    assert flag.state == FlagState.FINDING and flag.finding == finding
    assert flag.closed_by == office.auditor
    message = Message.objects.get(recipient=office.supervisor)
    assert message.kind == "integrity.finding_opened"
    body = response.content.decode()
    assert shows(body, "Kembalikan pungutan dan beri pembinaan.")
    assert "Ringan" in body  # the recommended sanction
    # The flag's been worked: its finding page links back from the queue, and it is closed.
    assert client.get(new_url(flag)).status_code == 404


def test_a_finding_on_a_file_without_a_flag(client, office):
    app = submitted(office)
    client.force_login(office.auditor)
    response = client.post(new_url(app=app), finding_form(office))
    finding = Finding.objects.get()
    assert response.status_code == 302 and response["Location"] == finding_url(finding)
    assert finding.application == app and finding.officer is None
    assert not finding.flags.exists()
    assert client.get(new_url(app=Application(public_id=uuid.uuid4()))).status_code == 404


def bad_finding_inputs(office, make_user):
    retired = make_user(Role.COUNTER, username="loket.lama", is_active=False)
    return {
        "no title": {"title": ""},
        "blank title": {"title": "   "},
        "no condition": {"condition": ""},
        "no recommendation": {"recommendation": ""},
        "past due date": {"due_date": in_days(-1).isoformat()},
        "bad due date": {"due_date": "besok"},
        "no responsible": {"responsible": ""},
        "applicant responsible": {"responsible": office.applicant.pk},
        "auditor responsible": {"responsible": office.auditor.pk},
        "admin responsible": {"responsible": office.admin.pk},
        "inactive responsible": {"responsible": retired.pk},
        "bad sanction": {"sanction_level": "death"},
    }


BAD = [
    "no title",
    "blank title",
    "no condition",
    "no recommendation",
    "past due date",
    "bad due date",
    "no responsible",
    "applicant responsible",
    "auditor responsible",
    "admin responsible",
    "inactive responsible",
    "bad sanction",
]


@pytest.mark.parametrize("case", BAD)
def test_a_bad_finding_is_shown_again_with_what_was_typed(client, office, make_user, case):
    app = new_file(office)
    flag = raise_flag(application=app)
    data = finding_form(office, **bad_finding_inputs(office, make_user)[case])
    client.force_login(office.auditor)
    response = client.post(new_url(flag), data)
    assert response.status_code == 400
    body = response.content.decode()
    if case == "past due date":
        assert "Batas tindak lanjut tidak boleh di masa lalu." in messages_of(response)
    else:
        assert 'class="errorlist' in body
    for field in ("title", "condition", "criteria", "recommendation"):
        if data[field].strip():
            assert shows(body, data[field]), field
    if case not in {"bad due date"}:
        assert f'value="{data["due_date"]}"' in body
    assert not Finding.objects.exists()
    assert Flag.objects.get(pk=flag.pk).state == FlagState.OPEN
    assert not Message.objects.filter(kind="integrity.finding_opened").exists()


def test_a_dismissed_flag_cannot_become_a_finding(client, office):
    flag = raise_flag()
    flag_dismiss(flag=flag, actor=act(office.auditor), reason="Bukan.")
    client.force_login(office.auditor)
    assert client.get(new_url(flag)).status_code == 404
    assert client.post(new_url(flag), finding_form(office)).status_code == 404
    assert not Finding.objects.exists()


@pytest.mark.parametrize("param", ["bendera", "berkas"])
def test_a_malformed_flag_or_file_id_is_not_found(client, office, param):
    client.raise_request_exception = False
    client.force_login(office.auditor)
    response = client.get(f"{reverse('audit:finding_new')}?{param}=bukan-uuid")
    assert response.status_code == 404


def test_the_finding_form_guards_against_a_double_submit(client, office):
    """The form carries data-once (the page's script disables it once sent). On the server,
    a second post from a flag finds the flag closed (404); a second post from a file is a
    second finding: nothing but data-once prevents that."""
    flag = raise_flag(application=new_file(office))
    client.force_login(office.auditor)
    body = client.get(new_url(flag)).content.decode()
    assert re.search(r'<form class="form card" method="post" data-once>', body)
    data = finding_form(office)
    assert client.post(new_url(flag), data).status_code == 302
    assert client.post(new_url(flag), data).status_code == 404
    assert Finding.objects.count() == 1
    app = submitted(office)
    client.post(new_url(app=app), data)
    client.post(new_url(app=app), data)
    assert Finding.objects.filter(application=app).count() == 2
    # The follow-up forms are guarded the same way.
    finding = Finding.objects.filter(responsible=office.supervisor).first()
    client.force_login(office.supervisor)
    assert "data-once" in client.get(finding_url(finding)).content.decode()


# --- follow-up on the finding page ------------------------------------------------------------


def test_the_responsible_person_reports_the_follow_up(client, office):
    app = submitted(office)
    finding = open_finding(office, responsible=office.head, application=app)
    client.force_login(office.head)
    page = client.get(finding_url(finding))
    body = page.content.decode()
    assert page.context["report_form"] is not None and page.context["assess_form"] is None
    assert "Laporkan tindak lanjut" in body and "Simpan penilaian" not in body
    assert shows(body, finding.recommendation) and app.registration_number in body
    assert reverse("audit:story", args=[app.public_id]) not in body  # auditors' page only
    response = client.post(finding_url(finding), {"note": "Pungutan sudah dikembalikan."})
    assert response.status_code == 302 and response["Location"] == finding_url(finding)
    finding.refresh_from_db()
    assert finding.state == FindingState.IN_PROGRESS
    report = finding.follow_ups.get()
    assert report.kind == FollowUp.Kind.REPORT and report.author == office.head
    assert Message.objects.get(recipient=office.auditor).kind == "integrity.finding_reported"
    body = client.get(finding_url(finding)).content.decode()
    assert "Pungutan sudah dikembalikan." in body and "Dalam tindak lanjut" in body


def test_an_empty_report_is_shown_again(client, office):
    finding = open_finding(office)
    client.force_login(office.counter)
    response = client.post(finding_url(finding), {"note": "  "})
    assert response.status_code == 400 and 'class="errorlist' in response.content.decode()
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN and not finding.follow_ups.exists()


def test_the_auditor_cannot_report_in_the_responsible_persons_place(client, office):
    finding = open_finding(office)
    client.force_login(office.auditor)
    page = client.get(finding_url(finding))
    assert page.context["report_form"] is None and page.context["assess_form"] is not None
    assert "Laporkan tindak lanjut" not in page.content.decode()
    response = client.post(finding_url(finding), {"note": "Sudah saya urus."})
    assert response.status_code == 400  # read as an incomplete assessment
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN and not finding.follow_ups.exists()


def test_the_auditor_returns_then_accepts_the_follow_up(client, office):
    finding = open_finding(office)
    finding_report(finding=finding, actor=act(office.counter), note="Sudah.")
    client.force_login(office.auditor)
    response = client.post(finding_url(finding), {"accepted": "no", "note": "Bukti kurang."})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.state == FindingState.IN_PROGRESS and finding.closed_at is None
    assert finding.follow_ups.last().kind == FollowUp.Kind.RETURNED
    # A returned follow-up cannot be accepted until the responsible person reports again.
    refused = client.post(finding_url(finding), {"accepted": "yes", "note": "Memadai."})
    assert refused.status_code == 400
    assert "Belum ada laporan tindak lanjut baru untuk diterima." in messages_of(refused)
    finding_report(finding=finding, actor=act(office.counter), note="Bukti dilampirkan.")
    response = client.post(
        finding_url(finding), {"accepted": "yes", "note": "Memadai."}, follow=True
    )
    assert "Penilaian tersimpan." in messages_of(response)
    finding.refresh_from_db()
    assert finding.state == FindingState.CLOSED and finding.closed_at is not None
    assert list(finding.follow_ups.values_list("kind", flat=True)) == [
        FollowUp.Kind.REPORT,
        FollowUp.Kind.RETURNED,
        FollowUp.Kind.REPORT,
        FollowUp.Kind.ACCEPTED,
    ]
    assert response.context["assess_form"] is None  # nothing left to assess
    assert "Selesai ditindaklanjuti" in response.content.decode()
    kinds = list(Message.objects.filter(recipient=office.counter).values_list("kind", flat=True))
    assert kinds.count("integrity.finding_assessed") == 2


def test_accepting_without_a_report_is_refused(client, office):
    finding = open_finding(office)
    client.force_login(office.auditor)
    response = client.post(finding_url(finding), {"accepted": "yes", "note": "Memadai."})
    assert response.status_code == 400
    assert "Belum ada laporan tindak lanjut baru untuk diterima." in messages_of(response)
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN and not finding.follow_ups.exists()


@pytest.mark.parametrize(
    "data", [{"accepted": "yes", "note": ""}, {"accepted": "maybe", "note": "Ok."}, {}]
)
def test_a_bad_assessment_is_shown_again(client, office, data):
    finding = open_finding(office)
    finding_report(finding=finding, actor=act(office.counter), note="Sudah.")
    client.force_login(office.auditor)
    response = client.post(finding_url(finding), data)
    assert response.status_code == 400
    finding.refresh_from_db()
    assert finding.state == FindingState.IN_PROGRESS and finding.follow_ups.count() == 1


def test_after_closing_no_more_reports(client, office):
    finding = open_finding(office)
    client.force_login(office.counter)
    client.post(finding_url(finding), {"note": "Sudah."})
    client.force_login(office.auditor)
    client.post(finding_url(finding), {"accepted": "yes", "note": "Memadai."})
    client.force_login(office.counter)
    page = client.get(finding_url(finding))
    assert page.status_code == 200 and page.context["report_form"] is None
    assert "Laporkan tindak lanjut" not in page.content.decode()
    assert client.post(finding_url(finding), {"note": "Tambahan."}).status_code == 403
    client.force_login(office.auditor)
    assert client.post(finding_url(finding), {"accepted": "no", "note": "Buka."}).status_code == (
        403
    )
    assert Finding.objects.get(pk=finding.pk).follow_ups.count() == 2


def test_an_overdue_finding_says_so(client, office):
    finding = open_finding(office, due_date=in_days(0))
    Finding.objects.filter(pk=finding.pk).update(due_date=in_days(-2))
    client.force_login(office.counter)
    assert "lewat batas" in client.get(finding_url(finding)).content.decode()
    assert "lewat batas" in client.get(reverse("audit:findings")).content.decode()


# --- the auditor is read-only on operations ---------------------------------------------------


def snapshot(app) -> tuple:
    app.refresh_from_db()
    return (
        app.state,
        app.assigned_to_id,
        app.held_since,
        app.events.count(),
        app.documents.count(),
        sorted(app.checks.values_list("status", "note")),
    )


def action_data(app, name) -> dict:
    data = {
        "expected_state": app.state,
        "note": "Auditor mencoba.",
        "reason": "Tidak memenuhi syarat.",
        "legal_basis": "Perda 1/2020",
    }
    if name == "return_to_applicant":
        check = app.checks.first()
        data |= {f"status_{check.pk}": "invalid", f"note_{check.pk}": "Buram."}
    return data


ACTIONS = [*PAGE_ACTIONS, "return_to_applicant", "reject", "submit"]
MAIN_ACTION = {
    Stage.VERIFICATION: "declare_complete",
    Stage.TECHNICAL_REVIEW: "finish_review",
    Stage.APPROVAL: "approve",
    Stage.SIGNING: "sign",
}


@pytest.mark.parametrize("stage", list(MAIN_ACTION))
def test_the_auditor_moves_no_file(client, office, stage):
    app = walk(office, new_file(office), stage)
    if stage == Stage.VERIFICATION:
        for check in app.checks.all():  # complete: only permission stands in the way
            check_update(check=check, status="ok", note="", actor=act(app.assigned_to))
    before = snapshot(app)
    client.force_login(office.auditor)
    page = client.get(reverse("backoffice:file", args=[app.public_id]))
    assert page.status_code == 200 and page.context["actions"] == []
    assert not page.context["can_check"] and not page.context["can_upload"]
    assert not page.context["can_return"] and not page.context["can_reject"]
    for name in ACTIONS:
        url = reverse("backoffice:action", args=[app.public_id, name])
        response = client.post(url, action_data(app, name))
        assert response.status_code in {302, 403, 404}, name
        assert snapshot(app) == before, name
    check = app.checks.first()
    response = client.post(
        reverse("backoffice:checklist", args=[app.public_id]),
        {f"checklist-status_{check.pk}": "invalid", f"checklist-note_{check.pk}": "Buram."},
    )
    assert response.status_code in {302, 403, 404}
    response = client.post(
        reverse("backoffice:upload", args=[app.public_id]),
        {"requirement": check.requirement_id, "file": pdf()},
    )
    assert response.status_code in {302, 403, 404}
    assert snapshot(app) == before
    # The control: the holder's same post does move the file.
    client.force_login(app.assigned_to)
    name = MAIN_ACTION[stage]
    client.post(reverse("backoffice:action", args=[app.public_id, name]), action_data(app, name))
    assert snapshot(app)[0] != stage


def test_every_unflagged_file_can_be_drawn_and_the_draw_stays_in_the_database(
    office, sample_world, django_assert_max_num_queries
):
    """Over fifty seeds each of the eight clean files is drawn, none of the others; and a
    draw costs a bounded number of queries (the id range, a few rounds of primary-key
    lookups, at worst the ordered draw), however many files there are."""
    from integrity.inspection.selectors.workspace import unflagged_sample

    seen = {}
    for seed in range(50):
        with django_assert_max_num_queries(6):
            files, _seed = unflagged_sample(size=3, seed=seed)
        assert len(files) == 3
        for app in files:
            seen[app.pk] = seen.get(app.pk, 0) + 1
    assert set(seen) == {app.pk for app in sample_world.clean}
    assert min(seen.values()) >= 5  # 150 draws over 8 files: about 19 each, none left out


def test_the_queue_s_days_are_the_office_s_days(client, office):
    """Filtered by local days as a range of moments: 23.59 in Jakarta on the 9th is the 9th,
    00.01 on the 10th (17.01 UTC on the 9th) is the 10th."""
    import zoneinfo

    jakarta = zoneinfo.ZoneInfo("Asia/Jakarta")
    late = raise_flag("late-9th", occurred_at=datetime.datetime(2026, 3, 9, 23, 59, tzinfo=jakarta))
    early = raise_flag(
        "early-10th", occurred_at=datetime.datetime(2026, 3, 10, 0, 1, tzinfo=jakarta)
    )
    client.force_login(office.auditor)

    def shown(**query):
        body = client.get(reverse("audit:queue"), {"state": "", **query}).content.decode()
        return {flag.detail["summary"] for flag in (late, early) if flag.detail["summary"] in body}

    assert shown(since="2026-03-10", until="2026-03-10") == {"Aduan early-10th"}
    assert shown(since="2026-03-09", until="2026-03-09") == {"Aduan late-9th"}
    assert shown(until="2026-03-09") == {"Aduan late-9th"}


def test_a_sitting_of_views_is_one_line_of_the_story(client, office):
    """Five views by the same officer within half an hour each are one sitting; a view an
    hour later starts another; another officer's view is their own line."""
    import zoneinfo

    import time_machine

    from permits.services.context import Actor
    from permits.services.views_log import file_view_record

    jakarta = zoneinfo.ZoneInfo("Asia/Jakarta")
    app = storied(office)
    for minutes in (0, 10, 25, 50, 75, 150):
        moment = datetime.datetime(2026, 3, 11, 9, tzinfo=jakarta) + datetime.timedelta(
            minutes=minutes
        )
        with time_machine.travel(moment, tick=False):
            file_view_record(application=app, actor=Actor(office.supervisor, "10.0.0.1"))
    with time_machine.travel(datetime.datetime(2026, 3, 11, 9, 5, tzinfo=jakarta), tick=False):
        file_view_record(application=app, actor=Actor(office.head, "10.0.0.2"))
    client.force_login(office.auditor)
    response = client.get(reverse("audit:story", args=[app.public_id]), {"jenis": "view"})
    lines = [
        (e.who, e.detail)
        for e in response.context["entries"]
        if e.kind == "view" and e.who in (office.supervisor, office.head)
    ]
    assert lines == [
        (office.supervisor, "5 kali, sampai 10.15 · 10.0.0.1"),
        (office.head, "10.0.0.2"),
        (office.supervisor, "10.0.0.1"),
    ]
    assert "5 kali, sampai 10.15" in response.content.decode()


def test_a_sample_the_random_ids_cannot_fill_is_completed_in_the_database(
    office, sample_world, monkeypatch
):
    """One round of random ids over a range where few files qualify (a narrow filter in a
    large office): the draw falls back to ordering the filtered files, and so returns both
    qualifying files whatever the seed, though eight random ids among sixty rarely hit both."""
    from integrity.inspection.selectors import workspace
    from tests.factories import OPDFactory, PermitTypeFactory, RequirementFactory

    for _ in range(40):  # ids that never qualify: drafts
        new_file(office)
    other = OPDFactory(code="DISHUB")
    trayek = PermitTypeFactory(code="HUB-TRAYEK", opd=other, fee=0,
                               needs_technical_review=False, needs_inspection=False)  # fmt: skip
    RequirementFactory(permit_type=trayek, code="KTP", position=1)
    wanted = {submitted(office, trayek).pk for _ in range(2)}
    monkeypatch.setattr(workspace, "SAMPLE_ROUNDS", 1)
    for seed in range(10):
        files, _seed = workspace.unflagged_sample(size=2, opd=other, seed=seed)
        assert {app.pk for app in files} == wanted
