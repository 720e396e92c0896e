"""Issue 19 in a browser, on a 360 px phone: an applicant applies for three very different
types (a doctor's practice licence, a building approval with its map point and rooms, a home
food business with its list of machines), each form built from its type's fields; what they
typed is kept, checked, and read back on their file in the office's words and numbers."""

import random
import re

import pytest
from playwright.sync_api import expect

from permits.details.examples import details_example
from permits.models import Application, FormVersion, PermitType, Stage
from places.selectors import gazetteer
from tests.e2e.kit import applicant_sign_in, upload

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# What each applicant types, beyond plausible values for the rest; and what their file then
# says back (as the page words it: Indonesian numbers, the desa's name, units).
CASES = {
    "KES-SIP-DOKTER": (
        {"facility_name": "Klinik Pratama Sehat Bersama", "str_number": "3121100220145678"},
        ["Klinik Pratama Sehat Bersama", "3121100220145678"],
    ),
    "PU-PBG": (
        {
            "floors_above": 3,
            "total_floor_area": 412.5,
            "rooms": [
                {"room_name": "Ruang tamu", "floor_level": 1, "room_area": 24.5},
                {"room_name": "Kamar tidur utama", "floor_level": 2, "room_area": 16},
                {"room_name": "Gudang", "floor_level": 3, "room_area": 9},
            ],
        },
        ["3 lantai", "412,5 m²", "Kamar tidur utama", "24,5 m²"],
    ),
    "KES-SPP-IRT": (
        {
            "production_machines": [
                {"machine_name": "Mesin giling kopi", "machine_count": 2, "power_kw": 1.5},
                {"machine_name": "Hand sealer", "machine_count": 3},
            ]
        },
        ["Mesin giling kopi", "1,5 kW", "Hand sealer"],
    ),
}


def typed(value) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def fill(page, spec: list[dict], values: dict) -> None:
    """Type ``values`` into the form as a person would, field by field."""
    for field in spec:
        key, kind, value = field["key"], field["kind"], values.get(field["key"])
        if value is None:
            continue
        name = f"d-{key}"
        if kind == "address":
            page.fill(f"[name='{name}-street']", value["street"])
            page.select_option(f"[name='{name}-kecamatan']", value["kecamatan"])
            page.select_option(f"[name='{name}-desa']", value["desa"])
        elif kind == "point":
            page.fill(f"[name='{name}-lat']", str(value["lat"]))
            page.fill(f"[name='{name}-lon']", str(value["lon"]))
        elif kind == "rows":
            for i, row in enumerate(value):
                if not page.locator(f"[name^='{name}-{i}-']").count():
                    page.locator(f"[data-add-row='id_{name}']").click()
                for column in field["columns"]:
                    if column["key"] in row:
                        selector = f"[name='{name}-{i}-{column['key']}']"
                        if column["kind"] in ("choice", "yes_no"):
                            page.select_option(selector, typed(row[column["key"]]))
                        else:
                            page.fill(selector, typed(row[column["key"]]))
        elif kind in ("choice", "yes_no"):
            page.select_option(f"[name='{name}']", typed(value))
        else:
            page.fill(f"[name='{name}']", typed(value))


@pytest.mark.parametrize("code", list(CASES))
def test_an_applicant_applies_on_a_phone_with_the_type_s_own_form(
    live_server, open_page, office, catalogue, code
):
    base = live_server.url
    permit_type = PermitType.objects.get(code=code)
    spec = FormVersion.objects.filter(permit_type=permit_type).latest("number").spec
    own, shown = CASES[code]
    values = details_example(spec, places=gazetteer(), rng=random.Random(19)) | own
    office.applicant.nik = "3201014101900001"
    office.applicant.save()
    page = open_page(width=360, height=780)
    applicant_sign_in(page, base, office.applicant)
    page.goto(f"{base}/layanan/{code}/")
    page.get_by_role("button", name="Ajukan permohonan").click()
    expect(page.locator("h1")).to_contain_text(permit_type.name_id)
    expect(page.locator("#details-title")).to_contain_text(permit_type.name_id)

    fill(page, spec, values)
    expect(page.locator("#draft-status")).to_contain_text("Tersimpan pukul")
    page.wait_for_timeout(600)  # the last change's autosave

    for requirement in permit_type.requirements.filter(mandatory=True, active=True):
        png = requirement.formats == ["jpg", "png"] or "pdf" not in requirement.formats
        upload(
            page,
            requirement.name_id,
            f"{requirement.code.lower()}.{'png' if png else 'pdf'}",
            PNG if png else PDF,
            "image/png" if png else "application/pdf",
        )
    page.locator("#submit-section").get_by_role("button", name="Ajukan permohonan").click()
    expect(page).to_have_url(re.compile(r"/tanda-terima/$"))
    app = Application.objects.get(applicant=office.applicant, permit_type=permit_type)
    assert app.state == Stage.SUBMITTED

    page.goto(f"{base}/saya/berkas/{app.public_id}/")
    data = page.locator(".details-list")
    for text in shown:
        expect(data).to_contain_text(text)
    address = next((f for f in spec if f["kind"] == "address"), None)
    if address:
        desa = gazetteer().desa[values[address["key"]]["desa"]]
        expect(data).to_contain_text(f"{desa.label}, Kec. {desa.kecamatan.name}")
