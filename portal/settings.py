"""Terang settings, read from the environment.

DEBUG is off unless set: a deployment that forgets a setting refuses to start rather than
run open. It sets at least ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL``, ``REDIS_URL``
and the office's signing key; with DEBUG off the development secret key and the development
signing CA (``manage.py signing_dev_ca``) are refused. ``make demo`` sets ``DEBUG=1`` for the
developer's demo: an SQLite file under ``var/``, Celery tasks run in process and mail printed
to the console. Under pytest DEBUG defaults on, so the suite gets the same defaults.
"""

import ipaddress
import os
import sys
from datetime import time, timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

from issuance.dev_ca import dev_signing_files

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TERANG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


TESTING = "pytest" in sys.modules
# Off unless set (the suite runs with the demo's defaults).
DEBUG = env_bool("DEBUG", TESTING)

_DEV_SECRET_KEY = "django-insecure-terang-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (at least 50 random characters)."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (
    # The development key, or .env.example's placeholder left in place.
    SECRET_KEY.startswith(("django-insecure", "change-me"))
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured("SECRET_KEY is too weak: use at least 50 random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A form refused for its CSRF token gets the site's own page (templates/csrf_failure.html).
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_prometheus",
    "core",
    "portal",
    "accounts",
    "worktime",
    "trail",
    "places",
    "permits",
    "issuance",
    "integrity",
    "outbox",
    "public",
    "api",
    "demo",
    # Django REST framework runs without being an installed app: as one, its Indonesian
    # catalogue would override Django's own for every form on the site ("This field is
    # required."). The API's words are the project's own (api.problems).
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
]

MIDDLEWARE = [
    # First: the request's id for every log line below, and the metrics' clock.
    "core.requestid.RequestIdMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.StaffSessionLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.office",
                "outbox.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# DATABASE_URL selects PostgreSQL (postgres://user@host:5432/name); without it, SQLite.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Concurrent writers on SQLite queue instead of failing with "database is locked": every
# transaction takes the write lock when it begins (IMMEDIATE) and a writer waits up to 20 s
# for it; WAL lets readers go on while one writes. Without it a row written in autocommit
# could stay unsealed when its seal's transaction lost the race (trail.seals).
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    # Behind PgBouncer in transaction mode a transaction may meet a different server
    # connection each time: no server-side cursor may outlive its transaction (Django's
    # advice for transaction pooling). Terang keeps no other session state on a connection.
    DATABASE_POOLING = os.environ.get("DATABASE_POOLING", "")
    if DATABASE_POOLING not in {"", "transaction"}:
        raise ImproperlyConfigured(
            f"DATABASE_POOLING must be empty or transaction: {DATABASE_POOLING!r}"
        )
    if DATABASE_POOLING == "transaction":
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # a SQLite file named by URL
        DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
        DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "terang.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if TESTING:  # django-oauth-toolkit's tables from one migration: tests/dot_migrations
    MIGRATION_MODULES = {"oauth2_provider": "tests.dot_migrations"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USES_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username/address before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {
            "user_attributes": ("username", "full_name", "email", "phone", "nik", "business_name")
        },
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.NameWithDigitsValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ----------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploaded documents live outside static/ and are served only through views that check
# permissions: there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))


# With STORAGE_BUCKET, uploads, receipts, permits and reports go to an S3-compatible bucket
# (MinIO, or any S3) that every web and worker host shares: private objects, read back
# through the same permission-checked views, their SHA-256 checked on every read
# (core.storage). Without it they stay on disk under MEDIA_ROOT (the embedded default).
def bucket_storage(bucket, *, endpoint_url=None, access_key=None, secret_key=None,
                   region="us-east-1") -> dict:  # fmt: skip
    """The default storage in an S3-compatible bucket (also what the storage tests use).
    A bucket that does not answer fails within seconds: the upload says so (core.storage)."""
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url,
            "access_key": access_key,
            "secret_key": secret_key,
            "region_name": region,
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            "client_config": Config(
                connect_timeout=3, read_timeout=30, retries={"max_attempts": 2}
            ),
        },
    }


STORAGE_BUCKET = os.environ.get("STORAGE_BUCKET", "")
if STORAGE_BUCKET:
    FILE_STORAGE = bucket_storage(
        STORAGE_BUCKET,
        endpoint_url=os.environ.get("STORAGE_ENDPOINT_URL") or None,
        access_key=os.environ.get("STORAGE_ACCESS_KEY") or None,
        secret_key=os.environ.get("STORAGE_SECRET_KEY") or None,
        region=os.environ.get("STORAGE_REGION", "us-east-1"),
    )
else:
    FILE_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": FILE_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Redis, cache and Celery ----------------------------------------------------------
# REDIS_URL switches on the real broker; without it Celery runs every task in process.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # RedisCache that misses instead of failing while Redis is down (core/cache.py).
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            "KEY_PREFIX": "terang",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Sending a task tries the broker once: with Redis down, kombu's default (retrying for
# about six seconds) held the request that sent it six seconds a task. What was not sent is
# in the database (the outbox, the flag and receipt sweeps) and goes out later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "max_retries": 0}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Queues by kind, so a slow render never holds a message or a flag back: docker-compose
# runs a worker per queue (`celery worker -Q rendering`); a worker started without -Q
# consumes all four. Every task is acknowledged late and safe to run twice (issue 20.1).
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name), routing_key=name)
    for name in ("default", "rendering", "messages", "flags")
]
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "issuance.tasks.render_permit": {"queue": "rendering"},
    "issuance.tasks.render_pending_permits": {"queue": "rendering"},
    "permits.tasks.render_receipt": {"queue": "rendering"},
    "integrity.tasks.render_monev": {"queue": "rendering"},
    "outbox.tasks.deliver_messages": {"queue": "messages"},
    "api.tasks.deliver_webhooks": {"queue": "messages"},
    "integrity.tasks.evaluate_flags": {"queue": "flags"},
    "integrity.tasks.sweep_flags": {"queue": "flags"},
}
# Django's LOGGING (JSON lines with the request id) holds in the workers too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Mail -----------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Terang <noreply@terang.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# SMS/WhatsApp gateway: a class with ``send(channel, number, text)``; the default logs.
OUTBOX_PHONE_BACKEND = os.environ.get("OUTBOX_PHONE_BACKEND", "outbox.backends.ConsolePhoneBackend")
# Absolute links in messages (tracking page, permit download).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# A message that fails this many times (about a day and a half of retries) waits in the
# admin as "failed" to be sent again by hand; it is never deleted.
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "12"))
# Partners' webhooks go to public HTTPS addresses only; a demo (DEBUG) may post to plain
# HTTP on its own machine or network (api.webhooks.url_check).
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", DEBUG)

