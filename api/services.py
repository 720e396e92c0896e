"""Registering and deactivating partners (an administrator's acts; each leaves history)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, get_application_model

from accounts.models import Role, User
from api.models import Partner
from api.scopes import SCOPES


class PartnerInvalid(ValueError):
    pass


@transaction.atomic
def partner_register(
    *, name: str, kind: str, scopes: list[str], by, reads_all_files: bool = False,
    calls_per_minute: int = 120,
) -> tuple[Partner, str]:  # fmt: skip
    """A new partner with its client credentials; returns it and its client secret, which is
    kept only hashed and shown this once."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise PartnerInvalid(f"unknown scopes: {', '.join(unknown)}")
    if not name.strip():
        raise PartnerInvalid("a partner needs a name")
    Application = get_application_model()
    secret = generate_client_secret()
    application = Application.objects.create(
        name=name.strip(),
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
    )
    partner = Partner(
        name=name.strip(),
        kind=kind,
        application=application,
        account=partner_account(name=name.strip(), client_id=application.client_id, by=by),
        scopes=sorted(set(scopes)),
        reads_all_files=reads_all_files,
        calls_per_minute=calls_per_minute,
    )
    partner._history_user = by
    partner.full_clean()
    partner.save()
    return partner, secret


def partner_account(*, name: str, client_id: str, by):
    """The account a partner acts through: ``Role.PARTNER``, no password it could sign in
    with, named after the partner."""
    account = User(
        username=f"mitra-{client_id[:24].lower()}",
        full_name=name[:150],
        role=Role.PARTNER,
    )
    account.set_unusable_password()
    account._history_user = by
    account.save()
    return account


@transaction.atomic
def partner_deactivate(*, partner: Partner, by) -> Partner:
    """The partner stops: its tokens are revoked, its calls stay on record."""
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner.active:
        partner.active, partner.deactivated_at = False, timezone.now()
        partner._history_user = by
        partner.save(update_fields=["active", "deactivated_at"])
        AccessToken.objects.filter(application_id=partner.application_id).delete()
        if partner.account_id is not None:
            account = partner.account
            account.is_active = False
            account._history_user = by
            account.save(update_fields=["is_active"])
    return partner
