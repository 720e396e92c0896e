"""The integrity tests share the permits tests' small office (one person per role)."""

from tests.permits.conftest import office  # noqa: F401
