"""A realistic mix against a running Terang (issue 20.7), for locust.

    .venv/bin/pip install -r bench/load/requirements.txt
    DATABASE_URL=... .venv/bin/python bench/load/prepare.py           # sessions and files
    .venv/bin/locust -f bench/load/locustfile.py --headless -H http://127.0.0.1:8000 \\
        -u 32 -r 8 -t 60s --csv /tmp/load

Who comes, by weight (from the office's day: most visitors are applicants checking where
their file is; officers work their lists and files; auditors read):

- applicants tracking a file, then sometimes its permit's verification page (45);
- the public reading the catalogue, a service page, the dashboard, the register (25);
- counter officers on their worklist, a file, their late files (20);
- a supervisor on the team page and the whole office's worklist (5);
- auditors on the flag queue, a file's story and a random sample (5).

Each simulated person waits 1 to 5 seconds between pages, as a person does; the rate is
then set by how many people (-u). Every answer must be 200 (a 429 from a rate limit is a
failure: set the limits for one address above the test's, see bench/README.md).
"""

import json
import random
from pathlib import Path

from locust import HttpUser, between, task

WORLD = json.loads((Path(__file__).resolve().parent / "world.json").read_text())


class Visitor(HttpUser):
    abstract = True
    wait_time = between(1, 5)
    role = ""

    def on_start(self):
        if self.role:
            self.client.cookies.set(WORLD["cookie"], WORLD["sessions"][self.role])

    def page(self, url: str, name: str):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")


class Applicant(Visitor):
    weight = 45

    @task(4)
    def track(self):
        self.page(f"/lacak/{random.choice(WORLD['tracking'])}/", "/lacak/[code]/")

    @task(1)
    def home(self):
        self.page("/", "/")


class Public(Visitor):
    weight = 25

    @task(3)
    def catalogue(self):
        self.page("/", "/")

    @task(2)
    def service(self):
        self.page(f"/layanan/{random.choice(WORLD['types'])}/", "/layanan/[code]/")

    @task(2)
    def dashboard(self):
        self.page("/transparansi/", "/transparansi/")

    @task(1)
    def register(self):
        self.page("/daftar-izin/", "/daftar-izin/")


class Officer(Visitor):
    weight = 20
    role = "officer"

    @task(4)
    def worklist(self):
        self.page("/kantor/", "/kantor/")

    @task(4)
    def file(self):
        self.page(f"/kantor/berkas/{random.choice(WORLD['my_files'])}/", "/kantor/berkas/[id]/")

    @task(1)
    def late(self):
        self.page("/kantor/?sla=late", "/kantor/?sla=late")


class Supervisor(Visitor):
    weight = 5
    role = "supervisor"

    @task(2)
    def team(self):
        self.page("/kantor/tim/", "/kantor/tim/")

    @task(2)
    def everything(self):
        self.page("/kantor/?scope=all", "/kantor/?scope=all")

    @task(1)
    def file(self):
        self.page(f"/kantor/berkas/{random.choice(WORLD['files'])}/", "/kantor/berkas/[id]/")


class Auditor(Visitor):
    weight = 5
    role = "auditor"

    @task(2)
    def queue(self):
        self.page("/kantor/audit/", "/kantor/audit/")

    @task(2)
    def story(self):
        self.page(
            f"/kantor/audit/berkas/{random.choice(WORLD['files'])}/", "/kantor/audit/berkas/[id]/"
        )

    @task(1)
    def sample(self):
        self.page("/kantor/audit/sampel/?size=20", "/kantor/audit/sampel/")
