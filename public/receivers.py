"""A file that ended invites its applicant to the satisfaction survey, in the transaction
that ended it: once the issued permit's PDF is stored (the permit is in hand), or when the
file is rejected."""

from permits.event_names import PERMIT_PDF_STORED
from permits.models import Stage
from public.services.survey import survey_invite


def survey_on_end(sender, instance, created, **kwargs) -> None:
    if not created:
        return
    ended = instance.action == PERMIT_PDF_STORED or (
        instance.to_state == Stage.REJECTED and instance.from_state != Stage.REJECTED
    )
    if ended:
        survey_invite(application=instance.application)
