"""What signing in is for, on the sign-in page (``accounts.purposes``)."""

from django.utils.translation import gettext as _

from permits.selectors.catalogue import catalogue_types


def apply_for(match) -> str | None:
    """ "mengajukan Surat Izin Praktik Bidan" for a type's apply URL (the sign-in page
    reads "Masuk untuk mengajukan Surat Izin Praktik Bidan")."""
    if match.view_name != "applicant:start":
        return None
    code = match.kwargs.get("code", "")
    for permit_type in catalogue_types().values():
        if permit_type.code == code and permit_type.active and permit_type.opd.active:
            return _("mengajukan %(name)s") % {"name": permit_type.name}
    return None
