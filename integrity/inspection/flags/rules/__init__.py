"""The red-flag rules, one module each. ``ALL_RULES`` is every rule the engine runs,
registered in ``IntegrityConfig.ready`` (``integrity.inspection.flags.registry.register``)."""

from integrity.inspection.flags.rules.coi import ConflictOfInterest
from integrity.inspection.flags.rules.complaint import Complaint
from integrity.inspection.flags.rules.fast import Fast
from integrity.inspection.flags.rules.flip import Flip
from integrity.inspection.flags.rules.held import Held
from integrity.inspection.flags.rules.hours import Hours
from integrity.inspection.flags.rules.late import Late
from integrity.inspection.flags.rules.pair import Pair
from integrity.inspection.flags.rules.pressure import Pressure
from integrity.inspection.flags.rules.queue import Queue
from integrity.inspection.flags.rules.survey import Survey
from integrity.inspection.flags.rules.team import Team

ALL_RULES = (
    ConflictOfInterest,
    Complaint,
    Fast,
    Flip,
    Held,
    Hours,
    Late,
    Pair,
    Pressure,
    Queue,
    Survey,
    Team,
)
