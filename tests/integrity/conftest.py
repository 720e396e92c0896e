"""The small office of tests/permits for the integrity tests too."""

from tests.permits.conftest import office  # noqa: F401
