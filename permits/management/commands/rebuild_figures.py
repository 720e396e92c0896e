from django.core.management.base import BaseCommand, CommandError

from permits.services.figures import figures_differences, figures_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the per-day figures (transparency, monev) from the files and their events; "
        "with --check, only compare them and fail on any difference."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="compare the kept figures, write nothing"
        )

    def handle(self, *args, check: bool, **options):
        if check:
            differences = figures_differences()
            for line in differences:
                self.stdout.write(line)
            if differences:
                raise CommandError(f"{len(differences)} day figures differ from the files")
            self.stdout.write("The figures agree with the files.")
            return
        types, places = figures_rebuild()
        self.stdout.write(f"Figures rebuilt: {types} type days, {places} place days.")
