from django.urls import path, re_path

from public.views import transparency as views

app_name = "transparency"

urlpatterns = [
    path("transparansi/", views.dashboard, name="dashboard"),
    re_path(
        r"^transparansi/(?P<period>\d{4}(?:-\d{2})?)\.csv$",
        views.dashboard_download,
        name="csv",
    ),
    path("piagam-integritas/", views.charter, name="charter"),
]
