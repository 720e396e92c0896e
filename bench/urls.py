"""Terang's URLs plus the bare reference view the benchmark compares against."""

from django.http import HttpResponse
from django.urls import path

from permits.models import Application
from portal.urls import urlpatterns as terang_urlpatterns


def bare(request, pk: int):
    """One primary-key lookup, behind the same middleware as every page."""
    return HttpResponse(
        Application.objects.only("registration_number").get(pk=pk).registration_number
    )


urlpatterns = [path("bench/bare/<int:pk>/", bare), *terang_urlpatterns]
