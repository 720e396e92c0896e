"""django-oauth-toolkit's tables for the test databases, in one migration made from its
models as installed (``makemigrations oauth2_provider`` with ``MIGRATION_MODULES`` pointing
here), instead of its 22 migrations, which cost about a third of creating a test database.

Only pytest's own databases use it (``portal.settings``: ``TESTING``); every deployment,
the demo and the tests' subprocesses run the toolkit's own migrations.
It ``replaces`` the toolkit's migrations, so applying it records them all as applied and a
process that runs the toolkit's own migrations on such a database (``bench/seed.py`` on the
test database) has nothing to redo. ``tests/api/test_dot_test_migrations.py`` fails if the
installed toolkit's models or migrations change without this being made again (then
rename it after the toolkit's last migration and list them all in ``replaces``):

    rm tests/dot_migrations/0*.py && DJANGO_SETTINGS_MODULE=portal.settings \\
      .venv/bin/python -c "import pytest, django; django.setup(); \\
      from django.core.management import call_command; \\
      call_command('makemigrations', 'oauth2_provider')"
"""