# --- Security -------------------------------------------------------------------------
# Staff sign in with a password and a TOTP code (django-otp); there is no switch to turn
# the second factor off. Lockout (django-axes): LOGIN_FAILURE_LIMIT failed passwords or
# codes for one username from one address lock that pair for LOGIN_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_USERNAME_FORM_FIELD = "username"
# The client's address, for the rate limits and django-axes alike (core.ratelimit):
# REMOTE_ADDR, unless it is one of these proxies (addresses or networks, e.g. the compose
# network of the Caddy proxy); then the nearest untrusted address in X-Forwarded-For.
try:
    TRUSTED_PROXIES = [
        str(ipaddress.ip_network(proxy, strict=False)) for proxy in env_list("TRUSTED_PROXIES")
    ]
except ValueError as error:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from error
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.axes_client_address"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = os.environ.get("OFFICE_SHORT_NAME", "MPP Kabupaten Sukamaju") + " (Terang)"
# Applicant sign-ups and password-reset requests per address per hour.
SIGNUP_LIMIT = int(os.environ.get("SIGNUP_LIMIT", "10"))
RESET_LIMIT = int(os.environ.get("RESET_LIMIT", "10"))
# A staff member has this long between the password and the code.
SECOND_FACTOR_WINDOW_SECONDS = 300
# Staff sessions end after this long idle, and this long after sign-in (one working day);
# applicants keep Django's two-week session.
STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("STAFF_SESSION_IDLE_MINUTES", "30"))
STAFF_SESSION_MAX_HOURS = int(os.environ.get("STAFF_SESSION_MAX_HOURS", "9"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Every page's scripts and styles are files under /static/ (no inline script, style element
# or style attribute; the QR codes are inline SVG drawn with attributes): nothing else is
# allowed to run, load, frame the site or receive its forms. The one exception is the admin's
# history pages, which may apply django-simple-history's one style attribute by its hash
# (core.middleware.CSPMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
    },
}
# --- The partners' API (issue 21): /api/v1/ ---------------------------------------------------
# Partners (other systems) authenticate with OAuth2 client credentials; no cookie session, so no
# CSRF token either. Errors are RFC 9457 problem details (api.problems).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
# The toolkit's defaults, named so a migration made from its models (tests/dot_migrations)
# can refer to them as its own migrations do.
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105 (a model)
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"  # noqa: S105 (a model)
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"  # noqa: S105 (a model)
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "api.scopes.PartnerScopes",
    "OAUTH2_VALIDATOR_CLASS": "api.validator.PartnerValidator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 0,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    # The OAuth 2.0 Security BCP (RFC 9700) throughout: no implicit or password grant, no
    # "plain" PKCE, no token in a query string, `iss` in authorization responses, tokens
    # stored hashed, a replayed refresh token revoking its family.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "oauth2_provider.contrib.rest_framework.OAuth2Authentication"
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.PartnerScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Terang API",
    "DESCRIPTION": (
        "The partners' API of the public service mall: the permit catalogue, files made on "
        "behalf of applicants, their documents and stages, issued permits and their "
        "verification. Partners authenticate with OAuth2 client credentials; every error is "
        "an RFC 9457 problem document. See docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "OAUTH2_FLOWS": ["clientCredentials"],
    "OAUTH2_TOKEN_URL": "/api/v1/oauth/token/",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # One name for a choice set the document uses in several places.
    "ENUM_NAME_OVERRIDES": {
        "WebhookEventEnum": "api.models.WebhookEvent",
        "SiteVisitStatusEnum": "api.views.applications.SITE_VISIT_STATUSES",
        "PermitStatusEnum": "issuance.models.PermitStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.operation_links",
    ],
}

