"""The events partners hear of (``api.webhooks``), from the acts that cause them: inside
each act's transaction, after issuance's own receiver (bills, the permit) has run."""

from __future__ import annotations

from api.models import WebhookEvent
from api.webhooks import webhook_emit
from core.moments import moment_iso
from issuance.models import Bill, Permit
from permits.models import Stage

BY_TRANSITION = {
    "submit": WebhookEvent.FILE_RECEIVED,
    "return_to_applicant": WebhookEvent.FILE_RETURNED,
    "sign": WebhookEvent.PERMIT_ISSUED,
    "reject": WebhookEvent.FILE_REJECTED,
}


def _permit_data(permit: Permit) -> dict:
    return {"permit": {"number": permit.number, "code": permit.code}}


def on_transition(*, application, name, from_state, at, **kwargs) -> None:
    app = application
    if app.state == Stage.AWAITING_PAYMENT and from_state != Stage.AWAITING_PAYMENT:
        bill = Bill.objects.filter(application=app).first()
        data = (
            {
                "bill": {
                    "billing_code": bill.billing_code,
                    "amount": bill.amount,
                    "due_at": moment_iso(bill.due_at),
                }
            }
            if bill is not None
            else {}
        )
        webhook_emit(event=WebhookEvent.PAYMENT_REQUESTED, application=app, at=at, data=data)
        return
    event = BY_TRANSITION.get(name)
    if event is None:
        return
    data = {}
    if event == WebhookEvent.PERMIT_ISSUED:
        permit = Permit.objects.filter(application=app).first()
        data = _permit_data(permit) if permit is not None else {}
    webhook_emit(event=event, application=app, at=at, data=data)


def on_permit_revoked(*, permit: Permit, at, **kwargs) -> None:
    data = _permit_data(permit) | {"reason": permit.revocation_reason}
    webhook_emit(
        event=WebhookEvent.PERMIT_REVOKED, application=permit.application, at=at, data=data
    )
