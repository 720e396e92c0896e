import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from portal.celery import app as celery_app
from tests.factories import OPDFactory, PermitTypeFactory, RequirementFactory
from worktime.calendar import invalidate_calendar


def pytest_collection_modifyitems(config, items):
    """Skip, cleanly, what needs a service this run does not have, and on PostgreSQL what
    is judged once (below); run the browser tests last (Playwright keeps an event loop
    running in this thread once it starts, and code that runs its own loop, like pyHanko's
    validator in the tests, cannot run after it).

    Judged once, on the SQLite pass: the browser tests (what a page shows and how it
    behaves in Chromium; the views under them run on both databases in the view tests) and
    the detection rules' scenario matrices (a rule's arithmetic on a history; the engine,
    its storage, its sweep and its worker run on both in ``test_flags``,
    ``test_flag_detection`` and ``test_flags_worker``), and the tests that start a fresh
    process with its own environment and database (settings, the broker outage, the bench
    scripts, string extraction). Running them twice doubled CI's longest part and tested no
    database."""
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL")
    once = pytest.mark.skip(reason="judged once, on the SQLite pass")
    for item in items:
        if "postgres" in item.keywords and not settings.USES_POSTGRES:
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not settings.REDIS_URL:
            item.add_marker(skip_redis)
        judged_once = "judged_once" in item.keywords or "e2e" in item.keywords
        if judged_once and settings.USES_POSTGRES:
            item.add_marker(once)
    items.sort(key=lambda item: "e2e" in item.keywords)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """What one of our fixtures writes for a test is one transaction, as a service's writes
    are: its sealed rows (``trail.seals``) are sealed once, when it ends, not row by row.
    A test's own transaction is not a commit (pytest-django rolls it back), so without this
    every factory row would be sealed on its own, the way a write in autocommit mode is.
    Tests with real transactions (``transactional_db``) are left as they are."""
    from django.db import connection, transaction

    ours = fixturedef.baseid.startswith("tests") and fixturedef.scope == "function"
    if not ours or not connection.in_atomic_block:
        return (yield)
    with transaction.atomic():
        return (yield)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """A test's rows vanish with its transaction; so must what was cached from them."""
    from core import shell
    from core.ratelimit import limiter
    from permits.selectors.catalogue import catalogue_choices_invalidate
    from permits.views import public as public_views
    from permits.views import tracking as tracking_views
    from public.views import transparency as transparency_views

    limiter.forget()  # this process's rate-limit counts, kept outside the cache
    transparency_views._rendered.clear()  # dashboard bodies drawn from another test's rows
    tracking_views._rendered.clear()  # tracking pages, likewise
    public_views._services_rendered.clear()  # service pages, likewise
    shell.forget()  # the pages kept around them
    invalidate_calendar()
    catalogue_choices_invalidate()
    yield
    invalidate_calendar()
    catalogue_choices_invalidate()


@pytest.fixture(autouse=True)
def _staff_sessions_unlimited(settings):
    """Many tests move the clock by hours or days with one signed-in client, standing for
    a person at another moment; the staff session limits (tests/accounts/
    test_staff_sessions.py sets them) would sign them out."""
    settings.STAFF_SESSION_IDLE_MINUTES = 10**6
    settings.STAFF_SESSION_MAX_HOURS = 10**6


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Tasks run in process (Celery's eager mode, the embedded default) unless a test
    starts a real worker with the ``celery_worker`` fixture."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def celery_worker():
    """A real Celery worker, in a thread, consuming from the Redis broker."""
    from celery.contrib.testing.worker import start_worker

    if not settings.REDIS_URL:
        pytest.skip("needs Redis: set REDIS_URL")
    celery_app.conf.task_always_eager = False
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10, loglevel="WARNING"
    ) as worker:
        yield worker


CLOSED_REDIS = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there
DEAD_REDIS_CACHES = {  # the cache as portal/settings.py builds it, at a dead Redis
    "default": {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": CLOSED_REDIS,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        "KEY_PREFIX": "terang",
    }
}


