"""The stages of a file (berkas) and who may move it from one to the next.

The rules are data so that the model layer enforces them, the back office shows only the
actions a user may take, and the tests walk every transition for every role.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from permits.event_names import (
    APPLICATION_APPROVED,
    APPLICATION_COMPLETED,
    APPLICATION_EXPIRED,
    APPLICATION_INSPECTED,
    APPLICATION_PAID,
    APPLICATION_REJECTED,
    APPLICATION_RESUBMITTED,
    APPLICATION_RETURNED,
    APPLICATION_REVIEWED,
    APPLICATION_SIGNED,
    APPLICATION_SUBMITTED,
    APPLICATION_VERIFICATION_STARTED,
    APPLICATION_WITHDRAWN,
)


class Stage(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    VERIFICATION = "verification", _("Verifikasi berkas")
    RETURNED = "returned", _("Dikembalikan ke pemohon")
    TECHNICAL_REVIEW = "technical_review", _("Kajian teknis")
    INSPECTION = "inspection", _("Peninjauan lapangan")
    AWAITING_PAYMENT = "awaiting_payment", _("Menunggu pembayaran retribusi")
    APPROVAL = "approval", _("Persetujuan")
    SIGNING = "signing", _("Penandatanganan")
    ISSUED = "issued", _("Izin terbit")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Dicabut pemohon")
    EXPIRED = "expired", _("Kedaluwarsa")


FINAL_STAGES = frozenset({Stage.ISSUED, Stage.REJECTED, Stage.WITHDRAWN, Stage.EXPIRED})
OPEN_STAGES = frozenset(set(Stage) - FINAL_STAGES - {Stage.DRAFT})
# The file waits on the applicant: the SOP clock stands still.
APPLICANT_STAGES = frozenset({Stage.RETURNED, Stage.AWAITING_PAYMENT})
# The optional stages after verification, in order; the permit type switches each on or off.
PROCESSING_ORDER = (
    Stage.TECHNICAL_REVIEW,
    Stage.INSPECTION,
    Stage.AWAITING_PAYMENT,
    Stage.APPROVAL,
)


@dataclass(frozen=True)
class Rule:
    """Who may fire a transition.

    ``roles``: staff roles allowed; ``assignee``: only the officer holding the file;
    ``applicant``: the applicant who owns the file; ``on_behalf``: counter staff may act
    for an applicant whose file was registered at the counter; ``system``: the system may
    fire it too (a periodic task, the bank's callback). A rule naming nobody else is the
    system's alone.
    """

    roles: frozenset = field(default_factory=frozenset)
    assignee: bool = False
    applicant: bool = False
    on_behalf: bool = False
    system: bool = False


STAFF = frozenset({Role.COUNTER, Role.TECHNICAL, Role.SUPERVISOR, Role.HEAD})

RULES: dict[str, Rule] = {
    "submit": Rule(applicant=True, on_behalf=True),
    "begin_verification": Rule(roles=frozenset({Role.COUNTER}), assignee=True),
    "return_to_applicant": Rule(roles=frozenset({Role.COUNTER, Role.TECHNICAL}), assignee=True),
    "resubmit": Rule(applicant=True, on_behalf=True),
    "declare_complete": Rule(roles=frozenset({Role.COUNTER}), assignee=True),
    "finish_review": Rule(roles=frozenset({Role.TECHNICAL}), assignee=True),
    "finish_inspection": Rule(roles=frozenset({Role.TECHNICAL}), assignee=True),
    # The cashier at the counter, or the system on the bank's signed callback.
    "confirm_payment": Rule(roles=frozenset({Role.CASHIER}), system=True),
    "approve": Rule(roles=frozenset({Role.SUPERVISOR}), assignee=True),
    "sign": Rule(roles=frozenset({Role.HEAD}), assignee=True),
    "reject": Rule(roles=STAFF, assignee=True),
    "withdraw": Rule(applicant=True, on_behalf=True),
    "expire": Rule(system=True),
}

# The role that works a file in each stage (None: nobody is assigned).
STAGE_ROLE = {
    Stage.SUBMITTED: Role.COUNTER,
    Stage.VERIFICATION: Role.COUNTER,
    Stage.TECHNICAL_REVIEW: Role.TECHNICAL,
    Stage.INSPECTION: Role.TECHNICAL,
    Stage.AWAITING_PAYMENT: Role.CASHIER,
    Stage.APPROVAL: Role.SUPERVISOR,
    Stage.SIGNING: Role.HEAD,
}

# The event each transition writes (one audit vocabulary: dotted names).
EVENT_ACTIONS = {
    "submit": APPLICATION_SUBMITTED,
    "begin_verification": APPLICATION_VERIFICATION_STARTED,
    "return_to_applicant": APPLICATION_RETURNED,
    "resubmit": APPLICATION_RESUBMITTED,
    "declare_complete": APPLICATION_COMPLETED,
    "finish_review": APPLICATION_REVIEWED,
    "finish_inspection": APPLICATION_INSPECTED,
    "confirm_payment": APPLICATION_PAID,
    "approve": APPLICATION_APPROVED,
    "sign": APPLICATION_SIGNED,
    "reject": APPLICATION_REJECTED,
    "withdraw": APPLICATION_WITHDRAWN,
    "expire": APPLICATION_EXPIRED,
}

# The transitions by which a file joins the counter's queue for its completeness check (and
# their events): the check's deadline runs from there (permits.sla).
QUEUE_TRANSITIONS = ("submit", "resubmit")
QUEUE_ACTIONS = tuple(EVENT_ACTIONS[name] for name in QUEUE_TRANSITIONS)

# The transition that moves a file on from each stage when nothing goes back (its event:
# ``EVENT_ACTIONS``).
FORWARD_TRANSITIONS = {
    Stage.SUBMITTED: "begin_verification",
    Stage.VERIFICATION: "declare_complete",
    Stage.TECHNICAL_REVIEW: "finish_review",
    Stage.INSPECTION: "finish_inspection",
    Stage.AWAITING_PAYMENT: "confirm_payment",
    Stage.APPROVAL: "approve",
    Stage.SIGNING: "sign",
}


def stage_used(permit_type, stage: str) -> bool:
    """Whether files of ``permit_type`` pass ``stage``: the optional stages are switched on
    by the type (technical review, inspection, a fee to pay); every other stage is always
    passed."""
    return {
        Stage.TECHNICAL_REVIEW: permit_type.needs_technical_review,
        Stage.INSPECTION: permit_type.needs_inspection,
        Stage.AWAITING_PAYMENT: permit_type.fee > 0,
    }.get(stage, True)


def stage_path(permit_type) -> list[str]:
    """The stages a file of ``permit_type`` passes, in order, when nothing goes back: from
    submission to the permit issued."""
    optional = [stage for stage in PROCESSING_ORDER if stage_used(permit_type, stage)]
    return [Stage.SUBMITTED, Stage.VERIFICATION, *optional, Stage.SIGNING, Stage.ISSUED]


# Who may update requirement checks in each stage (the assigned officer of that role).
CHECK_STAGES = {
    Stage.VERIFICATION: Role.COUNTER,
    Stage.TECHNICAL_REVIEW: Role.TECHNICAL,
    Stage.INSPECTION: Role.TECHNICAL,
}
