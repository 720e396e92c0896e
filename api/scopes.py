"""What a partner may be granted (issue 21.2): one OAuth2 scope per kind of act.

A partner's token carries only scopes its ``Partner.scopes`` grants (``PartnerScopes``, the
token endpoint's scopes backend), and every call checks the scope again against the
partner as it is now: a scope withdrawn, or a partner deactivated, stops its tokens at once.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from oauth2_provider.scopes import BaseScopes

CATALOGUE_READ = "catalogue:read"
APPLICATIONS_WRITE = "applications:write"
APPLICATIONS_READ = "applications:read"
DOCUMENTS_WRITE = "documents:write"
PERMITS_READ = "permits:read"
PERMITS_VERIFY = "permits:verify"
WEBHOOKS_MANAGE = "webhooks:manage"

SCOPES = {
    CATALOGUE_READ: _("Membaca katalog izin: jenis, persyaratan, SOP, retribusi"),
    APPLICATIONS_WRITE: _("Membuat dan mengajukan berkas atas nama pemohon (NIK atau NIB)"),
    APPLICATIONS_READ: _("Membaca berkas yang dibuat mitra ini"),
    DOCUMENTS_WRITE: _("Mengunggah dokumen persyaratan"),
    PERMITS_READ: _("Membaca dan mengunduh izin yang terbit"),
    PERMITS_VERIFY: _("Memeriksa keaslian izin menurut nomor atau kode"),
    WEBHOOKS_MANAGE: _("Mengatur langganan webhook"),
}


class PartnerScopes(BaseScopes):
    """The token endpoint's scopes: all that exist, and per client what its partner holds."""

    def get_all_scopes(self):
        return {name: str(text) for name, text in SCOPES.items()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        partner = getattr(application, "partner", None)
        if partner is None or not partner.active:
            return []
        return [scope for scope in partner.scopes if scope in SCOPES]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return self.get_available_scopes(application, request)
