"""Who may call: an active partner's token holding the operation's scope, within the
partner's rate. No ``APIView`` here: DRF imports this module while it sets itself up
(``DEFAULT_PERMISSION_CLASSES``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.throttling import BaseThrottle

from api.models import Partner
from core.ratelimit import allow

MINUTE = 60


def partner_of(request) -> Partner | None:
    """The partner whose client-credentials token authenticated ``request``."""
    token = getattr(request, "auth", None)
    application = getattr(token, "application", None)
    if application is None:
        return None
    try:
        return application.partner
    except Partner.DoesNotExist:
        return None


class PartnerScope(BasePermission):
    """An active partner's token holding the operation's scope, still granted today."""

    message = _("Token ini tidak memberi izin untuk tindakan ini.")

    def has_permission(self, request, view) -> bool:
        partner = partner_of(request)
        if partner is None:
            if request.auth is None:
                raise exceptions.NotAuthenticated()
            raise exceptions.PermissionDenied(_("Token ini bukan milik mitra terdaftar."))
        if not partner.active:
            raise exceptions.PermissionDenied(_("Mitra ini sudah dinonaktifkan."))
        scope = view.scope_for(request)
        return bool(scope) and scope in partner.scopes and request.auth.allow_scopes([scope])


class PartnerRate(BaseThrottle):
    """The partner's own calls per minute (``Partner.calls_per_minute``), counted as the
    pages' limits are (``core.ratelimit``: no round trip to Redis on an allowed call)."""

    def allow_request(self, request, view) -> bool:
        partner = partner_of(request)
        if partner is None:
            return True
        return allow("api", f"partner:{partner.pk}", limit=partner.calls_per_minute, window=MINUTE)

    def wait(self) -> float:
        return MINUTE
