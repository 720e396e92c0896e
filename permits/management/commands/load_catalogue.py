from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from permits.catalogue.loader import catalogue_load, read_catalogue


class Command(BaseCommand):
    help = "Load the permit catalogue (OPDs, permit types, requirements); safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=settings.CATALOGUE_FILE, help="catalogue JSON file"
        )

    def handle(self, *args, file: Path, **options):
        report = catalogue_load(data=read_catalogue(file))
        verdict = "changed" if report.changed else "unchanged"
        self.stdout.write(f"Catalogue {verdict}: {report}")
