"""The tests' one-migration stand-in for django-oauth-toolkit's migrations
(``tests/dot_migrations``) builds exactly the tables the installed toolkit's models
describe, and nothing but pytest's own databases uses it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.mark.django_db  # makemigrations reads the applied migrations
def test_the_stand_in_matches_the_installed_toolkits_models():
    # Exits non-zero (SystemExit) if the models differ from what the migration builds.
    call_command("makemigrations", "oauth2_provider", "--check", "--dry-run", verbosity=0)


@pytest.mark.judged_once  # reads no database
def test_a_deployment_runs_the_toolkits_own_migrations(project_env):
    assert settings.MIGRATION_MODULES == {"oauth2_provider": "tests.dot_migrations"}
    shown = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = "
         "'portal.settings'; django.setup(); from django.conf import settings; "
         "print(settings.MIGRATION_MODULES)"],
        cwd=settings.BASE_DIR, env=project_env | {"DEBUG": "1"}, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    assert shown.stdout.strip() == "{}"


@pytest.mark.judged_once  # reads no database
def test_the_stand_in_replaces_every_migration_the_toolkit_ships():
    """Applied, it records the toolkit's own as applied, so a process that runs them (a
    subprocess on the test database) has nothing to redo: the list must be whole."""
    import importlib
    from pathlib import Path

    import oauth2_provider

    shipped = sorted(
        path.stem for path in (Path(oauth2_provider.__file__).parent / "migrations").glob("0*.py")
    )
    stand_in = importlib.import_module(
        "tests.dot_migrations.0001_squashed_0022_refreshtoken_token_family_index"
    )
    assert stand_in.Migration.replaces == [("oauth2_provider", name) for name in shipped]
