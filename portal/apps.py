from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The wiring above every app: settings, the root URLconf, Celery (its app, the beat
    schedules and their install command, the heartbeat task) and WSGI/ASGI."""

    name = "portal"
    verbose_name = "Portal"
