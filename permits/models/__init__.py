from permits.models.application import (
    Application,
    Channel,
    new_tracking_code,
    normalise_tracking_code,
)
from permits.models.catalogue import (
    OPD,
    BilingualNameMixin,
    PermitFamily,
    PermitType,
    Requirement,
    SopUnit,
    validate_number_pattern,
)
from permits.models.records import (
    ApplicationEvent,
    CheckStatus,
    Document,
    FileMessage,
    FileView,
    NumberSequence,
    ReminderKind,
    RequirementCheck,
    SlaReminder,
)
from permits.models.stages import FINAL_STAGES, OPEN_STAGES, RULES, Stage

__all__ = [
    "FINAL_STAGES",
    "OPD",
    "OPEN_STAGES",
    "RULES",
    "Application",
    "ApplicationEvent",
    "BilingualNameMixin",
    "Channel",
    "CheckStatus",
    "Document",
    "FileMessage",
    "FileView",
    "NumberSequence",
    "PermitFamily",
    "PermitType",
    "ReminderKind",
    "Requirement",
    "RequirementCheck",
    "SlaReminder",
    "SopUnit",
    "Stage",
    "new_tracking_code",
    "normalise_tracking_code",
    "validate_number_pattern",
]
