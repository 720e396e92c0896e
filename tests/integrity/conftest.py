"""The integrity tests share the permits tests' small office (one person per role)."""

from tests.permits.conftest import office  # noqa: F401


def evaluate_all() -> None:
    """What the after-commit tasks do, for every event so far (tests run in one
    transaction, so on_commit callbacks do not fire by themselves)."""
    from integrity.flags.engine import flags_for_event
    from permits.models import ApplicationEvent

    for pk in ApplicationEvent.objects.order_by("pk").values_list("pk", flat=True):
        flags_for_event(pk)


def rule_flags(rule: str):
    from integrity.models import Flag

    return Flag.objects.filter(rule=rule)
