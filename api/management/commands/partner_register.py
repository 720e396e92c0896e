from django.core.management.base import BaseCommand, CommandError

from api.models import PartnerKind
from api.scopes import SCOPES
from api.services import PartnerInvalid, partner_register


class Command(BaseCommand):
    help = (
        "Register an API partner (OSS, the service bus, a bank, another office) and print its "
        "OAuth2 client id and secret; the secret is shown only this once."
    )

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--kind", choices=PartnerKind.values, required=True)
        parser.add_argument(
            "--scope", action="append", dest="scopes", choices=sorted(SCOPES), required=True
        )
        parser.add_argument("--reads-all-files", action="store_true")
        parser.add_argument("--calls-per-minute", type=int, default=120)

    def handle(self, *args, name, kind, scopes, reads_all_files, calls_per_minute, **options):
        try:
            partner, secret = partner_register(
                name=name,
                kind=kind,
                scopes=scopes,
                by=None,
                reads_all_files=reads_all_files,
                calls_per_minute=calls_per_minute,
            )
        except PartnerInvalid as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"client_id={partner.client_id}")
        self.stdout.write(f"client_secret={secret}")
