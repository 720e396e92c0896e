"""Move the stored files from the disk to the bucket, checking every one (issue 20.2).

    STORAGE_BUCKET=terang ... manage.py storage_move [--from /app/var/media] [--dry-run]

Run once when a deployment switches from the filesystem (``MEDIA_ROOT``) to object
storage (``STORAGE_BUCKET``): each file listed in ``portal.stored_files`` is read from the
disk, its SHA-256 compared with the one the database keeps, written to the bucket under
the same name (so no row changes) and read back from the bucket to compare again. A file
whose bytes do not match its record is not moved and is named; so is a file missing from
the disk. A file already in the bucket with the right digest is left as it is, so the
command can be run again after an interruption. The files on disk are not deleted.
Exit status 1 when anything was named.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError

from core.storage import file_sha256
from portal.stored_files import stored_rows


class Command(BaseCommand):
    help = "Copy every stored file from the disk to the bucket, checking each SHA-256."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", default=str(settings.MEDIA_ROOT))
        parser.add_argument("--dry-run", action="store_true", help="check, copy nothing")

    def handle(self, *args, source: str, dry_run: bool, **options):
        target = storages["default"]
        if isinstance(target, FileSystemStorage):
            raise CommandError("The default storage is the disk: set STORAGE_BUCKET first.")
        disk = FileSystemStorage(location=Path(source))
        counts = {"moved": 0, "already": 0}
        problems: list[str] = []
        for entry, pk, name, expected in stored_rows():
            problem = self._move(disk, target, name, expected, dry_run, counts)
            if problem:
                problems.append(f"{entry.model} {pk} {entry.field} ({name}): {problem}")
        for line in problems:
            self.stderr.write(line)
        verb = "would move" if dry_run else "moved"
        self.stdout.write(
            f"{verb} {counts['moved']}, already in the bucket {counts['already']}, "
            f"problems {len(problems)}"
        )
        if problems:
            raise SystemExit(1)

    def _move(self, disk, target, name, expected, dry_run, counts) -> str:
        if target.exists(name):
            if expected and file_sha256(target, name) == expected:
                counts["already"] += 1
                return ""
            if not disk.exists(name):
                return "in the bucket with other content, and not on the disk"
        if not disk.exists(name):
            return "missing from the disk"
        found = file_sha256(disk, name)
        if expected and found != expected:
            return f"altered on the disk (SHA-256 {found}, recorded {expected}): not moved"
        if dry_run:
            counts["moved"] += 1
            return ""
        if target.exists(name):
            target.delete(name)  # other content under this name: the disk's is the record's
        with disk.open(name, "rb") as content:
            saved = target.save(name, content)
        if saved != name:
            return f"stored as {saved} instead"
        if file_sha256(target, name) != found:
            return "read back from the bucket with another SHA-256"
        counts["moved"] += 1
        return ""
