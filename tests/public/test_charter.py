"""The integrity charter (Piagam Zona Integritas) and the promise in every public page's
footer: no charge beyond the official retribusi, and where to report one."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CHARTER = reverse("transparency:charter")
PROMISE = "Tidak ada pungutan di luar retribusi resmi."
REPORT_MONEY = f'href="{reverse("complaints:new")}?kategori=money"'


def test_the_charter_lists_the_office_commitments(client):
    response = client.get(CHARTER)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Piagam Zona Integritas</h1>" in html
    for commitment in (
        "Tanpa pungutan liar.",
        "Tanpa gratifikasi.",
        "Tanpa calo.",
        "Sesuai SOP dan urutan antrean.",
        "Menyatakan benturan kepentingan.",
        "Menjawab pengaduan tepat waktu.",
        "Membuka kinerja layanan.",
    ):
        assert commitment in html
    assert "retribusi resmi" in html and "SP4N-LAPOR!" in html


def test_the_charter_promises_the_complaint_deadlines_in_force(client, settings):
    settings.COMPLAINT_FORWARD_WORKING_DAYS = 2
    settings.COMPLAINT_ANSWER_WORKING_DAYS = 4
    settings.COMPLAINT_CLOSE_WORKING_DAYS = 9
    html = client.get(CHARTER).content.decode()
    assert "diteruskan paling lambat 2 hari kerja" in html
    assert "dijawab paling lambat 4 hari kerja" in html
    assert "diselesaikan paling lambat 9 hari kerja" in html


def test_the_charter_says_how_to_report_a_breach(client, settings):
    settings.SP4N_LAPOR_URL = "https://lapor.example.go.id/"
    html = client.get(CHARTER).content.decode()
    section = html.split('id="lapor"')[1]
    assert REPORT_MONEY in section and "Laporkan pungutan liar" in section
    assert f'href="{reverse("complaints:start")}"' in section
    assert 'href="https://lapor.example.go.id/"' in section
    assert f'href="{reverse("transparency:dashboard")}"' in html


@pytest.mark.parametrize("role", ["applicant", "counter"])
def test_signed_in_people_read_the_same_charter(client, make_user, role):
    client.force_login(make_user(role, username=f"u-{role}"))
    response = client.get(CHARTER)
    assert response.status_code == 200
    assert "Tanpa pungutan liar." in response.content.decode()


def test_the_charter_only_answers_get(client):
    assert client.post(CHARTER).status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        reverse("tracking:start"),
        reverse("transparency:dashboard"),
        CHARTER,
        reverse("complaints:start"),
    ],
)
def test_every_public_page_carries_the_promise_and_the_ways_to_report(client, url):
    response = client.get(url)
    assert response.status_code == 200
    footer = response.content.decode().split('<footer class="site-footer">')[1]
    assert PROMISE in footer
    assert REPORT_MONEY in footer and "Laporkan pungutan liar" in footer
    assert f'href="{CHARTER}"' in footer and "Piagam integritas" in footer
    assert f'href="{reverse("transparency:dashboard")}"' in footer
    assert "Transparansi layanan" in footer


def test_the_report_link_opens_the_complaint_form_on_money(client):
    response = client.get(reverse("complaints:new"), {"kategori": "money"})
    assert response.status_code == 200
    assert response.context["form"]["category"].value() == "money"
