"""What an applicant's own pages read: their files and the latest documents of one."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from permits.models import Application


def files_of_applicant(user) -> list[Application]:
    """An applicant's own files, newest first, with what the dashboard shows (one query)."""
    return list(
        Application.objects.filter(applicant=user)
        .select_related("permit_type__opd")
        .order_by("-created_at", "-pk")
    )


def applicant_file(user, public_id) -> Application:
    """One of the applicant's own files, or 404 (another's file is as unknown as none)."""
    return get_object_or_404(
        Application.objects.select_related("permit_type__opd", "assigned_to__unit", "form_version"),
        public_id=public_id,
        applicant=user,
    )


def latest_documents(app: Application) -> list:
    """The newest version of each requirement's document, in requirement order (one query)."""
    latest = {}
    for document in app.documents.select_related("requirement").order_by(
        "requirement__position", "requirement_id", "-version"
    ):
        latest.setdefault(document.requirement_id, document)
    return list(latest.values())
