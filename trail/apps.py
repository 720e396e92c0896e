from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _triggers_installed(sender, using="default", **kwargs) -> None:
    # After every migrate, so a table added later is guarded from its first deploy.
    from trail.triggers import triggers_install

    triggers_install(using)


class TrailConfig(AppConfig):
    name = "trail"
    verbose_name = _("Jejak audit")

    def ready(self) -> None:
        from trail.seals import seals_connect

        post_migrate.connect(_triggers_installed, sender=self, dispatch_uid="trail.triggers")
        # Every write of a record the audit relies on is sealed: every historical model
        # here, the others as their apps register them (trail.seals.sealed_models_register).
        seals_connect()
