"""What one person may do on one file, decided once for every page that shows it.

Templates only show these answers; the services that perform each act check the same facts
again (``Application.may_fire``, ``application_reassign``, ``payment_record``,
``permit_revoke``), so a button shown by mistake still changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Role
from permits.assignment import supervisor_roles
from permits.models import OPEN_VISIT_STATUSES, Application, Stage
from permits.models.stages import STAGE_ROLE
from permits.services.checks import may_check
from permits.services.documents import may_upload
from permits.services.file_messages import may_write, post_refusal

# Transitions a person fires from the file page (expire is the system's; confirm_payment
# comes with the payment the cashier records: issuance's payment form; returning and
# rejecting have their own forms).
PAGE_ACTIONS = (
    "begin_verification",
    "declare_complete",
    "finish_review",
    "finish_inspection",
    "approve",
    "sign",
    "resubmit",
    "withdraw",
)


@dataclass(frozen=True)
class FileRights:
    actions: tuple[str, ...]  # page actions this person may fire now
    may_return: bool
    may_reject: bool
    may_submit: bool
    may_check: bool
    may_pay: bool
    may_revoke: bool
    may_upload: bool
    may_reassign: bool
    may_message: bool
    message_refusal: str  # why someone who may write cannot post now ("" when they can)

    def as_context(self) -> dict:
        """The names the file page's templates read."""
        return {
            "actions": list(self.actions),
            "can_return": self.may_return,
            "can_reject": self.may_reject,
            "can_submit": self.may_submit,
            "can_check": self.may_check,
            "can_pay": self.may_pay,
            "can_revoke": self.may_revoke,
            "can_upload": self.may_upload,
            "can_reassign": self.may_reassign,
            "can_message": self.may_message,
            "message_refusal": self.message_refusal,
        }


def may_reassign(app: Application, user) -> bool:
    """A supervisor or the head of office may hand a file held by an officer to another
    (never one they applied for themselves)."""
    return (
        user.role in supervisor_roles()
        and STAGE_ROLE.get(app.state) is not None
        and not app.is_applicant(user)
    )


def file_rights(app: Application, user) -> FileRights:
    """Everything ``user`` may do on ``app`` now (one pass over its transitions)."""
    available = {t.name for t in app.get_available_user_state_transitions(user)}
    writer = may_write(app, user)
    refusal = post_refusal(app, user) if writer else ""
    actions = [name for name in PAGE_ACTIONS if name in available]
    if (
        "finish_inspection" in actions
        and app.site_visits.filter(status__in=OPEN_VISIT_STATUSES).exists()
    ):
        # A scheduled visit ends with its signed report (``Application.finish_inspection``).
        actions.remove("finish_inspection")
    return FileRights(
        actions=tuple(actions),
        may_return="return_to_applicant" in available,
        may_reject="reject" in available,
        may_submit=app.state == Stage.DRAFT and app.may_fire("submit", user),
        may_check=may_check(app, user),
        may_pay=app.state == Stage.AWAITING_PAYMENT and user.role == Role.CASHIER,
        may_revoke=app.state == Stage.ISSUED and user.role == Role.HEAD,
        may_upload=may_upload(app, user),
        may_reassign=may_reassign(app, user),
        may_message=writer and not refusal,
        message_refusal=refusal,
    )
