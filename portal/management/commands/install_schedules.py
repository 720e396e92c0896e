from django.core.management.base import BaseCommand

from portal.schedules import schedules_install


class Command(BaseCommand):
    help = "Install Terang's periodic tasks for celery beat; running it again changes nothing."

    def handle(self, *args, **options):
        for name, outcome in schedules_install().items():
            self.stdout.write(f"{name}: {outcome}")
