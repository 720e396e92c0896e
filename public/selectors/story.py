"""The file's complaints and survey answer on the inspectorate's timeline of the file
(``integrity.inspection.selectors.story.file_story``, read by auditors only)."""

from django.utils.translation import gettext as _

from integrity.inspection.selectors.story import StoryEntry
from public.models import Complaint, SurveyResponse
from public.models.survey import ELEMENT_FIELDS, INTEGRITY_QUESTIONS


def complaints_and_survey(app) -> list[StoryEntry]:
    entries = [
        StoryEntry(
            complaint.received_at,
            "complaint",
            _("Pengaduan %(number)s · %(category)s · %(state)s")
            % {
                "number": complaint.number,
                "category": complaint.category_label,
                "state": complaint.state_label,
            },
            detail=complaint.description[:300],
        )
        for complaint in Complaint.objects.filter(application=app)
    ]
    answer = SurveyResponse.objects.filter(application=app).first()
    if answer is not None:
        scores = " ".join(f"{field.upper()}={getattr(answer, field)}" for field in ELEMENT_FIELDS)
        reported = [str(q) for field, q in INTEGRITY_QUESTIONS if getattr(answer, field)]
        entries.append(
            StoryEntry(
                answer.answered_at,
                "survey",
                _("Jawaban survei kepuasan"),
                detail=" · ".join(filter(None, [scores, *reported, answer.comment])),
            )
        )
    return entries
