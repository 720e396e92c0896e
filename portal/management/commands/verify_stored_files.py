"""Read every stored file back and compare its SHA-256 with the database's (issue 20.2).

    manage.py verify_stored_files

For the storage in use (the disk, or the bucket with ``STORAGE_BUCKET``): after a restore,
a move, or whenever the inspectorate asks. Names each file missing or altered; exit
status 1 when there is one.
"""

from __future__ import annotations

from django.core.files.storage import storages
from django.core.management.base import BaseCommand

from core.storage import file_sha256
from portal.stored_files import stored_rows


class Command(BaseCommand):
    help = "Check every stored file against the SHA-256 the database keeps."

    def handle(self, *args, **options):
        storage = storages["default"]
        checked, problems = 0, []
        for entry, pk, name, expected in stored_rows():
            checked += 1
            where = f"{entry.model} {pk} {entry.field} ({name})"
            if not storage.exists(name):
                problems.append(f"{where}: missing")
            elif expected and file_sha256(storage, name) != expected:
                problems.append(f"{where}: altered (SHA-256 differs from the record)")
        for line in problems:
            self.stderr.write(line)
        self.stdout.write(f"checked {checked} stored files, problems {len(problems)}")
        if problems:
            raise SystemExit(1)
