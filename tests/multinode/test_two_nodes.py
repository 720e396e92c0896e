"""Two nodes on one machine (issue 20.3): two gunicorn instances on two ports behind Caddy,
two Celery workers, one PostgreSQL reached through PgBouncer in transaction mode (as
docker-compose.yml does), one Redis, one bucket (moto's S3 server). Nothing is shared
between the instances but what a deployment shares.

- a document uploaded through one instance is downloaded through the other;
- a permit rendered by one worker is verified, PDF and signature, through either instance;
- stopping one instance under load loses no request: Caddy sends it to the other;
- a worker killed in the middle of a render: the task runs again, and the permit is
  rendered and numbered exactly once.

Needs PostgreSQL and Redis (the PostgreSQL pass), and Debian's caddy and pgbouncer.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import redis
import requests
from django.conf import settings
from django.db import connection

from issuance.models import Permit
from permits.models import Document, Stage
from portal.celery import app as celery_app
from tests.conftest import SignedInClient, bucket_for
from tests.factories import fire, new_file, signable_type, walk

PGBOUNCER = "/usr/sbin/pgbouncer"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (settings.USES_POSTGRES and settings.REDIS_URL),
        reason="needs PostgreSQL and Redis (the PostgreSQL pass)",
    ),
    pytest.mark.skipif(shutil.which("caddy") is None, reason="needs Debian's caddy"),
    pytest.mark.skipif(not Path(PGBOUNCER).exists(), reason="needs Debian's pgbouncer"),
]

BIN = Path(sys.executable).parent
CLUSTER_REDIS_DB = 7  # its own database: no other test's queued task reaches these workers
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, *, seconds: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    pytest.fail(f"timed out waiting for {what}")


class Cluster:
    def __init__(self, tmp: Path, env: dict):
        self.tmp, self.env, self.processes = tmp, env, {}

    def start(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = (self.tmp / f"{name}.log").open("wb")
        process = subprocess.Popen(
            argv,
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")

    def stop_all(self):
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def http_ready(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False


def pgbouncer_config(port: int) -> Path:
    """A transaction-mode PgBouncer in front of the local PostgreSQL, in a directory the
    ``postgres`` user can read (PgBouncer refuses to run as root: ``-u postgres``)."""
    folder = Path(tempfile.mkdtemp(prefix="terang-pgbouncer-"))
    folder.chmod(0o755)
    (folder / "users.txt").write_text('"postgres" ""\n')
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n* = host=127.0.0.1 port=5432\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {folder / 'users.txt'}\n"
        "pool_mode = transaction\nmax_client_conn = 200\ndefault_pool_size = 8\n"
        "ignore_startup_parameters = extra_float_digits,options\n"
    )
    for name in ("users.txt", "pgbouncer.ini"):
        (folder / name).chmod(0o644)
    return folder / "pgbouncer.ini"


@pytest.fixture
def cluster(tmp_path, s3_server, settings, signing_ca):
    store = bucket_for(s3_server, settings)  # this process writes to the same bucket
    broker = f"redis://127.0.0.1:6379/{CLUSTER_REDIS_DB}"
    redis.Redis.from_url(broker).flushdb()
    pool_port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        **store.env,
        "DEBUG": "1",
        # Through PgBouncer in transaction mode, as compose runs it.
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pool_port}/{connection.settings_dict['NAME']}",
        "DATABASE_POOLING": "transaction",
        "REDIS_URL": broker,
        "SIGNING_KEY_FILE": str(signing_ca / "signer.key"),
        "SIGNING_CERT_FILE": str(signing_ca / "signer.pem"),
        "SIGNING_CHAIN_FILES": str(signing_ca / "ca.pem"),
        "SIGNING_TRUST_ROOTS": str(signing_ca / "ca.pem"),
        "TRUSTED_PROXIES": "127.0.0.1",
        "TRACKING_LOOKUP_LIMIT": "100000",
        "LOG_FORMAT": "json",
        "XDG_DATA_HOME": str(tmp_path / "caddy-data"),
        "XDG_CONFIG_HOME": str(tmp_path / "caddy-config"),
    }
    nodes = [free_port(), free_port()]
    proxy = free_port()
    group = Cluster(tmp_path, env)
    config = pgbouncer_config(pool_port)
    if os.geteuid() == 0:
        group.start("pgbouncer", [PGBOUNCER, "-u", "postgres", str(config)])
    else:
        group.start("pgbouncer", [PGBOUNCER, str(config)])
    wait_for(
        lambda: socket.socket().connect_ex(("127.0.0.1", pool_port)) == 0,
        seconds=20,
        what="pgbouncer",
    )
    for number, port in enumerate(nodes, 1):
        group.start(
            f"web{number}",
            [str(BIN / "gunicorn"), "portal.wsgi:application", "--config",
             "portal/gunicorn_conf.py", "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "--graceful-timeout", "10"],
        )  # fmt: skip
    for number in (1, 2):
        group.start(
            f"worker{number}",
            [str(BIN / "celery"), "-A", "portal", "worker", "-Q",
             "default,rendering,messages,flags", "-n", f"node{number}@%h", "--concurrency",
             "1", "--loglevel", "INFO", "--without-mingle", "--without-gossip"],
        )  # fmt: skip
    caddyfile = tmp_path / "Caddyfile"
    caddyfile.write_text(
        "{\n\tadmin off\n\tauto_https off\n}\n"
        f"http://127.0.0.1:{proxy} {{\n"
        f"\treverse_proxy 127.0.0.1:{nodes[0]} 127.0.0.1:{nodes[1]} {{\n"
        "\t\tlb_policy round_robin\n\t\tlb_try_duration 5s\n\t\tfail_duration 30s\n"
        "\t\theader_up X-Request-ID {http.request.uuid}\n\t}\n}\n"
    )
    group.start("caddy", ["caddy", "run", "--config", str(caddyfile), "--adapter", "caddyfile"])
    group.nodes = [f"http://127.0.0.1:{port}" for port in nodes]
    group.proxy = f"http://127.0.0.1:{proxy}"
    group.store = store
    try:
        for url in (*group.nodes, group.proxy):
            wait_for(lambda url=url: http_ready(f"{url}/healthz/live"), seconds=60, what=url)
        # This process enqueues into the cluster's broker, as a web node would.
        celery_app.conf.task_always_eager = False
        previous = celery_app.conf.broker_url
        celery_app.conf.broker_url = broker
        celery_app._pool = celery_app.amqp._producer_pool = None
        yield group
    finally:
        group.stop_all()
        shutil.rmtree(config.parent, ignore_errors=True)
        celery_app.conf.broker_url = previous
        celery_app._pool = celery_app.amqp._producer_pool = None


def staff_session(user) -> requests.Session:
    """A browser holding ``user``'s completed two-step sign-in (the session is in the
    shared database, so either node honours it)."""
    client = SignedInClient()
    client.force_login(user)
    browser = requests.Session()
    browser.cookies.set(
        settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    return browser


def csrf(browser: requests.Session, url: str) -> str:
    page = browser.get(url, timeout=10)
    assert page.status_code == 200, page.status_code
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_two_nodes_share_files_permits_and_work(cluster, office):
    # 1. Uploaded through node 1, downloaded through node 2.
    app = new_file(office, online=False)
    browser = staff_session(office.counter)
    page = f"{cluster.nodes[0]}/kantor/berkas/{app.public_id}/"
    token = csrf(browser, page)
    requirement = app.checks.first().requirement
    sent = browser.post(
        f"{cluster.nodes[0]}/kantor/berkas/{app.public_id}/unggah/",
        data={"csrfmiddlewaretoken": token, "requirement": requirement.pk},
        files={"file": ("scan.pdf", PDF, "application/pdf")},
        headers={"Referer": page},
        timeout=20,
    )
    assert sent.status_code == 200, cluster.log("web1")[-3000:]
    document = Document.objects.get(application=app)
    assert cluster.store.body(document.file.name) == PDF
    got = browser.get(f"{cluster.nodes[1]}/kantor/dokumen/{document.public_id}/", timeout=20)
    assert got.status_code == 200 and got.content == PDF

    # 2 and 4. A permit signed here is rendered by a worker; the worker that took the
    # render is killed in the middle of it; the task runs again; one permit, one number.
    permit_type = signable_type(office, "KES-SIP-NODE")
    at_signing = walk(office, new_file(office, permit_type), Stage.SIGNING)
    fire(at_signing, "sign", at_signing.assigned_to)  # commits, then enqueues the render
    permit = Permit.objects.get(application=at_signing)
    number = permit.number

    def taker():
        for name in ("worker1", "worker2"):
            if re.search(r"render_permit\[[0-9a-f-]+\] received", cluster.log(name)):
                return name
        return None

    # A render takes 0.4 s warm and 2 s or more cold (fonts, layout, signature): the kill
    # comes within a tenth of a second of the worker receiving it.
    name = wait_for(taker, seconds=30, what="a worker taking the render", every=0.02)
    main = cluster.processes[name].pid
    time.sleep(0.05)
    children = subprocess.run(
        ["pgrep", "-P", str(main)], capture_output=True, text=True, check=False
    ).stdout.split()
    assert children, "the worker has no pool process"
    for child in children:
        os.kill(int(child), signal.SIGKILL)  # the render dies mid-way: no ack was sent
    unfinished = Permit.objects.get(pk=permit.pk).pdf_sha256 == ""
    assert unfinished, "the render finished before the kill: nothing was tested"
    permit = wait_for(
        lambda: Permit.objects.filter(pk=permit.pk).exclude(pdf_sha256="").first(),
        seconds=120,
        what="the permit rendered again",
    )
    logs = cluster.log("worker1") + cluster.log("worker2")
    assert "WorkerLostError" in logs or "SIGKILL" in logs  # the first run was killed
    assert len(re.findall(r"render_permit\[[0-9a-f-]+\] received", logs)) == 2  # came back once
    assert Permit.objects.filter(application=at_signing).count() == 1
    assert permit.number == number
    assert at_signing.events.filter(action="permit.pdf_stored").count() == 1
    stored = cluster.store.body(permit.pdf.name)
    assert hashlib.sha256(stored).hexdigest() == permit.pdf_sha256

    # 2. Verified, PDF and signature, through either node.
    for node in cluster.nodes:
        visitor = requests.Session()
        token = csrf(visitor, f"{node}/verifikasi/")
        checked = visitor.post(
            f"{node}/verifikasi/",
            data={"csrfmiddlewaretoken": token},
            files={"pdf": ("izin.pdf", stored, "application/pdf")},
            headers={"Referer": f"{node}/verifikasi/"},
            timeout=30,
        )
        assert checked.status_code == 200
        assert f"dengan izin nomor {permit.number}" in checked.text
        assert "Tanda tangan elektronik sah" in checked.text
        assert visitor.get(f"{node}/verifikasi/{permit.code}/", timeout=10).status_code == 200

    # 3. Node 2 stops under load: every request through the proxy is answered.
    tracked = f"{cluster.proxy}/lacak/{at_signing.tracking_code}/"

    def one(_i):
        try:
            return requests.get(tracked, timeout=15).status_code
        except requests.RequestException as exc:
            return repr(exc)

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        load = [pool.submit(one, i) for i in range(400)]
        time.sleep(0.5)
        web2 = cluster.processes["web2"]
        os.killpg(web2.pid, signal.SIGTERM)  # gunicorn's graceful stop
        web2.wait(timeout=30)
        answers = [future.result() for future in load]
    assert web2.returncode is not None
    assert answers.count(200) == len(answers), {a for a in answers if a != 200}
    assert not http_ready(f"{cluster.nodes[1]}/healthz/live")