@pytest.fixture
def redis_down(settings):
    """Redis unreachable, as in production with ``REDIS_URL`` at a dead server: the real
    cache backend (``core.cache``) and the real Celery broker client, both pointed at a
    port where nothing listens."""
    settings.REDIS_URL = CLOSED_REDIS
    settings.CACHES = DEAD_REDIS_CACHES
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = CLOSED_REDIS
    celery_app.conf.task_always_eager = False
    celery_app._pool = celery_app.amqp._producer_pool = None  # connect afresh, to the dead port
    yield CLOSED_REDIS
    celery_app.conf.broker_url = previous
    celery_app._pool = celery_app.amqp._producer_pool = None


class SignedInClient(Client):
    """A test client whose ``force_login`` also completes the staff second factor.

    It does what a finished two-step sign-in does (a confirmed TOTP device whose id is in
    the session); tests of the sign-in itself use ``plain_client`` and go through the steps.
    """

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if user.needs_second_factor:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device, _ = TOTPDevice.objects.get_or_create(
                user=user, name="test", defaults={"confirmed": True}
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@pytest.fixture
def client():
    return SignedInClient()


@pytest.fixture
def plain_client():
    """Django's own test client: force_login without a second factor."""
    return Client()


@pytest.fixture
def project_env():
    """The environment for a subprocess running this project (no inherited overrides)."""
    private = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in private}
    env["PYTHONPATH"] = str(settings.BASE_DIR)
    return env


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory) -> Path:
    """An SQLite file with every migration applied, made once per session (migrating costs
    about 30 s): the tests that start a fresh process on its own database copy it."""
    directory = tmp_path_factory.mktemp("migrated")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env |= {"DEBUG": "1", "TERANG_VAR_DIR": str(directory), "PYTHONPATH": str(settings.BASE_DIR)}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        timeout=600,
    )
    return directory / "terang.sqlite3"


@pytest.fixture
def migrated_sqlite(_migrated_sqlite_template, tmp_path) -> Path:
    """A fresh copy of the migrated SQLite file, as ``tmp_path/terang.sqlite3`` (the name
    the settings give it under ``TERANG_VAR_DIR=tmp_path``)."""
    copy = tmp_path / "terang.sqlite3"
    shutil.copyfile(_migrated_sqlite_template, copy)
    return copy


@pytest.fixture
def catalogue(db):
    """The regency's places and the real 81-type catalogue, loaded."""
    from permits.catalogue.loader import catalogue_load, read_catalogue
    from places.loading import places_load, read_places

    places_load(data=read_places(settings.PLACES_FILE))
    catalogue_load(data=read_catalogue(settings.CATALOGUE_FILE))


@pytest.fixture
def make_user(db):
    """A signed-up user with the given role; staff get the DPMPTSP as their unit."""
    from tests.factories import OPDFactory, UserFactory

    def make(role="applicant", **fields):
        if role != Role.APPLICANT and role != Role.AUDITOR and "unit" not in fields:
            fields["unit"] = OPDFactory(code="DPMPTSP", name_id="DPMPTSP")
        return UserFactory(**with_role(role, **fields))

    return make


# The development signing CA ----------------------------------------------------------


def use_signing_dir(settings, directory: Path) -> Path:
    """Point every SIGNING_* file setting into ``directory``, as the defaults do for VAR_DIR."""
    settings.SIGNING_DIR = directory
    settings.SIGNING_KEY_FILE = directory / "signer.key"
    settings.SIGNING_CERT_FILE = directory / "signer.pem"
    settings.SIGNING_CHAIN_FILES = [directory / "ca.pem"]
    settings.SIGNING_TRUST_ROOTS = [directory / "ca.pem"]
    return directory


@pytest.fixture
def make_signing_ca(settings):
    """Create a development CA and signer in a directory and make it the configured one."""

    def make(directory: Path, *args) -> Path:
        use_signing_dir(settings, directory)
        call_command("signing_dev_ca", *args, stdout=StringIO())
        return directory

    return make