# Powerful browser features no page uses, refused for the site and anything it embeds.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$", r"^metrics$"]

# /metrics (Prometheus) answers only a scraper sending "Authorization: Bearer <token>";
# without a token the endpoint does not exist.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# JSON lines for a log shipper (the default of a deployment), or plain lines (the demo's);
# each carries the request's id (core.requestid), in the tasks it enqueued too.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.requestid.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "core.logs.JsonFormatter"},
        "text": {"()": "core.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The access line of every request (core.requestid); WARNING hides it.
        "terang.request": {"level": os.environ.get("ACCESS_LOG_LEVEL", "INFO")},
        "weasyprint": {"level": "WARNING"},  # its INFO is one line per rendering step
        "fontTools": {"level": "WARNING"},
    },
}

# --- Terang ---------------------------------------------------------------------------
OFFICE_NAME = os.environ.get(
    "OFFICE_NAME",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Sukamaju",
)
OFFICE_SHORT_NAME = os.environ.get("OFFICE_SHORT_NAME", "MPP Kabupaten Sukamaju")
# The unit (OPD code) of the one-stop office: counter, approval, signing and payment.
OFFICE_UNIT_CODE = os.environ.get("OFFICE_UNIT_CODE", "DPMPTSP")
# Staff working hours (jam kerja ASN), longer than the counter's service hours: internal
# work (review, approval, signing) before the counter opens and after it closes is the
# office's ordinary day. "HH:MM-HH:MM", local time, on the calendar's working days.
STAFF_HOURS = os.environ.get("STAFF_HOURS", "07:30-16:00")
try:
    _staff_start, _staff_end = (time.fromisoformat(t.strip()) for t in STAFF_HOURS.split("-"))
except ValueError:
    raise ImproperlyConfigured(f"STAFF_HOURS must read HH:MM-HH:MM, not {STAFF_HOURS!r}") from None
if _staff_start >= _staff_end:
    raise ImproperlyConfigured(f"STAFF_HOURS must start before it ends: {STAFF_HOURS!r}")
