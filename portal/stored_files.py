"""Every file Terang stores, with the field that keeps its SHA-256 (issue 20.2).

One table, read by ``manage.py storage_move`` (disk to bucket) and checked by a test
against every ``FileField`` of the project, so that a new kind of stored file cannot be
left behind by a move. Previews (``previews/<id>.png``) are not listed: they are drawn
again from their document on first use.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class StoredFile:
    model: str  # app_label.Model
    field: str  # the FileField
    sha256: str  # the field holding the file's SHA-256 (hex)

    @property
    def model_class(self):
        return apps.get_model(self.model)


STORED_FILES = (
    StoredFile("permits.Document", "file", "sha256"),
    StoredFile("permits.Application", "receipt_pdf", "receipt_sha256"),
    StoredFile("issuance.Permit", "pdf", "pdf_sha256"),
    StoredFile("public.ComplaintEvidence", "file", "sha256"),
    StoredFile("integrity.MonevReport", "pdf", "pdf_sha256"),
    StoredFile("integrity.MonevReport", "csv", "csv_sha256"),
    StoredFile("permits.SiteVisit", "report_pdf", "report_sha256"),
    StoredFile("permits.SiteVisitPhoto", "image", "sha256"),
)


def stored_rows():
    """Every stored file the database names: (entry, row id, name, recorded SHA-256)."""
    for entry in STORED_FILES:
        rows = (
            entry.model_class._base_manager.exclude(**{entry.field: ""})
            .order_by("pk")
            .values_list("pk", entry.field, entry.sha256)
        )
        for pk, name, expected in rows.iterator(chunk_size=500):
            yield entry, pk, name, expected
