from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The toolbox under every app (see ``core/__init__.py``); its template tags and the
    health check's heartbeat table."""

    name = "core"
    verbose_name = "Core"
