"""Every user-facing string is in the English catalogue, translated, and current."""

import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings

PO_FILE = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
# Every installed app of the project (not third-party ones), plus the shared templates.
SOURCES = [
    *sorted(
        {
            app.split(".")[0]
            for app in settings.INSTALLED_APPS
            if (settings.BASE_DIR / app.split(".")[0]).is_dir()
        }
    ),
    "templates",
    "locale",
    "manage.py",
]


def msgids(po):
    return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(PO_FILE))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_placeholders_survive_translation():
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w+(?::[^}]*)?\}")
    for entry in polib.pofile(str(PO_FILE)):
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        expected = set(placeholder.findall(entry.msgid_plural or entry.msgid))
        for text in translations:
            assert set(placeholder.findall(text)) <= expected | set(
                placeholder.findall(entry.msgid)
            ), entry.msgid


@pytest.mark.judged_once  # a fresh process extracting strings: no database
@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs gettext")
def test_the_catalogue_is_up_to_date_with_the_source(tmp_path):
    """Extract the strings again in a copy of the tree; no msgid may be missing."""
    for name in SOURCES:
        source = settings.BASE_DIR / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale=en",
            "--no-obsolete",
            "--ignore=tests",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    fresh = msgids(polib.pofile(str(tmp_path / "locale/en/LC_MESSAGES/django.po")))
    kept = msgids(polib.pofile(str(PO_FILE)))
    assert not fresh - kept, f"run `make makemessages`; new strings: {sorted(fresh - kept)}"
    assert not kept - fresh, f"run `make makemessages`; stale strings: {sorted(kept - fresh)}"


def test_a_visitors_language_does_not_outlive_the_request(client, db):
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get("/")
    assert translation.get_language() == settings.LANGUAGE_CODE
