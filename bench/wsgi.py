"""Terang's WSGI application with the bench's bare view added (bench/urls.py), for
measuring pages under gunicorn against one primary-key lookup (bench/throughput.py)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

settings.ROOT_URLCONF = "bench.urls"
application = get_wsgi_application()
