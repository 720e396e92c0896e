from django.contrib import admin
from django.urls import include, path

from permits.views import public as public_views
from portal.health import healthz

urlpatterns = [
    path("", public_views.home, name="home"),
    path("akun/", include("accounts.urls")),
    path("kantor/", include("permits.urls_backoffice")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
