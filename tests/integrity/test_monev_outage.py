"""Asking for a monev report while the broker is down says so plainly (issue 16, point 1):
no "being prepared" promise that no worker will keep."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_monev_request_with_the_broker_down_tells_the_auditor(client, office, redis_down):
    client.force_login(office.auditor)
    response = client.post("/kantor/audit/monev/", {"month": "2026-11"}, follow=True)
    page = response.content.decode()
    assert "Laporan November 2026 belum dapat disusun" in page
    assert "antrean kerja sedang tidak tersedia" in page
    assert "sedang disusun" not in page
