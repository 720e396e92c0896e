"""One client address for the rate limits and django-axes: REMOTE_ADDR, or behind the trusted
reverse proxy (Caddy) the visitor it forwards for. A spoofed X-Forwarded-For is ignored."""

import uuid

import pytest
from axes.helpers import get_client_ip_address
from django.test import Client, RequestFactory

from accounts.models import Role
from core.ratelimit import client_address
from tests.conftest import password_step

PROXY = "172.30.0.2"  # the Caddy container, in the compose network below
NETWORK = "172.30.0.0/24"


def request(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def new_address() -> str:
    """An address of its own (with Redis, rate-limit counts outlive a test)."""
    return f"2001:db8:{uuid.uuid4().hex[:4]}::1"


def via_proxy(visitor):
    """A client whose requests come through the proxy, which names ``visitor``."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=visitor)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [NETWORK]
    return settings


def test_without_trusted_proxies_it_is_remote_addr_whatever_the_header_says(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_the_trusted_proxy_it_is_the_visitor_the_proxy_names(behind_proxy):
    assert client_address(request(PROXY, "198.51.100.1")) == "198.51.100.1"


def test_an_address_the_visitor_wrote_in_the_header_is_not_believed(behind_proxy):
    """Caddy appends the address it saw; what the visitor put to its left is theirs to forge."""
    assert client_address(request(PROXY, "10.9.9.9, 198.51.100.1")) == "198.51.100.1"
    assert client_address(request(PROXY, "172.30.0.7, 198.51.100.1")) == "198.51.100.1"


def test_a_direct_client_cannot_pose_as_the_proxy_with_the_header(behind_proxy):
    assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", "198.51.100.1, bogus"])
def test_a_missing_or_malformed_header_counts_the_proxy_itself(behind_proxy, forwarded):
    assert client_address(request(PROXY, forwarded)) == PROXY


def test_ipv6_visitors_and_proxies_work_alike(settings):
    settings.TRUSTED_PROXIES = ["fd00::/64"]
    assert client_address(request("fd00::2", "2001:db8:7::1")) == "2001:db8:7::1"


def test_django_axes_counts_the_same_address(behind_proxy):
    assert get_client_ip_address(request(PROXY, "10.9.9.9, 198.51.100.1")) == "198.51.100.1"
    assert get_client_ip_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@pytest.mark.django_db
def test_ten_visitors_behind_the_proxy_missing_once_each_lock_nobody_out(behind_proxy):
    behind_proxy.TRACKING_MISS_LIMIT = 3
    statuses = [
        via_proxy(new_address()).get("/lacak/ABCD-EFGH-JKMN/").status_code for _ in range(10)
    ]
    assert statuses == [404] * 10


@pytest.mark.django_db
def test_one_visitor_behind_the_proxy_is_still_limited(behind_proxy):
    behind_proxy.TRACKING_MISS_LIMIT = 3
    visitor = via_proxy(new_address())
    statuses = [visitor.get("/lacak/ABCD-EFGH-JKMN/").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]


@pytest.mark.django_db
def test_a_spoofed_header_from_an_untrusted_client_does_not_reset_its_count(behind_proxy):
    behind_proxy.TRACKING_MISS_LIMIT = 3
    direct = new_address()
    statuses = [
        Client(REMOTE_ADDR=direct, HTTP_X_FORWARDED_FOR=new_address())
        .get("/lacak/ABCD-EFGH-JKMN/")
        .status_code
        for _ in range(4)
    ]
    assert statuses == [404, 404, 404, 429]


def test_wrong_passwords_behind_the_proxy_lock_that_visitor_not_the_next(behind_proxy, person):
    user = person(Role.APPLICANT)
    attacker = via_proxy(new_address())
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        password_step(attacker, user, password="salah")
    assert password_step(attacker, user).status_code == 429
    assert password_step(via_proxy(new_address()), user).status_code == 302


def test_axes_gets_no_address_rather_than_a_word_when_the_request_has_none():
    """django-axes stores the address in an IP column (inet on PostgreSQL): a request
    without one (the test client's login(), a command) gives None, not "unknown"."""
    from django.http import HttpRequest

    from core.ratelimit import axes_client_address, client_address

    assert client_address(HttpRequest()) == "unknown"
    assert axes_client_address(HttpRequest()) is None
