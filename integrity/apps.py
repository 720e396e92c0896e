from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "integrity"
    verbose_name = _("Integritas")

    def ready(self) -> None:
        # Every hook this app fills is wired here (docs/architecture.md).
        from django.db.models.signals import post_save

        from integrity.conflicts.services.declarations import declaration_guard
        from integrity.conflicts.services.matches import officer_is_clear
        from integrity.conflicts.visibility import timeline_hide
        from integrity.inspection.flags.registry import register
        from integrity.inspection.flags.rules import ALL_RULES
        from integrity.inspection.services.anchor_mail import anchor_mail
        from integrity.receivers import flags_on_event, match_on_save
        from permits.assignment import register_eligibility_rule
        from permits.models import Application, ApplicationEvent
        from permits.selectors.backoffice import register_timeline_filter
        from permits.services.context import register_action_guard
        from trail.anchors import anchor_listener_register
        from trail.seals import sealed_models_register

        for rule in ALL_RULES:
            register(rule)
        # Matching whenever a file's applicant data are written; the red-flag rules after
        # each event one of them depends on, once it commits.
        post_save.connect(match_on_save, sender=Application, dispatch_uid="integrity.match_on_save")
        post_save.connect(
            flags_on_event, sender=ApplicationEvent, dispatch_uid="integrity.flags_on_event"
        )
        register_eligibility_rule(officer_is_clear)
        register_action_guard(declaration_guard)
        register_timeline_filter(timeline_hide)
        anchor_listener_register(anchor_mail)
        sealed_models_register(
            "integrity.FileDeclaration",
            "integrity.ConflictCase",
            "integrity.Finding",
            "integrity.FollowUp",
            "integrity.Suspicion",
            "integrity.FlagVerdict",
        )
