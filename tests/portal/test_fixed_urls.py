"""``{% fixed_url %}`` gives what ``{% url %}`` gives, for each URLconf and script prefix
(a deployment under a sub-path, the bench's URLconf), though it reverses each name once."""

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix, set_urlconf

from core.templatetags.fixed_urls import fixed_url

NAMES = ["home", "tracking:start", "accounts:login", "transparency:dashboard", "set_language"]


@pytest.mark.parametrize("name", NAMES)
def test_it_is_the_url_tag(name):
    assert fixed_url(name) == reverse(name)
    rendered = Template("{% load fixed_urls %}{% fixed_url name %}|{% url name %}").render(
        Context({"name": name})
    )
    first, second = rendered.split("|")
    assert first == second


def test_it_follows_the_script_prefix():
    plain = fixed_url("tracking:start")
    set_script_prefix("/mpp/")
    try:
        assert fixed_url("tracking:start") == "/mpp" + plain == reverse("tracking:start")
    finally:
        set_script_prefix("/")
    assert fixed_url("tracking:start") == plain


def test_it_follows_the_urlconf_of_the_request():
    set_urlconf("bench.urls")
    try:
        assert fixed_url("home") == reverse("home")
    finally:
        set_urlconf(None)


def test_an_unknown_name_fails_as_the_url_tag_does():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        fixed_url("no-such-route")


def test_it_follows_an_overridden_root_urlconf(settings):
    assert fixed_url("home") == "/"
    settings.ROOT_URLCONF = "tests.portal.urls_elsewhere"
    assert fixed_url("home") == reverse("home") == "/di-tempat-lain/"