@pytest.fixture
def signing_ca(make_signing_ca, tmp_path) -> Path:
    """A fresh development CA and signer under a temporary SIGNING_DIR (returned)."""
    return make_signing_ca(tmp_path / "signing")


# A small office: one person per role and two permit types ------------------------------


def with_role(role, **fields) -> dict:
    """A user's fields with their role, and what an administrator's role carries with it."""
    if role == Role.ADMIN:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
    return {"role": role, **fields}


def users_bulk(**people) -> dict:
    """Users built by ``UserFactory`` (its names and password), written at once with their
    field history the way a seeder writes them: one insert for the rows, one for their
    history, and the history's seals (``trail.seals.seal_history_bulk``). ``people`` maps a
    name to the user's fields; returns the saved users by name."""
    from simple_history.utils import bulk_create_with_history

    from accounts.models import User
    from tests.factories import UserFactory
    from trail.seals import seal_history_bulk

    built = {name: UserFactory.build(**with_role(**fields)) for name, fields in people.items()}
    saved = bulk_create_with_history(list(built.values()), User)
    seal_history_bulk(User, saved)
    return dict(zip(built, saved, strict=True))


@pytest.fixture
def office(db):
    dpmptsp = OPDFactory(code="DPMPTSP", name_id="DPMPTSP")
    dinkes = OPDFactory(code="DINKES", name_id="Dinas Kesehatan")
    o = SimpleNamespace(dpmptsp=dpmptsp, dinkes=dinkes)
    # Applicants who verified their contact (online submission needs it).
    verified = {"role": Role.APPLICANT, "email_verified_at": timezone.now()}
    # Three waves: a person's superior is written before them.
    vars(o).update(
        users_bulk(
            head={"role": Role.HEAD, "username": "kadis", "unit": dpmptsp},
            head2={"role": Role.HEAD, "username": "plt.kadis", "unit": dpmptsp},
            cashier={"role": Role.CASHIER, "username": "kasir", "unit": dpmptsp},
            technical={"role": Role.TECHNICAL, "username": "teknis", "unit": dinkes},
            technical2={"role": Role.TECHNICAL, "username": "teknis2", "unit": dinkes},
            auditor={"role": Role.AUDITOR, "username": "auditor"},
            admin={"role": Role.ADMIN, "username": "admin", "unit": dpmptsp},
            applicant={**verified, "username": "siti"},
            other_applicant={**verified, "username": "budi"},
        )
    )
    supervisor = {"role": Role.SUPERVISOR, "unit": dpmptsp, "supervisor": o.head}
    vars(o).update(
        users_bulk(
            supervisor={**supervisor, "username": "atasan"},
            supervisor2={**supervisor, "username": "atasan2"},
        )
    )
    counter = {"role": Role.COUNTER, "unit": dpmptsp, "supervisor": o.supervisor}
    vars(o).update(
        users_bulk(
            counter={**counter, "username": "loket"}, counter2={**counter, "username": "loket2"}
        )
    )
    # Every optional stage on: technical review, inspection and a fee.
    o.full_type = PermitTypeFactory(
        code="KES-APOTEK",
        opd=dinkes,
        sop_duration=5,
        fee=150_000,
        needs_technical_review=True,
        needs_inspection=True,
    )
    # No optional stage: verification, then approval.
    o.simple_type = PermitTypeFactory(
        code="KES-SIP",
        opd=dinkes,
        sop_duration=3,
        fee=0,
        needs_technical_review=False,
        needs_inspection=False,
    )
    for permit_type in (o.full_type, o.simple_type):
        RequirementFactory(permit_type=permit_type, code="KTP", position=1)
        RequirementFactory(permit_type=permit_type, code="STR", position=2)
        RequirementFactory(
            permit_type=permit_type,
            code="FOTO",
            position=3,
            mandatory=False,
            formats=["jpg", "png"],
        )
    return o


PASSWORD = "kata-sandi-yang-kuat-2026"


LOGIN = "/akun/masuk/"


@pytest.fixture
def person(make_user):
    def make(role=Role.COUNTER, **fields):
        user = make_user(role, **fields)
        user.set_password(PASSWORD)
        user.save()
        return user

    return make