# A returned file expires when the applicant does not complete it within this many working days.
RETURNED_EXPIRY_WORKING_DAYS = int(os.environ.get("RETURNED_EXPIRY_WORKING_DAYS", "14"))
# Public tracking: lookups per address per 10 minutes, and failed lookups (unknown codes);
# the kiosk in the MPP hall (its addresses listed here) gets ten times as many. One address
# is often many people: a village office helping its residents, or every phone of a
# carrier's CGNAT pool. The limits leave room for hundreds of them, and a tracking code
# (12 of 31 symbols, 59 bits) stays out of reach: 100 misses find a live code with odds
# of about 1 in 10^10 even with 100 000 files open.
TRACKING_LOOKUP_LIMIT = int(os.environ.get("TRACKING_LOOKUP_LIMIT", "600"))
TRACKING_MISS_LIMIT = int(os.environ.get("TRACKING_MISS_LIMIT", "100"))
# Rate limits count in each process and share their counts every this many seconds
# (core.ratelimit); 0: no background sharing (the test suite: one process, exact counts).
RATELIMIT_FLUSH_SECONDS = float(os.environ.get("RATELIMIT_FLUSH_SECONDS", "0" if TESTING else "1"))
KIOSK_ADDRESSES = env_list("KIOSK_ADDRESSES")
# The kiosk returns to its start page after this many seconds on a file.
KIOSK_RESET_SECONDS = int(os.environ.get("KIOSK_RESET_SECONDS", "60"))
# A late file's applicant is told the office now aims to finish within this many working days
# (the supervisor is told at the same time).
LATE_APOLOGY_WORKING_DAYS = int(os.environ.get("LATE_APOLOGY_WORKING_DAYS", "2"))
CATALOGUE_FILE = BASE_DIR / "permits" / "catalogue" / "catalogue.json"
PLACES_FILE = BASE_DIR / "places" / "data" / "places.json"

# --- Integrity --------------------------------------------------------------------------
# A conflict-of-interest case: the direct supervisor's initial review, then the head of
# office's decision, each within this many working days of the case opening.
CONFLICT_REVIEW_WORKING_DAYS = int(os.environ.get("CONFLICT_REVIEW_WORKING_DAYS", "3"))
CONFLICT_DECISION_WORKING_DAYS = int(os.environ.get("CONFLICT_DECISION_WORKING_DAYS", "7"))
# Staff renew their affiliation register this often (a reminder goes out a month before).
AFFILIATION_RENEWAL_DAYS = int(os.environ.get("AFFILIATION_RENEWAL_DAYS", "365"))

# --- Public accountability --------------------------------------------------------------
# Complaints, as SP4N-LAPOR!: forwarded within this many working days of arrival, answered
# within this many of forwarding, closed this many after the answer unless the complainant
# writes back.
COMPLAINT_FORWARD_WORKING_DAYS = int(os.environ.get("COMPLAINT_FORWARD_WORKING_DAYS", "3"))
COMPLAINT_ANSWER_WORKING_DAYS = int(os.environ.get("COMPLAINT_ANSWER_WORKING_DAYS", "5"))
COMPLAINT_CLOSE_WORKING_DAYS = int(os.environ.get("COMPLAINT_CLOSE_WORKING_DAYS", "10"))
# Evidence with a complaint: at most this many files of at most this size each.
COMPLAINT_EVIDENCE_MAX_FILES = int(os.environ.get("COMPLAINT_EVIDENCE_MAX_FILES", "3"))
COMPLAINT_EVIDENCE_MAX_KB = int(os.environ.get("COMPLAINT_EVIDENCE_MAX_KB", "5120"))
# Complaints and follow-up-code lookups per address per hour.
COMPLAINT_LIMIT = int(os.environ.get("COMPLAINT_LIMIT", "10"))
COMPLAINT_LOOKUP_LIMIT = int(os.environ.get("COMPLAINT_LOOKUP_LIMIT", "30"))
# The national complaint channel, for those who prefer it.
SP4N_LAPOR_URL = os.environ.get("SP4N_LAPOR_URL", "https://www.lapor.go.id/")
# A survey link stays valid this many days after the file ends.
SURVEY_VALID_DAYS = int(os.environ.get("SURVEY_VALID_DAYS", "30"))
# A group (unit, permit type) with fewer answers shows no IKM or integrity index to the
# office's staff or on the public dashboard (the inspectorate sees all).
SURVEY_MIN_GROUP = int(os.environ.get("SURVEY_MIN_GROUP", "5"))

