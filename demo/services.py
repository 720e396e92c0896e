"""Demo data: a person for every role, so that ``make demo`` shows a living office.

Only ever run with DEBUG on; the passwords are printed for anyone to read.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from accounts.twofactor import DEMO_DEVICE_NAME
from permits.models import OPD

DEMO_APPLICANT_NIK = "3201014101900001"
DEMO_PASSWORD = "terang-demo"  # noqa: S105 (printed on purpose, demo only)


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    unit: str | None
    position: str
    supervisor: str | None = None


DEMO_USERS = [
    DemoUser("kadis", "Dr. Hendra Wijaya, S.H., M.Si.", Role.HEAD, "DPMPTSP", "Kepala Dinas"),
    DemoUser(
        "atasan",
        "Ratna Sari Dewi, S.Sos.",
        Role.SUPERVISOR,
        "DPMPTSP",
        "Kepala Bidang Pelayanan Perizinan",
        "kadis",
    ),
    DemoUser("loket", "Andi Pratama", Role.COUNTER, "DPMPTSP", "Petugas Loket", "atasan"),
    DemoUser("loket2", "Dewi Lestari", Role.COUNTER, "DPMPTSP", "Petugas Loket", "atasan"),
    DemoUser("kasir", "Bambang Suryadi", Role.CASHIER, "DPMPTSP", "Bendahara Penerimaan", "atasan"),
    DemoUser(
        "atasan.kes",
        "dr. Maya Kusuma",
        Role.SUPERVISOR,
        "DINKES",
        "Kepala Bidang Sumber Daya Kesehatan",
        "kadis",
    ),
    DemoUser(
        "teknis.kes",
        "Yusuf Hidayat, S.KM.",
        Role.TECHNICAL,
        "DINKES",
        "Analis Perizinan Kesehatan",
        "atasan.kes",
    ),
    DemoUser(
        "teknis2.kes",
        "apt. Lina Kartika, S.Farm.",
        Role.TECHNICAL,
        "DINKES",
        "Analis Perizinan Kesehatan",
        "atasan.kes",
    ),
    DemoUser(
        "atasan.pupr",
        "Ir. Agus Salim",
        Role.SUPERVISOR,
        "DPUPR",
        "Kepala Bidang Penataan Bangunan",
        "kadis",
    ),
    DemoUser(
        "teknis.pupr",
        "Rina Marlina, S.T.",
        Role.TECHNICAL,
        "DPUPR",
        "Penata Bangunan Gedung",
        "atasan.pupr",
    ),
    DemoUser(
        "teknis2.pupr",
        "Hendra Gunawan, S.T.",
        Role.TECHNICAL,
        "DPUPR",
        "Penata Bangunan Gedung",
        "atasan.pupr",
    ),
    # The technical team's agencies (tim teknis): they recommend on other offices' types.
    DemoUser(
        "atasan.dlh",
        "Ir. Wulan Sari, M.Si.",
        Role.SUPERVISOR,
        "DLH",
        "Kepala Bidang Tata Lingkungan",
        "kadis",
    ),
    DemoUser(
        "teknis.dlh",
        "Arif Budiman, S.T.",
        Role.TECHNICAL,
        "DLH",
        "Penelaah Dampak Lingkungan",
        "atasan.dlh",
    ),
    DemoUser(
        "atasan.hub",
        "Drs. Joko Susilo",
        Role.SUPERVISOR,
        "DISHUB",
        "Kepala Bidang Lalu Lintas",
        "kadis",
    ),
    DemoUser(
        "teknis.hub",
        "Tono Wibowo, A.Md.",
        Role.TECHNICAL,
        "DISHUB",
        "Analis Lalu Lintas",
        "atasan.hub",
    ),
    DemoUser(
        "auditor", "Fajar Nugroho, S.E., Ak.", Role.AUDITOR, None, "Auditor Inspektorat Daerah"
    ),
    DemoUser("pemohon", "Siti Rahmawati", Role.APPLICANT, None, ""),
    DemoUser("admin", "Administrator Terang", Role.ADMIN, "DPMPTSP", "Administrator Sistem"),
]


@transaction.atomic
def demo_users_seed() -> list[User]:
    """Create (or reset) the demo accounts; running it again changes nothing else."""
    units = OPD.objects.in_bulk([u.unit for u in DEMO_USERS if u.unit], field_name="code")
    users: dict[str, User] = {}
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first() or User(username=spec.username)
        wanted = {
            "full_name": spec.full_name,
            "role": spec.role,
            "unit": units[spec.unit] if spec.unit else None,
            "position": spec.position,
            "supervisor": users.get(spec.supervisor) if spec.supervisor else None,
            "email": f"{spec.username}@demo.terang.invalid",
            "is_staff": spec.role == Role.ADMIN,
            "is_superuser": spec.role == Role.ADMIN,
        }
        if spec.role == Role.APPLICANT:
            wanted |= {"nik": DEMO_APPLICANT_NIK, "address": "Jl. Merdeka No. 17, Sukamaju"}
            if user.email_verified_at is None:
                wanted["email_verified_at"] = timezone.now()
        changed = [name for name, value in wanted.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, wanted[name])
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            changed.append("password")
        if changed or user.pk is None:
            user.save()
        if user.needs_second_factor:
            demo_device_ensure(user)
        users[spec.username] = user
    return list(users.values())


def demo_device_ensure(user: User) -> TOTPDevice:
    """A confirmed TOTP device named "demo": with DEBUG on, the code page shows its code."""
    device = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME).first()
    return device or TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, confirmed=True)
