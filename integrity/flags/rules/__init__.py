"""The red-flag rules, one module each. ``ALL_RULES`` is every rule the engine runs,
registered in ``IntegrityConfig.ready`` (``integrity.flags.registry.register``)."""

from integrity.flags.rules.coi import ConflictOfInterest
from integrity.flags.rules.complaint import Complaint
from integrity.flags.rules.fast import Fast
from integrity.flags.rules.flip import Flip
from integrity.flags.rules.held import Held
from integrity.flags.rules.hours import Hours
from integrity.flags.rules.late import Late
from integrity.flags.rules.pair import Pair
from integrity.flags.rules.pressure import Pressure
from integrity.flags.rules.queue import Queue
from integrity.flags.rules.survey import Survey

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
)
