"""A cashier who sees something wrong on a file they do not hold reports it; the supervisor
it reaches reads it (without the reporter's name) and opens a case; the officer it is about
reads none of it."""

import pytest
from playwright.sync_api import expect

from permits.models import Application, Stage
from tests.e2e.kit import ARTIFACTS, staff_sign_in
from tests.factories import new_file, walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_colleague_reports_a_suspicion_and_the_supervisor_opens_a_case(
    live_server, office, open_page
):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    base, url = live_server.url, f"{live_server.url}/kantor/berkas/{app.public_id}/"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    cashier = open_page(width=1280)
    staff_sign_in(cashier, base, office.cashier)
    cashier.goto(url)
    # Not the holder, never acted on it: no declaration that would hold the file.
    expect(cashier.get_by_text("Nyatakan dan tahan berkas")).to_have_count(0)
    cashier.get_by_text("Laporkan dugaan konflik kepentingan").click()
    cashier.select_option("#suspicion-officer", label=office.counter.display_name)
    cashier.fill("#suspicion-description", "Pemohon menitipkan amplop di meja loket.")
    cashier.screenshot(path=str(ARTIFACTS / "suspicion-form-1280.png"), full_page=True)
    cashier.get_by_role("button", name="Kirim laporan dugaan").click()
    expect(cashier.locator(".messages")).to_contain_text(
        f"Laporan dugaan Anda diteruskan kepada {office.supervisor.display_name}. "
        "Berkas tidak ditahan."
    )
    assert Application.objects.get(pk=app.pk).held_since is None

    supervisor = open_page(width=1280)
    staff_sign_in(supervisor, base, office.supervisor)
    supervisor.goto(f"{base}/kantor/integritas/")
    listed = supervisor.locator("#h-suspicions + p + ul")
    expect(listed).to_contain_text(app.registration_number)
    expect(listed).to_contain_text("Pemohon menitipkan amplop di meja loket.")
    expect(listed).not_to_contain_text(office.cashier.display_name)
    supervisor.goto(url)
    expect(supervisor.get_by_text("Pemohon menitipkan amplop di meja loket.")).to_be_visible()
    supervisor.get_by_text("Buka kasus konflik kepentingan").click()
    supervisor.select_option("#case-officer", label=office.counter.display_name)
    supervisor.fill("#case-note", "Menindaklanjuti laporan rekan kerja.")
    supervisor.get_by_role("button", name="Buka kasus dan tahan berkas").click()
    expect(supervisor.locator(".messages")).to_contain_text("Kasus dibuka; berkas ditahan.")
    supervisor.screenshot(path=str(ARTIFACTS / "suspicion-case-1280.png"), full_page=True)

    counter = open_page(width=1280)
    staff_sign_in(counter, base, office.counter)
    counter.goto(url)
    expect(counter.get_by_role("heading", name="Berkas ditahan")).to_be_visible()
    expect(counter.locator("body")).not_to_contain_text("menitipkan amplop")
    expect(counter.locator("body")).not_to_contain_text("Dugaan konflik kepentingan dilaporkan")
    # Held: the office writes nothing to the applicant, and the page says why.
    expect(counter.get_by_role("button", name="Kirim pesan")).to_have_count(0)
    expect(counter.locator("#messages")).to_contain_text(
        "kantor tidak mengirim pesan kepada pemohon sampai penahanan dicabut"
    )
