from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from permits.catalogue.loader import catalogue_load, read_catalogue
from places.loading import places_load, read_places


class Command(BaseCommand):
    help = (
        "Load the regency's places and the permit catalogue (OPDs, permit types, "
        "requirements, application fields); safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=settings.CATALOGUE_FILE, help="catalogue JSON file"
        )
        parser.add_argument(
            "--places", type=Path, default=settings.PLACES_FILE, help="places JSON file"
        )

    def handle(self, *args, file: Path, places: Path, **options):
        for name, report in (
            ("Places", places_load(data=read_places(places))),
            ("Catalogue", catalogue_load(data=read_catalogue(file))),
        ):
            verdict = "changed" if report.changed else "unchanged"
            self.stdout.write(f"{name} {verdict}: {report}")
