from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The wiring: health check, periodic-task schedules and the beat heartbeat."""

    name = "portal"
    verbose_name = "Portal"
