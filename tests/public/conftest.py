"""Fixtures shared by the public-side tests."""

from tests.permits.conftest import office  # noqa: F401 (the offices and their staff)
