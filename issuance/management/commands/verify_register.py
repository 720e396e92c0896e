"""Check the public register's hash chain, and each sealed day against the permits table."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from issuance.models import RegisterDay
from issuance.services.register import register_verify


class Command(BaseCommand):
    help = (
        "Verify the public register: days follow each other, each digest matches its entries "
        "and links to the day before, and each day's entries are exactly the permits the "
        "database says were issued that day. Exits 1 on any problem."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--digest",
            action="append",
            default=[],
            metavar="YYYY-MM-DD=HEX",
            help="A day's digest someone kept: it must equal the sealed one (repeatable).",
        )

    def handle(self, *args, **options):
        problems = register_verify()
        for kept in options["digest"]:
            day, _sep, digest = kept.partition("=")
            try:
                day = datetime.date.fromisoformat(day.strip())
            except ValueError as exc:
                raise CommandError(f"--digest {kept!r}: expected YYYY-MM-DD=HEX") from exc
            sealed = RegisterDay.objects.filter(day=day).first()
            if sealed is None:
                problems.append(f"{day}: not sealed in this register")
            elif sealed.digest != digest.strip().lower():
                problems.append(f"{day}: the kept digest differs from the sealed one")
        days = RegisterDay.objects.count()
        if problems:
            for problem in problems:
                self.stderr.write(f"✗ {problem}")
            raise CommandError(f"The register does not hold ({len(problems)} problem(s)).")
        self.stdout.write(self.style.SUCCESS(f"✓ {days} sealed day(s); the register holds."))
