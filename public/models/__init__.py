from public.models.complaints import (
    INSPECTORATE_ONLY,
    Complaint,
    ComplaintCategory,
    ComplaintEntry,
    ComplaintEvidence,
    ComplaintState,
    ComplaintSubject,
    Route,
)
from public.models.once import FormToken
from public.models.survey import (
    ELEMENTS,
    INTEGRITY_QUESTIONS,
    IntegrityBand,
    SurveyInvitation,
    SurveyResponse,
)
from public.models.transparency import DashboardSnapshot

__all__ = [
    "ELEMENTS",
    "INSPECTORATE_ONLY",
    "INTEGRITY_QUESTIONS",
    "Complaint",
    "ComplaintCategory",
    "ComplaintEntry",
    "ComplaintEvidence",
    "ComplaintState",
    "ComplaintSubject",
    "DashboardSnapshot",
    "FormToken",
    "IntegrityBand",
    "Route",
    "SurveyInvitation",
    "SurveyResponse",
]
