"""Terang's URLs plus one view that fails, to see the 500 page."""

from django.urls import path

from portal.urls import urlpatterns as terang_urlpatterns


def broken(request):
    raise RuntimeError("a fault for the 500 page")


urlpatterns = [path("rusak/", broken), *terang_urlpatterns]
