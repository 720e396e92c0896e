"""Check the hash chains of the audit trail (file events, seals of the records the audit
relies on, hourly anchors) and every sealed table; exit 1 at the first thing that does not
hold, naming the table and the row."""

import re

from django.core.management.base import BaseCommand, CommandError

from trail.verify import CHUNK, chain_verify

EXPECTED = re.compile(r"^\s*(\d+)\s*:\s*([0-9a-fA-F]{64})\s*$")


class Command(BaseCommand):
    help = (
        "Verify the audit trail: recompute every event's and every seal's hash in seq order, "
        "check each links to the one before, that none is missing, both chain heads, each "
        "hourly anchor and recorded day head; then check every row of every sealed table "
        "(messages, staff views, documents, declarations, cases, findings, follow-ups, "
        "complaint entries, field history) against its latest seal. Prints the counts and "
        "the head when intact (exit 0); names the first broken link, table and row otherwise "
        "(exit 1)."
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
        self.stdout.write(
            f"{report.seals_checked} seal(s) checked; {report.rows_checked} sealed row(s) "
            "match their seals."
        )
