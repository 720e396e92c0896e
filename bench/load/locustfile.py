"""A realistic mix against a running Terang (issue 20.7), for locust.

    .venv/bin/pip install -r bench/load/requirements.txt
    DATABASE_URL=... .venv/bin/python bench/load/prepare.py           # sessions and files
    .venv/bin/locust -f bench/load/locustfile.py --headless -H http://127.0.0.1:8000 \\
        -u 32 -r 8 -t 60s --csv /tmp/load

Who comes, by weight (from the office's day: most visitors are applicants checking where
their file is; officers work their lists and files; auditors read):

- applicants tracking a file, then sometimes its permit's verification page (45);
- applicants applying: a type's start page, a new draft, one document uploaded (5);
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
import re
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
        # No redirect followed: a page sending a signed-out officer to sign in is a failure.
        get = self.client.get
        with get(url, name=name, catch_response=True, allow_redirects=False) as response:
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


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Applying(Visitor):
    """An applicant signed in (``prepare.py`` completes a few accounts) who starts a file
    of a type and uploads its first mandatory document: the writes of the public side."""

    weight = 5

    def on_start(self):
        self.client.cookies.set(WORLD["cookie"], random.choice(WORLD["applicants"]))

    def _token(self, response) -> str:
        # The CSRF cookie is Secure in a deployment; over the bench's plain HTTP it is put
        # back in the jar without the flag, as a browser on HTTPS would send it.
        if "csrftoken" in response.cookies:
            self.client.cookies.set("csrftoken", response.cookies["csrftoken"])
        found = TOKEN.search(response.text)
        return found.group(1) if found else ""

    @task
    def apply(self):
        code, requirement = random.choice(WORLD["apply"])
        start = f"/saya/ajukan/{code}/"
        with self.client.get(start, name="/saya/ajukan/[code]/", catch_response=True) as page:
            if page.status_code != 200:
                page.failure(f"{page.status_code}")
                return
            token = self._token(page)
        with self.client.post(
            start,
            data={"csrfmiddlewaretoken": token},
            name="/saya/ajukan/[code]/ (new draft)",
            allow_redirects=False,
            catch_response=True,
        ) as made:
            if made.status_code != 302 or "/saya/berkas/" not in made.headers.get("Location", ""):
                made.failure(f"{made.status_code}")
                return
            draft = made.headers["Location"]
        with self.client.post(
            f"{draft}unggah/",
            data={"csrfmiddlewaretoken": token, "requirement": requirement},
            files={"file": ("ktp.pdf", PDF, "application/pdf")},
            name="/saya/berkas/[id]/unggah/",
            allow_redirects=False,
            catch_response=True,
        ) as uploaded:
            if uploaded.status_code != 302:
                uploaded.failure(f"{uploaded.status_code}")


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
