"""The inspectorate reads a file's story in words: one entry per act with the field changes
it made folded in, people by name and role, moments in the office's time zone, working time
with a decimal comma, and filters by kind of entry."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from integrity.inspection.flags.registry import RULES
from integrity.inspection.selectors.story import file_story
from integrity.inspection.wording import hours_words
from permits.models import Stage
from permits.services.events import file_event
from permits.services.file_messages import file_message_post
from tests.factories import act, new_file, walk

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def story_page(client, office, app, query="") -> str:
    client.force_login(office.auditor)
    response = client.get(reverse("audit:story", args=[app.public_id]) + query)
    assert response.status_code == 200
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def timeline(text: str) -> str:
    """The page's text from the timeline on (not the facts above it)."""
    return text.split("Satu garis waktu", 1)[1]


def test_people_are_named_with_their_role_in_words_never_by_id(client, office):
    app = walk(office, new_file(office, office.simple_type, online=False), Stage.VERIFICATION)
    text = timeline(story_page(client, office, app))
    assert f"Ditangani {office.counter.display_name} (Petugas loket)" in text
    assert f"Petugas: — → {office.counter.display_name} (Petugas loket)" in text
    assert "Tahap: Draf → Diajukan" in text
    for raw in ["to=", "from=", "application.assigned", "assigned_to", "(counter)", "None"]:
        assert raw not in text, raw
    assert f"→ {office.counter.pk} " not in text


def test_moments_are_in_the_office_time_zone_in_indonesian(client, office):
    app = walk(office, new_file(office, office.simple_type, online=False), Stage.SUBMITTED)
    at = datetime.datetime(2026, 11, 17, 8, 27, tzinfo=UTC)  # 15.27 in Jakarta
    file_event(application=app, action="sla.reminded", actor=act(office.counter), at=at)
    text = timeline(story_page(client, office, app))
    assert "17 Nov 2026, 15.27 Petugas diingatkan" in text
    assert "08.27" not in text and "2026-11-17" not in text


def test_reminders_name_their_recipient_and_deadline_and_never_say_none(client, office):
    app = walk(office, new_file(office, office.simple_type, online=False), Stage.SUBMITTED)
    at = datetime.datetime(2026, 11, 17, 8, 27, tzinfo=UTC)
    due = datetime.datetime(2026, 11, 17, 16, 30, tzinfo=UTC)  # 23.30 in Jakarta
    data = {"recipient": office.counter.pk, "deadline": due.isoformat()}
    file_event(application=app, action="sla.check_overdue", actor=act(office.counter), at=at)
    file_event(
        application=app, action="sla.check_reminded", actor=act(office.counter), at=at, data=data
    )
    text = timeline(story_page(client, office, app))
    assert (
        f"Kepada {office.counter.display_name} (Petugas loket); batas pemeriksaan "
        "kelengkapan 17 Nov 2026, 23.30." in text
    )
    assert "Kepada —; batas pemeriksaan kelengkapan —." in text
    assert "None" not in text


def test_each_act_is_one_entry_with_its_changes_folded_in(client, office):
    """A walk-in file registered and submitted at the counter: two acts (created; submitted,
    which also numbered the file and gave it to the counter officer), then the auditor's own
    reading: three entries, whatever the number of rows those acts wrote."""
    app = walk(office, new_file(office, office.simple_type, online=False), Stage.SUBMITTED)
    assert app.events.count() == 4  # created, submitted + assigned, the holder's declaration
    entries = file_story(app)
    titles = [entry.title for entry in entries]
    assert titles == [
        "Berkas dibuat",
        "Diajukan",
        "Petugas menyatakan tidak ada konflik kepentingan",
    ]
    submitted = entries[1]
    labels = [label for label, _old, _new in submitted.changes]
    assert {"Nomor registrasi", "Tahap", "Petugas"} <= set(labels)
    text = timeline(story_page(client, office, app))
    assert "Data berkas diubah" not in text and "Ditugaskan otomatis" not in text
    assert "4 entri" in text  # and the auditor's own reading, recorded as the page opened


def test_a_document_a_message_and_a_declaration_are_each_told_once(client, office):
    app = walk(office, new_file(office, office.simple_type), Stage.VERIFICATION)
    file_message_post(application=app, actor=act(office.applicant), body="Mohon kabar STR.")
    text = timeline(story_page(client, office, app))
    assert text.count("KTP versi 1") == 1 and text.count("STR versi 1") == 1
    assert text.count("Mohon kabar STR.") == 1
    assert text.count("menyatakan tidak ada konflik kepentingan") == 1


def test_a_short_files_story_has_as_many_entries_as_acts(client, office):
    """Every act of a file walked to issuance, counted by hand: created, two uploads,
    submitted, and for each of the five officers a declaration and their act (the counter:
    begin verification, three checks, complete), plus the auditor's view."""
    app = walk(office, new_file(office, office.simple_type), Stage.ISSUED)
    text = story_page(client, office, app)
    acts = 1 + 2 + 1 + (1 + 1 + 3 + 1) + (1 + 1) + (1 + 1) + 1
    assert f"{acts} entri" in text
    assert len(file_story(app)) == acts


def test_the_story_filters_by_kind(client, office):
    app = walk(office, new_file(office, office.simple_type), Stage.VERIFICATION)
    file_message_post(application=app, actor=act(office.applicant), body="Mohon kabar STR.")
    client.force_login(office.auditor)
    url = reverse("audit:story", args=[app.public_id])
    client.get(url)  # one view on the record
    only = client.get(url + "?jenis=message").context["entries"]
    assert [entry.detail for entry in only] == ["Mohon kabar STR."]
    both = client.get(url + "?jenis=view&jenis=document").context["entries"]
    assert {entry.group for entry in both} == {"view", "document"}
    body = client.get(url + "?jenis=view").content.decode()
    assert 'value="view" checked' in body and 'value="message" checked' not in body
    everything = client.get(url + "?jenis=bogus").context["entries"]
    assert {entry.group for entry in everything} >= {"event", "document", "message", "view"}


def test_working_time_reads_in_words_with_a_decimal_comma():
    assert hours_words(0.03) == "2 menit"
    assert hours_words(1.5) == "1,5 jam"
    assert hours_words(16.0) == "16 jam"
    fast = RULES["FAST"].explain({"used_hours": 0.03, "budget_hours": 16.0})
    assert fast == "Selesai dalam 2 menit kerja dari SOP 16 jam."
    hours = RULES["HOURS"].explain({"day": "2026-11-17", "reason": "day_off"})
    assert "17 Nov 2026" in hours


def test_the_story_page_runs_a_bounded_number_of_queries(
    client, office, django_assert_max_num_queries
):
    app = walk(office, new_file(office), Stage.ISSUED)
    for i in range(5):
        file_message_post(application=app, actor=act(office.applicant), body=f"Pesan {i}")
    client.force_login(office.auditor)
    url = reverse("audit:story", args=[app.public_id])
    client.get(url)
    with django_assert_max_num_queries(30):
        client.get(url)
