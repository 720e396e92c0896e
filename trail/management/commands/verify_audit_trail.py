"""Check the hash chain of the file event log; exit 1 at the first broken link."""

import re

from django.core.management.base import BaseCommand, CommandError

from trail.verify import CHUNK, chain_verify

EXPECTED = re.compile(r"^\s*(\d+)\s*:\s*([0-9a-fA-F]{64})\s*$")


class Command(BaseCommand):
    help = (
        "Verify the file event log: recompute every event's hash in seq order, check each "
        "links to the one before, that none is missing, the chain head and each recorded day "
        "head. Prints the number of events and the head when intact (exit 0); names the "
        "first broken link otherwise (exit 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help="A head an auditor kept elsewhere: the event at SEQ must have HASH (repeatable).",
        )
        parser.add_argument("--chunk-size", type=int, default=CHUNK, help="Rows read at once.")

    def handle(self, *args, **options):
        expect = []
        for kept in options["expect"]:
            match = EXPECTED.match(kept)
            if match is None:
                raise CommandError(f"--expect {kept!r}: expected SEQ:HASH (64 hex digits)")
            expect.append((int(match[1]), match[2].lower()))
        report = chain_verify(expect=expect, chunk_size=options["chunk_size"])
        if not report.ok:
            self.stderr.write(report.problem)
            self.stderr.write(
                f"The audit trail is broken: {report.checked} event(s) hold, up to seq "
                f"{report.head_seq}."
            )
            raise SystemExit(1)
        self.stdout.write(
            self.style.SUCCESS(
                f"OK: {report.checked} event(s) checked; head seq {report.head_seq}, "
                f"hash {report.head_hash}."
            )
        )