# --- Issuance ---------------------------------------------------------------------------
# A bill for a fee falls due this many working days after it is issued; past that, an unpaid
# file expires unless this switch is off (then it waits on the cashier indefinitely).
BILL_DUE_WORKING_DAYS = int(os.environ.get("BILL_DUE_WORKING_DAYS", "7"))
UNPAID_BILL_EXPIRES_FILE = env_bool("UNPAID_BILL_EXPIRES_FILE", True)
# The bank's payment callback: HMAC-SHA256 over "<timestamp>.<body>" with this shared secret;
# a timestamp further than the tolerance from our clock is refused. Empty secret: endpoint off.
BANK_CALLBACK_SECRET = os.environ.get("BANK_CALLBACK_SECRET", "dev-bank-secret" if DEBUG else "")
BANK_CALLBACK_TOLERANCE_SECONDS = int(os.environ.get("BANK_CALLBACK_TOLERANCE_SECONDS", "300"))
# The public register seals a day this long after its midnight (a signing still committing
# at midnight lands first).
REGISTER_SEAL_GRACE_MINUTES = int(os.environ.get("REGISTER_SEAL_GRACE_MINUTES", "10"))
# Where each hourly anchor of the audit trail's chains is mailed (comma-separated); unset:
# every active auditor's address.
AUDIT_ANCHOR_EMAIL = os.environ.get("AUDIT_ANCHOR_EMAIL", "")
# Who signs permits, as printed under the signature.
SIGNATORY_TITLE = os.environ.get(
    "SIGNATORY_TITLE",
    "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
)
OFFICE_ADDRESS = os.environ.get(
    "OFFICE_ADDRESS", "Mal Pelayanan Publik, Jl. Merdeka No. 1, Sukamaju 40111"
)
# The counter's telephone, shown where the site cannot answer a question itself.
OFFICE_PHONE = os.environ.get("OFFICE_PHONE", "(0265) 700 1234")
OFFICE_REGION = os.environ.get("OFFICE_REGION", "Pemerintah Kabupaten Sukamaju")
OFFICE_CITY = os.environ.get("OFFICE_CITY", "Sukamaju")
# The public verification page checks uploaded PDFs up to this size.
VERIFY_UPLOAD_MAX_BYTES = int(os.environ.get("VERIFY_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
# The office's signing key and certificate (PEM). `manage.py signing_dev_ca` creates a
# development CA and signer here; production points these at the real (BSrE) certificate.
SIGNING_DIR = Path(os.environ.get("SIGNING_DIR", VAR_DIR / "signing"))
SIGNING_KEY_FILE = Path(os.environ.get("SIGNING_KEY_FILE", SIGNING_DIR / "signer.key"))
SIGNING_CERT_FILE = Path(os.environ.get("SIGNING_CERT_FILE", SIGNING_DIR / "signer.pem"))
SIGNING_KEY_PASSPHRASE = os.environ.get("SIGNING_KEY_PASSPHRASE", "")
# Intermediate certificates embedded in each signature, and the roots a signature must chain
# to for the public verification page to call it valid.
SIGNING_CHAIN_FILES = [Path(p) for p in env_list("SIGNING_CHAIN_FILES")] or [SIGNING_DIR / "ca.pem"]
SIGNING_TRUST_ROOTS = [Path(p) for p in env_list("SIGNING_TRUST_ROOTS")] or [SIGNING_DIR / "ca.pem"]
if not DEBUG and (dev_files := dev_signing_files([SIGNING_CERT_FILE, *SIGNING_TRUST_ROOTS])):
    raise ImproperlyConfigured(
        "The development signing CA (manage.py signing_dev_ca) must not sign or verify permits "
        f"when DEBUG is off: {', '.join(map(str, dev_files))}. Point SIGNING_* at the office's "
        "key and certificate."
    )

if TESTING:
    # Hashing strength is not under test; a fast hasher keeps the suite quick.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if USES_POSTGRES:
        # Nor is a commit's durability: the test database's commits return before their
        # WAL reaches the disk (a crash may lose the last ones, never corrupt).
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
