from django.core.management.base import BaseCommand

from issuance.services.register import register_seal


class Command(BaseCommand):
    help = "Seal every finished day of the public register not sealed yet (the daily task)."

    def handle(self, *args, **options):
        sealed = register_seal()
        for day in sealed:
            self.stdout.write(f"{day.day}  {day.count:4d}  {day.digest}")
        self.stdout.write(self.style.SUCCESS(f"{len(sealed)} day(s) sealed."))
