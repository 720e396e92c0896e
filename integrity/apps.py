from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "integrity"
    verbose_name = _("Integritas")

    def ready(self) -> None:
        from integrity import receivers  # noqa: F401  (matching, red flags after events)
        from integrity.flags import rules  # noqa: F401  (registers every red-flag rule)
        from integrity.services import declaration_guard, officer_is_clear
        from integrity.visibility import timeline_hide
        from permits.assignment import register_eligibility_rule
        from permits.selectors import register_timeline_filter
        from permits.services.context import register_action_guard

        register_eligibility_rule(officer_is_clear)
        register_action_guard(declaration_guard)
        register_timeline_filter(timeline_hide)
