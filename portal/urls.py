from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from core import health
from permits.views import public as public_views
from portal.metrics import metrics

urlpatterns = [
    path("", public_views.home, name="home"),
    path("layanan/<str:code>/", public_views.service_page, name="service"),
    path("akun/", include("accounts.urls")),
    path("akun/pesan/", include("outbox.urls")),
    path("kantor/integritas/", include("integrity.conflicts.urls")),
    path("kantor/audit/", include("integrity.inspection.urls")),
    path("kantor/", include("permits.urls_backoffice")),
    path("lacak/", include("permits.urls_tracking")),
    path("saya/", include("permits.urls_applicant")),
    path("", include("issuance.urls")),
    path("pengaduan/", include("public.urls_complaints")),
    path("kantor/pengaduan/", include("public.urls_complaints_staff")),
    path("survei/", include("public.urls_survey")),
    path("kantor/indeks/", include("public.urls_indexes")),
    path("", include("public.urls_transparency")),
    path("api/v1/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", health.ready, name="healthz"),
    path("healthz/live", health.live, name="healthz_live"),
    path("healthz/ready", health.ready, name="healthz_ready"),
    path("metrics", metrics, name="metrics"),
    # The admin signs in through Terang's own two-step sign-in, never its password-only form.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
    ),
    path("admin/", admin.site.urls),
]
