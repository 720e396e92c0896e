"""A URLconf where "home" lives elsewhere (tests/portal/test_fixed_urls.py)."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("di-tempat-lain/", lambda request: HttpResponse(), name="home")]
