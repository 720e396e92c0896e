"""The inspectorate's records: red flags and their settings, findings with their
follow-up, monthly monev reports."""

from integrity.inspection.models.findings import (
    Finding,
    FindingState,
    FollowUp,
)
from integrity.inspection.models.flags import (
    SEVERITY_RANK,
    Flag,
    FlagBaseline,
    FlagEvidence,
    FlagState,
    FlagSweep,
    FlagVerdict,
    RuleSetting,
    Severity,
)
from integrity.inspection.models.monev import MonevReport

__all__ = [
    "SEVERITY_RANK",
    "Finding",
    "FindingState",
    "Flag",
    "FlagBaseline",
    "FlagEvidence",
    "FlagState",
    "FlagSweep",
    "FlagVerdict",
    "FollowUp",
    "MonevReport",
    "RuleSetting",
    "Severity",
]
