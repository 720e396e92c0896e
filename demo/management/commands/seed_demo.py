import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.twofactor import secret_for_display
from demo.files import demo_files_seed
from demo.integrity import demo_case_seed, demo_register_seed, demo_suspicion_seed
from demo.partners import DEMO_PARTNER_SECRET, demo_partner_seed
from demo.public import demo_complaints_seed, demo_survey_seed
from demo.services import DEMO_PASSWORD, demo_device_ensure, demo_users_seed
from permits.models import OPD
from trail.services import chain_day_record


class Command(BaseCommand):
    help = "Create demo accounts for every role (DEBUG only) and print them."

    def add_arguments(self, parser):
        parser.add_argument("--files", type=int, default=40, help="demo files to replay")

    def handle(self, *args, files: int, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo refuses to run with DEBUG off: it prints passwords.")
        if not OPD.objects.exists():
            raise CommandError("The catalogue is empty: run `manage.py load_catalogue` first.")
        users = demo_users_seed()
        demo_register_seed()
        files = demo_files_seed(count=files)
        demo_case_seed()
        demo_suspicion_seed()
        demo_survey_seed()
        demo_complaints_seed()
        partner = demo_partner_seed()
        today = timezone.localdate()
        for back in range(7, 0, -1):  # the audit trail's daily heads, as the nightly task keeps
            chain_day_record(today - datetime.timedelta(days=back))
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD})\n")
        self.stdout.write(
            "Staff also enter a 6-digit code: with DEBUG on the code page shows it; or add\n"
            "the TOTP secret below to an authenticator app.\n"
        )
        self.stdout.write(f"  {'username':<13} {'role':<22} {'unit':<10} {'TOTP secret':<34} name")
        for user in users:
            unit = user.unit.code if user.unit else "-"
            role = str(user.get_role_display())
            device = user.needs_second_factor and demo_device_ensure(user)
            secret = secret_for_display(device) if device else "-"
            self.stdout.write(
                f"  {user.username:<13} {role:<22} {unit:<10} {secret:<34} {user.full_name}"
            )
        self.stdout.write(
            f"\n{files} demo files in every stage (sign in as loket, teknis.kes, ...)."
        )
        self.stdout.write("\nSign in at http://127.0.0.1:8000/akun/masuk/ (admin: /admin/)\n")
        self.stdout.write(
            f"\nPartners' API (docs/api.md): {partner.name}, every scope, every file\n"
            f"  client id     {partner.client_id}\n"
            f"  client secret {DEMO_PARTNER_SECRET}\n"
            "  token at http://127.0.0.1:8000/api/v1/oauth/token/ "
            "(docs at /api/v1/docs/)\n"
        )
