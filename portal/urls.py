from django.contrib import admin
from django.urls import include, path

from permits import views as permit_views
from portal.health import healthz

urlpatterns = [
    path("", permit_views.home, name="home"),
    path("akun/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
