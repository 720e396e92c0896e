"""The demo's partner: the government service bus (SPLP), holding every scope and reading
every file, so that ``docs/api.md``'s quick start runs against ``make demo`` as it is. Its
client secret is fixed and printed, like the demo passwords: DEBUG only."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.db import transaction

from api.models import Partner, PartnerKind
from api.scopes import SCOPES
from api.services import partner_register

DEMO_PARTNER_NAME = "SPLP (demo)"
DEMO_PARTNER_SECRET = "terang-demo-splp-secret"  # noqa: S105 (printed on purpose, demo only)


@transaction.atomic
def demo_partner_seed() -> Partner:
    """The demo partner, registered once; its secret set back to the demo one each run (a
    client secret is kept hashed, so the one ``partner_register`` made is not known)."""
    partner = (
        Partner.objects.select_related("application")
        .filter(name=DEMO_PARTNER_NAME, active=True)
        .first()
    )
    if partner is None:
        partner, _secret = partner_register(
            name=DEMO_PARTNER_NAME,
            kind=PartnerKind.BUS,
            scopes=list(SCOPES),
            by=None,
            reads_all_files=True,
        )
    application = partner.application
    if not check_password(DEMO_PARTNER_SECRET, application.client_secret):
        application.client_secret = DEMO_PARTNER_SECRET  # hashed as it is saved
        application.save(update_fields=["client_secret"])
    return partner
