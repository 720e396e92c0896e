"""The conflict-of-interest records: registers, declarations and matches, cases and
suspicion reports, gratification reports and sanctions."""

from integrity.conflicts.models.cases import (
    CaseOrigin,
    CaseRoute,
    CaseState,
    ConflictCase,
    Decision,
    Measure,
    Suspicion,
    SuspicionRoute,
)
from integrity.conflicts.models.declarations import (
    ConflictMatch,
    ConflictNature,
    ConflictSource,
    FileDeclaration,
    MatchReason,
    PressureFrom,
    Restriction,
)
from integrity.conflicts.models.gratification import (
    SANCTION_LEVELS,
    AppealStatus,
    GratificationReport,
    Sanction,
    SanctionKind,
    SanctionLevel,
)
from integrity.conflicts.models.register import (
    Affiliation,
    AffiliationDeclaration,
    AffiliationKind,
    AffiliationRole,
    Relationship,
)

__all__ = [
    "SANCTION_LEVELS",
    "Affiliation",
    "AffiliationDeclaration",
    "AffiliationKind",
    "AffiliationRole",
    "AppealStatus",
    "CaseOrigin",
    "CaseRoute",
    "CaseState",
    "ConflictCase",
    "ConflictMatch",
    "ConflictNature",
    "ConflictSource",
    "Decision",
    "FileDeclaration",
    "GratificationReport",
    "MatchReason",
    "Measure",
    "PressureFrom",
    "Relationship",
    "Restriction",
    "Sanction",
    "SanctionKind",
    "SanctionLevel",
    "Suspicion",
    "SuspicionRoute",
]
