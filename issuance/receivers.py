"""Issuance's part of a transition, inside ``transition_fire``'s transaction."""

from django.utils.translation import gettext as _

from issuance.models import Bill, BillStatus
from issuance.services.billing import bill_close, bill_issue
from issuance.services.issue import permit_issue
from permits.models import Stage
from permits.services.context import ActionRefused


def on_transition(*, application, name, from_state, actor, at, **kwargs) -> None:
    app = application
    if app.state == Stage.AWAITING_PAYMENT and from_state != Stage.AWAITING_PAYMENT:
        bill_issue(app, at)
    elif name == "confirm_payment":
        # Only ``payment_record`` pays: it marks the bill paid first, in this transaction.
        if not Bill.objects.filter(application=app, status=BillStatus.PAID).exists():
            raise ActionRefused(
                _("Catat pembayaran dengan nomor bukti bayarnya di formulir kasir.")
            )
    elif name == "sign":
        permit_issue(app, actor, at)
    elif from_state == Stage.AWAITING_PAYMENT:
        bill_close(app, BillStatus.EXPIRED if name == "expire" else BillStatus.CANCELLED, actor)
