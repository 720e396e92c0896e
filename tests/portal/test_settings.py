import subprocess
import sys

import pytest
from django.conf import settings

# A fresh process with its own environment and database: the same on either pass.
pytestmark = pytest.mark.judged_once

STRONG_KEY = "k7#Qx9!vR2$mW5&zL8*pT3^nB6@hJ4%cF1(dG0)sY-eU+iO=aZ_wX[qE]rN{tM}"


def print_settings(env, *names):
    """Start Django in a fresh process with ``env``; the settings ``names`` it prints."""
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings');"
        "django.setup(); from django.conf import settings as s;"
        f"print(*(getattr(s, n) for n in {names!r}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_runs_in_jakarta_time_in_indonesian_with_english_available():
    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert settings.LANGUAGE_CODE == "id"
    assert "en" in dict(settings.LANGUAGES)


@pytest.fixture
def deployment_env(project_env, tmp_path):
    """What a deployment sets, its signing files in a folder of its own (empty here)."""
    return project_env | {
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "terang.test",
        "SIGNING_DIR": str(tmp_path / "signing"),
    }


def test_debug_is_off_unless_set(deployment_env):
    result = print_settings(deployment_env, "DEBUG", "SESSION_COOKIE_SECURE")
    assert result.stdout.split() == ["False", "True"], result.stderr


def test_with_nothing_set_it_refuses_to_start_rather_than_run_open(project_env):
    result = run_manage(project_env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_the_development_secret_key_when_debug_is_off(deployment_env):
    from portal.settings import _DEV_SECRET_KEY

    result = run_manage(deployment_env | {"SECRET_KEY": _DEV_SECRET_KEY}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_it_refuses_the_example_secret_key_of_env_example(deployment_env):
    lines = (settings.BASE_DIR / ".env.example").read_text().splitlines()
    example = next(line.split("=", 1)[1] for line in lines if line.startswith("SECRET_KEY="))
    result = run_manage(deployment_env | {"SECRET_KEY": example}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_it_refuses_the_development_signing_ca_when_debug_is_off(deployment_env, tmp_path):
    made = run_manage(deployment_env | {"DEBUG": "1"}, "signing_dev_ca")
    assert made.returncode == 0, made.stderr
    result = run_manage(deployment_env, "check")
    assert result.returncode != 0
    assert "development signing CA" in result.stderr
    assert str(tmp_path / "signing" / "signer.pem") in result.stderr
    # The demo (DEBUG on) signs with it.
    assert run_manage(deployment_env | {"DEBUG": "1"}, "check").returncode == 0


def test_it_refuses_a_trust_root_of_the_development_ca_when_debug_is_off(deployment_env, tmp_path):
    """The office's own key, but the development CA still trusted by the verification page."""
    dev = tmp_path / "dev"
    made = run_manage(deployment_env | {"DEBUG": "1", "SIGNING_DIR": str(dev)}, "signing_dev_ca")
    assert made.returncode == 0, made.stderr
    env = deployment_env | {"SIGNING_TRUST_ROOTS": f"{tmp_path / 'office.pem'},{dev / 'ca.pem'}"}
    result = run_manage(env, "check")
    assert result.returncode != 0
    assert str(dev / "ca.pem") in result.stderr


def test_a_bad_trusted_proxy_is_refused_at_start(deployment_env):
    result = run_manage(deployment_env | {"TRUSTED_PROXIES": "caddy"}, "check")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr


def test_trusted_proxies_are_read_as_networks(deployment_env):
    env = deployment_env | {"TRUSTED_PROXIES": "172.30.0.0/24, 10.0.0.5"}
    result = print_settings(env, "TRUSTED_PROXIES")
    assert result.stdout.strip() == "['172.30.0.0/24', '10.0.0.5/32']", result.stderr


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(project_env):
    result = run_manage(project_env | {"DEBUG": "0", "ALLOWED_HOSTS": "x"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_a_weak_secret_key_when_debug_is_off(project_env):
    env = project_env | {"DEBUG": "0", "SECRET_KEY": "secret", "ALLOWED_HOSTS": "x"}
    result = run_manage(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_the_deploy_check_is_clean_with_a_real_secret_key(deployment_env):
    env = deployment_env | {"DEBUG": "0"}
    result = run_manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_demo_uses_sqlite_and_runs_tasks_in_process(project_env):
    """``make demo`` sets DEBUG=1 and nothing else."""
    env = {k: v for k, v in project_env.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["DEBUG"] = "1"
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings');"
        "django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_database_and_redis_urls_switch_to_postgresql_and_a_real_broker(project_env):
    env = project_env | {
        "DEBUG": "1",
        "DATABASE_URL": "postgres://terang:pw@db.example:5432/terang",
        "REDIS_URL": "redis://cache.example:6379/0",
    }
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings');"
        "django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'],"
        " s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.example",
        "False",
        "redis://cache.example:6379/0",
        "core.cache.ResilientRedisCache",
    ]


def test_the_redis_cache_misses_instead_of_failing_while_redis_is_down():
    """A cache on a port where nothing listens: reads miss, writes are skipped, no error."""
    from core.cache import ResilientRedisCache

    cache = ResilientRedisCache(
        "redis://127.0.0.1:9/0", {"OPTIONS": {"socket_connect_timeout": 0.2}}
    )
    assert cache.get("key", "default") == "default"
    assert cache.add("key", 1) is False
    cache.set("key", 1)
    cache.delete_many(["a", "b"])
    assert cache.get_many(["a"]) == {}
    with pytest.raises(ValueError):
        cache.incr("key")


@pytest.mark.parametrize("by_url", [False, True], ids=["demo file", "named by DATABASE_URL"])
def test_a_sqlite_file_is_in_wal_mode_and_waits_for_the_write_lock(project_env, tmp_path, by_url):
    """Readers go on while one writes, and a writer waits 20 s instead of "database is locked"
    (the eight-callback test in tests/issuance/test_sqlite_concurrency.py shows it at work),
    whether the file is the demo's or one a ``DATABASE_URL`` names (a bench's, a test
    server's): without it a staff view written in a race could stay unsealed."""
    env = {k: v for k, v in project_env.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {"DEBUG": "1", "TERANG_VAR_DIR": str(tmp_path)}
    if by_url:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'named.sqlite3'}"
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings');"
        "django.setup(); from django.db import connection; c = connection.cursor();"
        "print(*(c.execute(f'PRAGMA {p}').fetchone()[0]"
        " for p in ('journal_mode', 'busy_timeout', 'synchronous')), connection.transaction_mode)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["wal", "20000", "1", "IMMEDIATE"], result.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [("7.30-16", "must read HH:MM-HH:MM"), ("16:00-07:30", "must start before it ends")],
)
def test_it_refuses_staff_hours_it_cannot_read(deployment_env, value, message):
    result = run_manage(deployment_env | {"STAFF_HOURS": value}, "check")
    assert result.returncode != 0
    assert message in result.stderr
