"""No input makes a 500: every view of the URL map, for every kind of visitor, with fuzzed
query parameters and form fields.

The routes are read from Django's resolver (a new view is fuzzed without touching this file);
path parameters are filled with the office's real objects or with fuzz; field names come from
the inputs of the page as that visitor sees it, plus the query parameters views commonly read.
Each route gets a few hypothesis examples (a GET with a fuzzed query string and a POST with
fuzzed fields); every exception a view lets out is collected rather than raised, so one
failing run names them all.
"""

from __future__ import annotations

import os
import re
import uuid
from urllib.parse import quote, urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from permits.services.applications import application_submit
from tests.conftest import SignedInClient
from tests.factories import act, new_file, upload_mandatory

pytestmark = pytest.mark.django_db

EXAMPLES_PER_ROUTE = int(os.environ.get("FUZZ_EXAMPLES", "2"))
ROLES = ("anonymous", "applicant", "counter", "auditor", "head")
COMMON_NAMES = ("page", "q", "period", "month", "kategori", "next", "status", "berkas", "sort")
INPUT_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")

EDGE_TEXTS = [
    "",
    " ",
    "0",
    "-1",
    "00",
    "1e309",
    "nan",
    "9" * 30,
    "0001-01",
    "0001-01-01",
    "9999-12",
    "9999-12-31",
    "2026-13",
    "2026-02-30",
    "0000",
    "10000",
    "2026-W1",
    "\x00",
    "\u202e",
    "<script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "//penyerang.example",
    "https://penyerang.example/",
    str(uuid.UUID(int=0)),
    "true",
    "on",
    "x" * 5000,
]
# NUL is refused by PostgreSQL's text type and by Django's forms; a fuzzer must keep it.
nasty_text = st.one_of(
    st.sampled_from(EDGE_TEXTS),
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(lambda day: day.isoformat()),
    st.builds("{:04d}-{:02d}".format, st.integers(0, 9999), st.integers(0, 99)),
)


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def routes() -> list[str]:
    """Every route of the site except Django's admin (its own, tested upstream)."""
    found = [route for route in walk(get_resolver().url_patterns) if not route.startswith("admin")]
    return sorted(set(found))


@pytest.fixture
def world(office):
    """The office, one submitted file with its documents, and a signed-in client per role."""
    app = new_file(office)
    upload_mandatory(office, app)
    application_submit(application=app, actor=act(office.applicant))
    clients = {role: SignedInClient() for role in ROLES}
    for role in ROLES[1:]:
        clients[role].force_login(getattr(office, role))
    known = {
        "file": str(app.public_id),
        "document": str(app.documents.first().public_id),
        "type": office.full_type.code,
        "tracking": app.tracking_code,
    }
    return {"office": office, "clients": clients, "known": known, "names": {}}


def known_value(route: str, name: str, known: dict) -> str | None:
    if name == "public_id":
        return known["document"] if "dokumen/" in route else known["file"]
    if name == "code":
        return known["tracking"] if route.startswith("lacak/") else known["type"]
    return None


def path_value(route, name, converter, known, data) -> str:
    real = known_value(route, name, known)
    if real is not None and data.draw(st.booleans()):
        return real
    if converter == "uuid":
        return str(data.draw(st.uuids()))
    if converter == "int":
        return str(data.draw(st.integers(0, 10**12)))
    if converter == "slug":
        return data.draw(st.from_regex(r"\A[-a-zA-Z0-9_]{1,20}\Z"))
    text = data.draw(nasty_text.filter(lambda value: value and "/" not in value))
    return quote(text, safe="")


def fill(route: str, known: dict, data) -> str:
    """The route as a path, each parameter a real object's value or fuzz."""
    if route.startswith("^"):  # a regular expression route: any text it accepts
        return "/" + quote(data.draw(st.from_regex(route, fullmatch=True)), safe="/")
    return "/" + CONVERTER.sub(
        lambda match: path_value(route, match[2], match[1] or "str", known, data), route
    )


def field_names(world, role: str, route: str, path: str) -> list[str]:
    """The names of the inputs on the page this visitor sees at ``path``, plus common ones."""
    key = (role, route)
    if key not in world["names"]:
        names = set(COMMON_NAMES)
        try:
            response = world["clients"][role].get(path)
            if response.get("Content-Type", "").startswith("text/html"):
                names |= set(INPUT_NAME.findall(response.content.decode()))
        except Exception:  # noqa: S110 - the fuzz below reports the fault
            pass
        names.discard("csrfmiddlewaretoken")
        world["names"][key] = sorted(names)
    return world["names"][key]


def fuzzed_fields(names, data) -> dict[str, list[str]]:
    chosen = data.draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    return {name: data.draw(st.lists(nasty_text, min_size=1, max_size=2)) for name in chosen}


def send(client, method, path, fields) -> str | None:
    """None when the site answered below 500; the fault otherwise."""
    try:
        if method == "GET":
            query = urlencode(fields, doseq=True)
            response = client.get(f"{path}?{query}" if query else path)
        else:
            response = client.post(path, fields)
    except Exception as exc:  # every escaping exception is a 500
        return f"{type(exc).__name__}: {str(exc)[:200]}"
    if response.status_code >= 500:
        return f"status {response.status_code}"
    return None


def fuzz_route(world, role: str, route: str) -> list[str]:
    """A few hypothesis examples on one route: a GET and a POST each; the faults seen."""
    client, faults = world["clients"][role], []

    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        # The same examples every run, so the suite is not flaky; a deeper, random walk is
        # FUZZ_RANDOM=1 with a larger FUZZ_EXAMPLES.
        derandomize=not os.environ.get("FUZZ_RANDOM"),
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data):
        path = fill(route, world["known"], data)
        names = field_names(world, role, route, path)
        for method in ("GET", "POST"):
            fields = fuzzed_fields(names, data)
            fault = send(client, method, path, fields)
            if fault:
                faults.append(f"{role} {method} {path} {fields!r:.300}\n    -> {fault}")
        if role != "anonymous":
            client.force_login(getattr(world["office"], role))  # a fuzzed sign-out may have run

    run()
    return faults


@pytest.mark.parametrize("role", ROLES)
def test_no_input_makes_a_server_error(world, role):
    faults = [fault for route in routes() for fault in fuzz_route(world, role, route)]
    assert not faults, f"{len(faults)} server errors:\n" + "\n".join(faults)


def test_the_walk_reaches_the_whole_site():
    """A guard on the fuzz itself: the resolver walk sees every part of the site."""
    found = routes()
    assert len(found) > 70
    for prefix in ("kantor/audit/monev/", "lacak/", "saya/berkas/", "pengaduan/", "survei/"):
        assert any(route.startswith(prefix) for route in found), prefix
    assert not [route for route in found if route.startswith("admin")]
