"""Requests per second under gunicorn, each page against the bare view (issue 20.6).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/terang_bench \\
    REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/throughput.py [--connections 64] [--seconds 20] [--write]

Starts gunicorn (``bench/wsgi.py``: Terang plus the bare one-lookup view) with ``DEBUG=0``,
a throwaway secret and the static files collected to a temporary folder, then runs wrk
(Debian's) against the bare view, the public tracking page, the home catalogue, a service
standard page and the transparency dashboard, one after the other, each after a warm-up.
wrk and gunicorn share the machine: the ratios matter more than the numbers. The tracking
limits are raised for the one address the load comes from.
"""

import argparse
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
README = Path(__file__).resolve().parent / "README.md"
WRK = "/usr/bin/wrk"  # Debian's wrk


def pick(env) -> tuple[int, str, str]:
    """A file's id for the bare view, an open file's tracking code and the type with the
    most requirements (for its service page)."""
    code = (
        "import django; django.setup();"
        "from django.db.models import Count;"
        "from permits.models import Application, OPEN_STAGES, PermitType;"
        "a = Application.objects.filter(state__in=OPEN_STAGES).order_by('pk').first();"
        "t = PermitType.objects.filter(active=True).annotate(n=Count('requirements'))"
        ".order_by('-n', 'code').first();"
        "print(a.pk, a.tracking_code, t.code)"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return int(out[-3]), out[-2], out[-1]


def wrk(url: str, connections: int, seconds: int) -> dict:
    out = subprocess.run(  # noqa: S603
        [WRK, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def ms(match):
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return {
        "rps": rps,
        "p50": ms(p50),
        "p99": ms(p99),
        "errors": int(errors.group(1)) if errors else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    static = tempfile.mkdtemp(prefix="terang-static-")
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": static,
        "SIGNING_CERT_FILE": "/nonexistent/signer.pem",  # no signing here: nothing is issued
        "SIGNING_TRUST_ROOTS": "/nonexistent/ca.pem",
        "TRACKING_LOOKUP_LIMIT": "1000000000",
        "TRACKING_MISS_LIMIT": "1000000000",
        "ACCESS_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    pk, code, service = pick(env)
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "bench.wsgi:application", "--config", "portal/gunicorn_conf.py",
         "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz/live", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        pages = [
            ("bare view (one pk lookup)", f"/bench/bare/{pk}/"),
            ("public tracking page", f"/lacak/{code}/"),
            ("home catalogue", "/"),
            ("service standard page", f"/layanan/{service}/"),
            ("transparency dashboard", "/transparansi/"),
        ]
        rows = []
        for label, path in pages:
            wrk(base + path, args.connections, 3)  # warm-up
            rows.append((label, wrk(base + path, args.connections, args.seconds)))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    with open("/proc/loadavg") as handle:
        load = " ".join(handle.read().split()[:3])
    bare = rows[0][1]["rps"]
    lines = [
        f"### {date.today().isoformat()}: under gunicorn ({args.workers} workers), wrk "
        f"{args.connections} connections, {args.seconds} s a page",
        "",
        "| page | req/s | × bare | p50 ms | p99 ms | non-2xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, r in rows:
        lines.append(
            f"| {label} | {r['rps']:.0f} | {r['rps'] / bare:.2f} | {r['p50']:.1f} | "
            f"{r['p99']:.1f} | {r['errors']} |"
        )
    lines += ["", f"Load average afterwards: {load}.", ""]
    text = "\n".join(lines)
    print(text)
    if args.write:
        with README.open("a") as readme:
            readme.write("\n" + text)


if __name__ == "__main__":
    main()
