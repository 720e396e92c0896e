from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """What the public holds the office to: complaints, the satisfaction survey, the
    integrity index and the transparency dashboard."""

    name = "public"
    verbose_name = _("Akuntabilitas publik")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from integrity.inspection.selectors.monev import monev_section
        from integrity.inspection.selectors.story import story_source
        from permits.models import ApplicationEvent
        from public.receivers import survey_on_end
        from public.selectors.monev import complaints_section, survey_section
        from public.selectors.story import complaints_and_survey
        from trail.seals import sealed_models_register

        # A file that ended invites its applicant to the survey.
        post_save.connect(
            survey_on_end, sender=ApplicationEvent, dispatch_uid="public.survey_on_end"
        )
        monev_section(complaints_section)
        monev_section(survey_section)
        story_source(complaints_and_survey)
        sealed_models_register("public.ComplaintEntry", "public.ComplaintEvidence")