@pytest.fixture
def window_start():
    """Start a test at the beginning of a fixed time window (a rate limit's minute, a TOTP
    step) with the clock still running, so calls that must share one window do not straddle
    its edge: ``window_start(60)``."""
    travels = []

    def travel(seconds: int):
        now = time.time()
        moment = (now // seconds + 1) * seconds + 0.5
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        travels.append(traveller)

    yield travel
    for traveller in reversed(travels):
        traveller.stop()


def password_step(client, user, password=PASSWORD, next_url=""):
    data = {"username": user.username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


@pytest.fixture
def places(db):
    """The regency's places, loaded; their gazetteer."""
    from places.loading import places_load, read_places
    from places.selectors import gazetteer

    places_load(data=read_places(settings.PLACES_FILE))
    return gazetteer()


@pytest.fixture
def fielded(office, places):
    """The office's full type with the fields of ``tests.permits.kit.SPEC`` (version 1)."""
    from tests.permits.kit import fields_add

    fields_add(office.full_type)
    return office.full_type


# An S3-protocol server (moto's, in its own process) and a bucket -----------------------

S3_KEYS = {"aws_access_key_id": "terang-test", "aws_secret_access_key": "terang-test-secret"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server in its own process, on a free port, for the whole session."""
    port = free_port()
    binary = Path(sys.executable).parent / "moto_server"
    process = subprocess.Popen(
        [str(binary), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("moto_server did not start")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def bucket(s3_server, settings):
    return bucket_for(s3_server, settings)


def bucket_for(s3_server, settings):
    """A fresh private bucket, and the settings pointing the default storage at it as
    ``STORAGE_BUCKET`` does (portal/settings.py). ``env``: the same, as a process started
    with those variables would read them."""
    import boto3

    from portal.settings import bucket_storage

    name = f"terang-{uuid.uuid4().hex[:10]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **S3_KEYS)
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": bucket_storage(
            name,
            endpoint_url=s3_server,
            access_key=S3_KEYS["aws_access_key_id"],
            secret_key=S3_KEYS["aws_secret_access_key"],
        ),
    }

    def body(key: str) -> bytes:
        return client.get_object(Bucket=name, Key=key)["Body"].read()

    env = {
        "STORAGE_BUCKET": name,
        "STORAGE_ENDPOINT_URL": s3_server,
        "STORAGE_ACCESS_KEY": S3_KEYS["aws_access_key_id"],
        "STORAGE_SECRET_KEY": S3_KEYS["aws_secret_access_key"],
    }
    return SimpleNamespace(name=name, client=client, body=body, env=env)


# The technical team (issue 22.1) -----------------------------------------------------


@pytest.fixture
def team(office):
    """Public works (2 working days) and the environment office (3) recommend on the full
    type; each has a technical officer and a supervisor answering to the head."""
    from permits.models import TypeRecommender

    pupr = OPDFactory(code="DPUPR", name_id="Dinas PUPR", name_en="Public Works Office")
    dlh = OPDFactory(code="DLH", name_id="Dinas Lingkungan Hidup", name_en="")
    people = users_bulk(
        pupr_officer={"role": Role.TECHNICAL, "username": "teknis.pupr", "unit": pupr},
        pupr_officer2={"role": Role.TECHNICAL, "username": "teknis.pupr2", "unit": pupr},
        dlh_officer={"role": Role.TECHNICAL, "username": "teknis.dlh", "unit": dlh},
        pupr_supervisor={
            "role": Role.SUPERVISOR,
            "username": "atasan.pupr",
            "unit": pupr,
            "supervisor": office.head,
        },
        dlh_supervisor={
            "role": Role.SUPERVISOR,
            "username": "atasan.dlh",
            "unit": dlh,
            "supervisor": office.head,
        },
    )
    TypeRecommender.objects.create(permit_type=office.full_type, opd=pupr, working_days=2)
    TypeRecommender.objects.create(permit_type=office.full_type, opd=dlh, working_days=3)
    office.pupr, office.dlh = pupr, dlh
    vars(office).update(people)
    return office
